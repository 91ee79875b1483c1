-- Notices to the team's managers (issue #10, parts 1 and 5b).
-- A team's manager contacts, kept by administrators like SPOC details (secure e-mail, optional name), and a version
-- on the team that every change raises (the audit names it).
CREATE TABLE {schema}.team_manager (
    team_code   text        NOT NULL REFERENCES {schema}.team (code),
    email       text        NOT NULL,
    full_name   text        NULL,
    added_by    text        NOT NULL,
    added_at    timestamptz NOT NULL,
    PRIMARY KEY (team_code, email)
);

ALTER TABLE {schema}.team
    ADD COLUMN managers_version integer NOT NULL DEFAULT 0;

-- The convening manager's e-mail from the token (a recipient of that meeting's notices only), and the notices that
-- found no recipient at all (no manager contact and no convening e-mail): kinds, shown on the meeting.
ALTER TABLE {schema}.strategy_meeting
    ADD COLUMN convened_by_email      text   NULL,
    ADD COLUMN notices_undeliverable  text[] NOT NULL DEFAULT '{}';
