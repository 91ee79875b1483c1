-- One row per (consumed message, recipient): the sent-log that makes delivery exactly-once, and
-- the durable work queue the dispatcher drains (so a relay outage longer than any message retry
-- loses nothing). Content is kept only while a send is still possible, then cleared.
CREATE TABLE {schema}.delivery (
    id                    uuid        PRIMARY KEY,
    source_message_id     uuid        NOT NULL,
    recipient_key         text        NOT NULL,
    notification_id       text        NOT NULL UNIQUE,
    kind                  text        NOT NULL,
    invitation_id         uuid        NULL,
    meeting_id            uuid        NOT NULL,
    meeting_reference     text        NOT NULL,
    team_code             text        NULL,
    agency_code           text        NOT NULL,
    recipient_name        text        NOT NULL,
    recipient_email       text        NULL,
    channel               text        NOT NULL,
    status                text        NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    content               jsonb       NULL,
    attempts              integer     NOT NULL DEFAULT 0,
    interrupted_sends     integer     NOT NULL DEFAULT 0,
    created_at            timestamptz NOT NULL,
    next_attempt_at       timestamptz NOT NULL,
    expires_at            timestamptz NOT NULL,
    last_attempt_at       timestamptz NULL,
    sent_at               timestamptz NULL,
    failed_at             timestamptz NULL,
    last_error            text        NULL,
    failure_reason        text        NULL,
    provider_reference    text        NULL,
    CONSTRAINT ux_delivery_source_recipient UNIQUE (source_message_id, recipient_key)
);
-- The dispatcher only looks at deliveries that may still be sent, earliest first.
CREATE INDEX ix_delivery_due ON {schema}.delivery (next_attempt_at) WHERE status IN ('pending', 'sending');
CREATE INDEX ix_delivery_invitation ON {schema}.delivery (invitation_id);
CREATE INDEX ix_delivery_meeting ON {schema}.delivery (meeting_id);

-- What later notices about an invitation need but do not carry (agency and team names, sign-in
-- link, the previous time of a rescheduled meeting). Nothing about the child.
CREATE TABLE {schema}.invitation (
    invitation_id      uuid        PRIMARY KEY,
    meeting_id         uuid        NOT NULL,
    meeting_reference  text        NOT NULL,
    team_code          text        NOT NULL,
    team_name          text        NOT NULL,
    agency_code        text        NOT NULL,
    agency_name        text        NOT NULL,
    sign_in_link       text        NOT NULL,
    scheduled_start    timestamptz NOT NULL,
    scheduled_end      timestamptz NOT NULL,
    calendar_sequence  integer     NOT NULL,
    updated_at         timestamptz NOT NULL
);
CREATE INDEX ix_invitation_meeting ON {schema}.invitation (meeting_id);
