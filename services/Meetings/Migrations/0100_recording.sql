-- Recording a strategy meeting and circulating its agreed actions (issue #5): the record (one per
-- held meeting), attendance per invited agency, the working list of agreed actions, every
-- circulated version with its own copy of the actions (amendments keep the old ones), and per
-- recipient the delivery of the circulation notice.

CREATE TABLE {schema}.meeting_record (
    meeting_id                    uuid        PRIMARY KEY REFERENCES {schema}.strategy_meeting (id),
    actual_start                  timestamptz NOT NULL,
    actual_end                    timestamptz NOT NULL,
    chair_name                    text        NOT NULL,
    chair_agency_code             text        NOT NULL,
    below_national_minimum        boolean     NOT NULL,
    below_minimum_reason_code     text        NULL,
    below_minimum_reason_text     text        NULL,
    section_forty_seven_enquiry   boolean     NOT NULL,
    investigation                 text        NULL,
    immediate_safety_actions      text        NOT NULL,
    family_told                   text        NOT NULL,
    child_views                   text        NOT NULL,
    child_views_text              text        NULL,
    strategy_discussion_date      date        NOT NULL,
    initial_conference_due_by     date        NULL,
    circulation_warn_at           timestamptz NOT NULL,
    circulation_deadline          timestamptz NOT NULL,
    warned_at                     timestamptz NULL,
    overdue_notices               integer     NOT NULL DEFAULT 0,
    last_overdue_notice_at        timestamptz NULL,
    circulated_version            integer     NOT NULL DEFAULT 0,
    first_circulated_at           timestamptz NULL,
    first_circulation_on_time     boolean     NULL,
    recorded_by                   text        NOT NULL,
    recorded_at                   timestamptz NOT NULL,
    updated_at                    timestamptz NOT NULL,
    revision                      integer     NOT NULL,
    CHECK (actual_end > actual_start),
    -- Never silently: a meeting below the national minimum carries its reason.
    CHECK (NOT below_national_minimum OR below_minimum_reason_code IS NOT NULL),
    -- The child's views are recorded, or explicitly "not yet obtained"; never just empty.
    CHECK (child_views <> 'Recorded' OR child_views_text IS NOT NULL),
    CHECK (NOT section_forty_seven_enquiry OR (investigation IS NOT NULL AND initial_conference_due_by IS NOT NULL))
);
-- The MASDG's question: which meetings are still not circulated.
CREATE INDEX ix_meeting_record_uncirculated ON {schema}.meeting_record (circulation_deadline) WHERE circulated_version = 0;

CREATE TABLE {schema}.meeting_attendance (
    meeting_id     uuid    NOT NULL REFERENCES {schema}.meeting_record (meeting_id),
    agency_code    text    NOT NULL,
    agency_name    text    NOT NULL,
    agency_kind    text    NOT NULL,
    mode           text    NOT NULL,
    with_apologies boolean NOT NULL,
    PRIMARY KEY (meeting_id, agency_code),
    CHECK (mode = 'Absent' OR NOT with_apologies)
);

-- The working list: edited freely until the first circulation, then only through an amendment.
CREATE TABLE {schema}.agreed_action (
    id                 uuid        PRIMARY KEY,
    meeting_id         uuid        NOT NULL REFERENCES {schema}.meeting_record (meeting_id),
    number             integer     NOT NULL,
    description        text        NOT NULL,
    owner_agency_code  text        NOT NULL,
    due_date           date        NOT NULL,
    status             text        NOT NULL,
    UNIQUE (meeting_id, number)
);

CREATE TABLE {schema}.circulation (
    id                  uuid        PRIMARY KEY,
    meeting_id          uuid        NOT NULL REFERENCES {schema}.meeting_record (meeting_id),
    version             integer     NOT NULL,
    circulated_at       timestamptz NOT NULL,
    circulated_by       text        NOT NULL,
    on_time             boolean     NOT NULL,
    late_by_seconds     bigint      NOT NULL,
    amendment_reason    text        NULL,
    source_message_id   uuid        NOT NULL UNIQUE,
    UNIQUE (meeting_id, version),
    CHECK (version = 1 OR amendment_reason IS NOT NULL)
);

-- Each version's own copy of the actions: what was circulated stays as it was.
CREATE TABLE {schema}.circulated_action (
    circulation_id     uuid    NOT NULL REFERENCES {schema}.circulation (id),
    number             integer NOT NULL,
    description        text    NOT NULL,
    owner_agency_code  text    NOT NULL,
    due_date           date    NOT NULL,
    status             text    NOT NULL,
    PRIMARY KEY (circulation_id, number)
);

CREATE TABLE {schema}.circulation_recipient (
    circulation_id       uuid        NOT NULL REFERENCES {schema}.circulation (id),
    agency_code          text        NOT NULL,
    agency_name          text        NOT NULL,
    spoc_id              uuid        NULL,
    recipient_name       text        NULL,
    recipient_email      text        NULL,
    delivery_state       text        NOT NULL,
    delivery_updated_at  timestamptz NULL,
    delivery_failure     text        NULL,
    PRIMARY KEY (circulation_id, agency_code)
);
