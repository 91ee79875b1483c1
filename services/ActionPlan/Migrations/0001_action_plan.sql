-- The improvement action plan: themes, areas for improvement, actions with status history and
-- executive-approved timescale revisions; metric links (data) and the evidence they record.
CREATE TABLE {schema}.plan (
    id           uuid        PRIMARY KEY,
    code         text        NOT NULL UNIQUE,
    title        text        NOT NULL,
    imported_at  timestamptz NOT NULL,
    imported_by  text        NOT NULL
);

CREATE TABLE {schema}.theme (
    plan_id  uuid    NOT NULL REFERENCES {schema}.plan (id) ON DELETE CASCADE,
    number   integer NOT NULL CHECK (number > 0),
    name     text    NOT NULL,
    PRIMARY KEY (plan_id, number)
);

CREATE TABLE {schema}.area_for_improvement (
    plan_id       uuid    NOT NULL REFERENCES {schema}.plan (id) ON DELETE CASCADE,
    ref           text    NOT NULL,
    theme_number  integer NOT NULL,
    ordinal       integer NOT NULL,
    findings      text[]  NOT NULL,
    PRIMARY KEY (plan_id, ref),
    FOREIGN KEY (plan_id, theme_number) REFERENCES {schema}.theme (plan_id, number)
);

CREATE TABLE {schema}.action (
    id                          uuid        PRIMARY KEY,
    plan_id                     uuid        NOT NULL REFERENCES {schema}.plan (id) ON DELETE CASCADE,
    key                         text        NOT NULL,
    ref                         text        NOT NULL,
    theme_number                integer     NOT NULL,
    ordinal                     integer     NOT NULL,
    area_for_improvement        text        NOT NULL,
    intent                      text        NOT NULL,
    lead                        text        NOT NULL,
    original_timescale_text     text        NULL,
    original_due_date           date        NULL,
    revised_due_date            date        NULL,
    oversight_group             text        NOT NULL,
    expected_impact             text        NOT NULL,
    evidence_of_impact          text        NOT NULL,
    status                      text        NOT NULL CHECK (status IN ('NotStarted', 'Amber', 'Green', 'Yellow')),
    status_changed_at           timestamptz NULL,
    evidence_below_target       boolean     NOT NULL,
    latest_evidence_period_end  date        NULL,
    version                     bigint      NOT NULL,
    UNIQUE (plan_id, key),
    FOREIGN KEY (plan_id, ref) REFERENCES {schema}.area_for_improvement (plan_id, ref),
    -- Yellow rests on a recorded revision (enforced in code too; here so no path can skip it).
    CHECK (status <> 'Yellow' OR revised_due_date IS NOT NULL)
);
CREATE INDEX ix_action_plan_theme ON {schema}.action (plan_id, theme_number, ordinal);

CREATE TABLE {schema}.timescale_revision (
    id                       uuid        PRIMARY KEY,
    action_id                uuid        NOT NULL REFERENCES {schema}.action (id) ON DELETE CASCADE,
    sequence                 integer     NOT NULL,
    previous_due_date        date        NULL,
    previous_timescale_text  text        NULL,
    revised_due_date         date        NOT NULL,
    approved_by              text        NOT NULL,
    approved_on              date        NOT NULL,
    reason                   text        NOT NULL,
    recorded_by_subject      text        NOT NULL,
    recorded_by_name         text        NOT NULL,
    recorded_at              timestamptz NOT NULL
);
CREATE UNIQUE INDEX ux_timescale_revision_action ON {schema}.timescale_revision (action_id, sequence);
CREATE INDEX ix_timescale_revision_approved_on ON {schema}.timescale_revision (approved_on);

CREATE TABLE {schema}.status_change (
    id                     uuid        PRIMARY KEY,
    action_id              uuid        NOT NULL REFERENCES {schema}.action (id) ON DELETE CASCADE,
    sequence               integer     NOT NULL,
    from_status            text        NOT NULL,
    to_status              text        NOT NULL,
    reason                 text        NOT NULL,
    changed_by_subject     text        NOT NULL,
    changed_by_name        text        NOT NULL,
    changed_at             timestamptz NOT NULL,
    timescale_revision_id  uuid        NULL REFERENCES {schema}.timescale_revision (id),
    CHECK (to_status <> 'Yellow' OR timescale_revision_id IS NOT NULL)
);
CREATE UNIQUE INDEX ux_status_change_action ON {schema}.status_change (action_id, sequence);

CREATE TABLE {schema}.metric_link (
    id                   uuid          PRIMARY KEY,
    plan_id              uuid          NOT NULL REFERENCES {schema}.plan (id) ON DELETE CASCADE,
    action_id            uuid          NOT NULL REFERENCES {schema}.action (id) ON DELETE CASCADE,
    metric_key           text          NOT NULL,
    comparison           text          NOT NULL CHECK (comparison IN ('AtLeast', 'AtMost')),
    target               numeric(6, 4) NOT NULL CHECK (target BETWEEN 0 AND 1),
    agency_scope         text          NOT NULL CHECK (agency_scope IN ('Overall', 'EachAgency', 'Agency')),
    agency_code          text          NULL,
    period_kind          text          NOT NULL,
    minimum_denominator  integer       NOT NULL CHECK (minimum_denominator >= 1),
    description          text          NOT NULL,
    updated_by           text          NOT NULL,
    updated_at           timestamptz   NOT NULL,
    version              bigint        NOT NULL,
    CHECK ((agency_scope = 'Agency') = (agency_code IS NOT NULL))
);
-- The consumer looks links up by metric key; one publication touches few keys.
CREATE INDEX ix_metric_link_key ON {schema}.metric_link (metric_key, period_kind);
CREATE INDEX ix_metric_link_action ON {schema}.metric_link (action_id);

CREATE TABLE {schema}.metric_evidence (
    id              uuid          PRIMARY KEY,
    action_id       uuid          NOT NULL REFERENCES {schema}.action (id) ON DELETE CASCADE,
    link_id         uuid          NULL REFERENCES {schema}.metric_link (id) ON DELETE SET NULL,
    publication_id  uuid          NOT NULL,
    period_kind     text          NOT NULL,
    period_start    date          NOT NULL,
    period_end      date          NOT NULL,
    published_at    timestamptz   NOT NULL,
    metric_key      text          NOT NULL,
    agency_code     text          NULL,
    numerator       bigint        NOT NULL,
    denominator     bigint        NOT NULL,
    value           numeric(12, 6) NULL,
    comparison      text          NOT NULL,
    target          numeric(6, 4) NOT NULL,
    met             boolean       NULL,
    recorded_at     timestamptz   NOT NULL
);
-- One figure per link, period and agency: a later publication for the same period replaces it.
CREATE UNIQUE INDEX ux_metric_evidence_period ON {schema}.metric_evidence (link_id, period_kind, period_start, period_end, coalesce(agency_code, ''))
    WHERE link_id IS NOT NULL;
CREATE INDEX ix_metric_evidence_action ON {schema}.metric_evidence (action_id, period_end);
CREATE INDEX ix_metric_evidence_missed ON {schema}.metric_evidence (period_start, period_end) WHERE met = false;
