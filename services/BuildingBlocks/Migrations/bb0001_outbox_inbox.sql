-- Transactional outbox: rows written in the same transaction as the state change that causes them.
CREATE TABLE {schema}.outbox_message (
    sequence_number  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id       uuid        NOT NULL UNIQUE,
    message_type     text        NOT NULL,
    body             jsonb       NOT NULL,
    trace_parent     text        NULL,
    trace_state      text        NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_error       text        NULL,
    dispatched_at    timestamptz NULL
);
-- The relay only ever looks at undispatched rows, oldest first.
CREATE INDEX ix_outbox_message_pending ON {schema}.outbox_message (next_attempt_at, sequence_number) WHERE dispatched_at IS NULL;

-- Idempotent inbox: one row per (message, consumer) handled, committed with the consumer's own changes.
CREATE TABLE {schema}.inbox_state (
    message_id    uuid        NOT NULL,
    consumer      text        NOT NULL,
    processed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (message_id, consumer)
);
CREATE INDEX ix_inbox_state_processed_at ON {schema}.inbox_state (processed_at);
