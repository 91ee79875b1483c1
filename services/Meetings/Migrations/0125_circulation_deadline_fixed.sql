-- Issue #10, part 5: once a warning or overdue notice has fired, the circulation deadline is the one notified; a later
-- correction of the end time no longer moves it. Records already warned or chased are fixed from their first notice.
ALTER TABLE {schema}.meeting_record ADD COLUMN circulation_deadline_fixed_at timestamptz NULL;

UPDATE {schema}.meeting_record
SET circulation_deadline_fixed_at = COALESCE(warned_at, last_overdue_notice_at)
WHERE warned_at IS NOT NULL OR overdue_notices > 0;
