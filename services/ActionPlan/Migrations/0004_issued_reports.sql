-- Reports as the MASDG issued them (issue 13): the canonical content and its SHA-256. Never changed:
-- a re-issue is a new version with a reason (the trigger function is 0003's).
CREATE TABLE {schema}.issued_report (
    id                 uuid        PRIMARY KEY,
    plan_id            uuid        NOT NULL REFERENCES {schema}.plan (id),
    kind               text        NOT NULL CHECK (kind IN ('Progress', 'Exceptions')),
    period             text        NOT NULL,
    version            integer     NOT NULL CHECK (version >= 1),
    as_at              date        NOT NULL,
    content            text        NOT NULL,
    content_sha256     text        NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
    reason             text        NULL,
    issued_by_subject  text        NOT NULL,
    issued_by_name     text        NOT NULL,
    issued_at          timestamptz NOT NULL,
    UNIQUE (plan_id, kind, period, version),
    CHECK (version = 1 OR length(trim(coalesce(reason, ''))) > 0),
    CHECK (content_sha256 = encode(sha256(convert_to(content, 'UTF8')), 'hex'))
);
CREATE TRIGGER issued_report_as_issued BEFORE UPDATE OR DELETE ON {schema}.issued_report
    FOR EACH ROW EXECUTE FUNCTION {schema}.refuse_change_to_issued_document();
