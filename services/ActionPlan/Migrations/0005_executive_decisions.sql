-- The executive's approval as a record, not free text (issue 13): who approved, in which role or meeting,
-- when, and the document reference; who recorded it and when. Never changed afterwards. A revision points to
-- the decision that approved it; revisions recorded before this (or with the free-text fields) have none.
CREATE TABLE {schema}.executive_decision (
    id                   uuid        PRIMARY KEY,
    plan_id              uuid        NOT NULL REFERENCES {schema}.plan (id),
    approver             text        NOT NULL CHECK (length(trim(approver)) BETWEEN 1 AND 200),
    role_or_meeting      text        NOT NULL CHECK (length(trim(role_or_meeting)) BETWEEN 1 AND 200),
    approved_on          date        NOT NULL,
    document_reference   text        NOT NULL CHECK (length(trim(document_reference)) BETWEEN 1 AND 500),
    recorded_by_subject  text        NOT NULL,
    recorded_by_name     text        NOT NULL,
    recorded_at          timestamptz NOT NULL
);
CREATE INDEX ix_executive_decision_plan ON {schema}.executive_decision (plan_id, approved_on);
CREATE TRIGGER executive_decision_as_recorded BEFORE UPDATE OR DELETE ON {schema}.executive_decision
    FOR EACH ROW EXECUTE FUNCTION {schema}.refuse_change_to_issued_document();

ALTER TABLE {schema}.timescale_revision ADD COLUMN executive_decision_id uuid NULL REFERENCES {schema}.executive_decision (id);
