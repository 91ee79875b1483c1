-- Every consumed event, once per message id: the source the projection is rebuilt from.
CREATE TABLE {schema}.event_log (
    sequence      bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id    uuid        NOT NULL UNIQUE,
    message_type  text        NOT NULL,
    meeting_id    uuid        NULL,
    occurred_at   timestamptz NOT NULL,
    received_at   timestamptz NOT NULL DEFAULT now(),
    body          jsonb       NOT NULL
);
CREATE INDEX ix_event_log_meeting ON {schema}.event_log (meeting_id);

-- One row per meeting: its folded facts (jsonb) and the derived columns that queries filter on.
CREATE TABLE {schema}.meeting_fact (
    meeting_id                 uuid        PRIMARY KEY,
    team_code                  text        NULL,
    meeting_date               date        NULL,
    held                       boolean     NOT NULL,
    decision_to_meeting_min    double precision NULL,
    incident_to_meeting_min    double precision NULL,
    circulation_deadline_date  date        NULL,
    overdue_open               boolean     NOT NULL,
    facts                      jsonb       NOT NULL,
    updated_at                 timestamptz NOT NULL DEFAULT now()
);
-- Durations of a period: an index-only range scan over held meetings.
CREATE INDEX ix_meeting_fact_held_date ON {schema}.meeting_fact (meeting_date)
    INCLUDE (team_code, decision_to_meeting_min, incident_to_meeting_min) WHERE held;
CREATE INDEX ix_meeting_fact_overdue ON {schema}.meeting_fact (circulation_deadline_date) INCLUDE (team_code) WHERE overdue_open;

-- Numerator and denominator per day (and per month, so a quarter sums three rows per cell).
-- agency_code is '' for meeting-level figures; team_code is the meeting's team.
CREATE TABLE {schema}.rollup_day (
    day          date   NOT NULL,
    metric       text   NOT NULL,
    agency_code  text   NOT NULL,
    team_code    text   NOT NULL,
    numerator    bigint NOT NULL,
    denominator  bigint NOT NULL,
    PRIMARY KEY (day, metric, agency_code, team_code)
);
CREATE TABLE {schema}.rollup_month (
    month        date   NOT NULL,
    metric       text   NOT NULL,
    agency_code  text   NOT NULL,
    team_code    text   NOT NULL,
    numerator    bigint NOT NULL,
    denominator  bigint NOT NULL,
    PRIMARY KEY (month, metric, agency_code, team_code)
);

-- Decisions not to convene, for threshold consistency (counted by reason and team).
CREATE TABLE {schema}.decision_not_to_convene (
    decision_id       uuid        PRIMARY KEY,
    team_code         text        NOT NULL,
    concern_category  text        NOT NULL,
    reason_code       text        NOT NULL,
    decided_at        timestamptz NOT NULL,
    decided_on        date        NOT NULL,
    occurred_at       timestamptz NOT NULL,
    message_id        uuid        NOT NULL
);
CREATE INDEX ix_decision_not_to_convene_day ON {schema}.decision_not_to_convene (decided_on) INCLUDE (team_code, reason_code);

-- What was published, for the dashboard and to publish each scheduled period once.
CREATE TABLE {schema}.publication (
    publication_id  uuid        PRIMARY KEY,
    period_kind     text        NOT NULL,
    period_start    date        NOT NULL,
    period_end      date        NOT NULL,
    trigger         text        NOT NULL,
    published_at    timestamptz NOT NULL,
    requested_by    text        NULL,
    body            jsonb       NOT NULL
);
CREATE UNIQUE INDEX ux_publication_scheduled ON {schema}.publication (period_kind, period_start) WHERE trigger = 'schedule';
CREATE INDEX ix_publication_published ON {schema}.publication (published_at DESC);
