CREATE TABLE {schema}.agency (
    code        text        PRIMARY KEY,
    name        text        NOT NULL,
    kind        text        NOT NULL,
    active      boolean     NOT NULL,
    version     bigint      NOT NULL,
    updated_at  timestamptz NOT NULL
);

CREATE TABLE {schema}.spoc (
    id              uuid        PRIMARY KEY,
    agency_code     text        NOT NULL REFERENCES {schema}.agency (code),
    area            text        NULL,
    full_name       text        NOT NULL,
    rank            integer     NOT NULL CHECK (rank >= 0),
    secure_email    text        NOT NULL,
    phone           text        NULL,
    active          boolean     NOT NULL,
    retired_reason  text        NULL,
    version         bigint      NOT NULL,
    updated_at      timestamptz NOT NULL
);
-- One active SPOC per rank within an agency and area (null area = agency-wide).
CREATE UNIQUE INDEX ux_spoc_active_rank ON {schema}.spoc (agency_code, lower(coalesce(area, '')), rank) WHERE active;
CREATE INDEX ix_spoc_agency ON {schema}.spoc (agency_code);

CREATE TABLE {schema}.spoc_cover (
    id         uuid        PRIMARY KEY,
    spoc_id    uuid        NOT NULL REFERENCES {schema}.spoc (id) ON DELETE CASCADE,
    starts_at  timestamptz NOT NULL,
    ends_at    timestamptz NOT NULL,
    reason     text        NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX ix_spoc_cover_spoc ON {schema}.spoc_cover (spoc_id);
