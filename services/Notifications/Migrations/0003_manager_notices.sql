-- Notices to a team's managers (issue #10, part 1) are about a meeting, not always about an agency: only the
-- "no recipient left" notice names one. The sent-log keeps the agency where there is one.
ALTER TABLE {schema}.delivery ALTER COLUMN agency_code DROP NOT NULL;
