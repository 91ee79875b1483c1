-- Meetings: teams and their dial-in bridges, strategy meetings, invitations, response links,
-- decisions not to convene, the audit trail, and the local replica of the SPOC directory.

-- btree_gist lets one exclusion constraint say "no two scheduled meetings overlap on one bridge".
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE SEQUENCE {schema}.meeting_reference_seq;

CREATE TABLE {schema}.team (
    code        text        PRIMARY KEY,
    name        text        NOT NULL,
    area        text        NULL,
    gp_pilot    boolean     NOT NULL DEFAULT false,
    active      boolean     NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);

CREATE TABLE {schema}.bridge (
    id               uuid        PRIMARY KEY,
    team_code        text        NOT NULL REFERENCES {schema}.team (code),
    label            text        NOT NULL,
    dial_in_number   text        NOT NULL,
    conference_code  text        NOT NULL,
    active           boolean     NOT NULL DEFAULT true,
    created_at       timestamptz NOT NULL
);
CREATE INDEX ix_bridge_team ON {schema}.bridge (team_code);

CREATE TABLE {schema}.strategy_meeting (
    id                        uuid        PRIMARY KEY,
    reference                 text        NOT NULL UNIQUE,
    team_code                 text        NOT NULL REFERENCES {schema}.team (code),
    case_reference            text        NOT NULL,
    concern_category          text        NOT NULL,
    incident_at               timestamptz NOT NULL,
    decision_at               timestamptz NOT NULL,
    threshold_reason_code     text        NOT NULL,
    threshold_reason_text     text        NOT NULL,
    child_age_band            text        NOT NULL,
    unborn_child              boolean     NOT NULL,
    adult_known_to_probation  boolean     NOT NULL,
    known_to_yos              boolean     NOT NULL,
    gp_pilot                  boolean     NOT NULL,
    referrer_agency_code      text        NULL,
    scheduled_start           timestamptz NOT NULL,
    scheduled_end             timestamptz NOT NULL,
    bridge_id                 uuid        NOT NULL REFERENCES {schema}.bridge (id),
    pin                       text        NOT NULL,
    convened_beyond_limit     boolean     NOT NULL,
    delay_reason_code         text        NULL,
    delay_reason_text         text        NULL,
    status                    text        NOT NULL,
    calendar_sequence         integer     NOT NULL DEFAULT 0,
    cancel_reason_code        text        NULL,
    cancel_reason_text        text        NULL,
    convened_by               text        NOT NULL,
    convened_at               timestamptz NOT NULL,
    updated_at                timestamptz NOT NULL,
    CHECK (scheduled_end > scheduled_start),
    -- The database, not only the application, refuses a double booking of a bridge.
    CONSTRAINT ex_strategy_meeting_bridge_overlap EXCLUDE USING gist (
        bridge_id WITH =, tstzrange(scheduled_start, scheduled_end) WITH &&) WHERE (status = 'Scheduled')
);
-- A PIN is unique among the meetings that can still be dialled into.
CREATE UNIQUE INDEX ux_strategy_meeting_active_pin ON {schema}.strategy_meeting (pin) WHERE status = 'Scheduled';
CREATE INDEX ix_strategy_meeting_team_start ON {schema}.strategy_meeting (team_code, scheduled_start);

CREATE TABLE {schema}.meeting_agency (
    meeting_id           uuid    NOT NULL REFERENCES {schema}.strategy_meeting (id),
    agency_code          text    NOT NULL,
    agency_name          text    NOT NULL,
    agency_kind          text    NOT NULL,
    source               text    NOT NULL,
    reason               text    NOT NULL,
    invited              boolean NOT NULL,
    removal_reason_code  text    NULL,
    removal_reason_text  text    NULL,
    not_issued_reason    text    NULL,
    PRIMARY KEY (meeting_id, agency_code)
);

CREATE TABLE {schema}.invitation (
    id                           uuid        PRIMARY KEY,
    meeting_id                   uuid        NOT NULL REFERENCES {schema}.strategy_meeting (id),
    agency_code                  text        NOT NULL,
    agency_name                  text        NOT NULL,
    recipient_spoc_id            uuid        NOT NULL,
    recipient_name               text        NOT NULL,
    recipient_email              text        NOT NULL,
    recipient_role               text        NOT NULL,
    status                       text        NOT NULL,
    issued_at                    timestamptz NOT NULL,
    respond_by                   timestamptz NOT NULL,
    reminded_at                  timestamptz NULL,
    delivery_state               text        NOT NULL,
    delivery_updated_at          timestamptz NULL,
    delivery_failure             text        NULL,
    answer                       text        NULL,
    decline_reason_code          text        NULL,
    decline_reason_text          text        NULL,
    written_contribution         text        NULL,
    answered_at                  timestamptz NULL,
    answered_by                  text        NULL,
    answered_by_link             boolean     NOT NULL DEFAULT false,
    supersedes_invitation_id     uuid        NULL,
    superseded_by_invitation_id  uuid        NULL,
    superseded_reason            text        NULL,
    escalation_exhausted_at      timestamptz NULL
);
CREATE INDEX ix_invitation_meeting ON {schema}.invitation (meeting_id);
CREATE INDEX ix_invitation_agency ON {schema}.invitation (agency_code, issued_at);

CREATE TABLE {schema}.response_link (
    id             uuid        PRIMARY KEY,
    invitation_id  uuid        NOT NULL REFERENCES {schema}.invitation (id),
    expires_at     timestamptz NOT NULL,
    created_at     timestamptz NOT NULL,
    consumed_at    timestamptz NULL,
    revoked_at     timestamptz NULL
);
CREATE INDEX ix_response_link_invitation ON {schema}.response_link (invitation_id);

CREATE TABLE {schema}.decision_not_to_convene (
    id                uuid        PRIMARY KEY,
    team_code         text        NOT NULL REFERENCES {schema}.team (code),
    case_reference    text        NOT NULL,
    concern_category  text        NOT NULL,
    reason_code       text        NOT NULL,
    reason_text       text        NULL,
    decided_at        timestamptz NOT NULL,
    recorded_by       text        NOT NULL,
    recorded_at       timestamptz NOT NULL
);

CREATE TABLE {schema}.audit_entry (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL,
    actor       text        NOT NULL,
    action      text        NOT NULL,
    meeting_id  uuid        NULL,
    detail      text        NULL,
    trace_id    text        NULL
);
CREATE INDEX ix_audit_entry_meeting ON {schema}.audit_entry (meeting_id, at);

-- The replica of the SPOC directory: no foreign keys, events may arrive in any order.
CREATE TABLE {schema}.agency_replica (
    code        text        PRIMARY KEY,
    name        text        NOT NULL,
    kind        text        NOT NULL,
    active      boolean     NOT NULL,
    version     bigint      NOT NULL,
    updated_at  timestamptz NOT NULL
);

CREATE TABLE {schema}.spoc_replica (
    id            uuid        PRIMARY KEY,
    agency_code   text        NOT NULL,
    area          text        NULL,
    full_name     text        NOT NULL,
    rank          integer     NOT NULL,
    secure_email  text        NOT NULL,
    phone         text        NULL,
    active        boolean     NOT NULL,
    covers_json   jsonb       NOT NULL,
    version       bigint      NOT NULL,
    updated_at    timestamptz NOT NULL
);
CREATE INDEX ix_spoc_replica_agency ON {schema}.spoc_replica (agency_code);
