-- Durable deadlines: a due time is a row, not a timer in memory. A poller claims due rows with
-- FOR UPDATE SKIP LOCKED and marks them fired in the transaction that applies their effects.
CREATE TABLE {schema}.deadline (
    id               uuid        PRIMARY KEY,
    kind             text        NOT NULL,
    subject_id       uuid        NOT NULL,
    due_at           timestamptz NOT NULL,
    payload          text        NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    fired_at         timestamptz NULL,
    cancelled_at     timestamptz NULL,
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NULL,
    last_error       text        NULL
);
CREATE INDEX ix_deadline_pending ON {schema}.deadline (due_at) WHERE fired_at IS NULL AND cancelled_at IS NULL;
CREATE INDEX ix_deadline_subject ON {schema}.deadline (subject_id, kind);
