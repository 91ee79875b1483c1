-- Where each recorded status and timescale revision came from (issue 13): a user through the API,
-- an imported file, or reconstructed from a published progress report.
ALTER TABLE {schema}.status_change
    ADD COLUMN source text NOT NULL DEFAULT 'RecordedByUser'
        CHECK (source IN ('RecordedByUser', 'Imported', 'ReconstructedFromProgressReport'));
ALTER TABLE {schema}.timescale_revision
    ADD COLUMN source text NOT NULL DEFAULT 'RecordedByUser'
        CHECK (source IN ('RecordedByUser', 'Imported', 'ReconstructedFromProgressReport'));

-- Rows written before this migration: the Durham sample's were reconstructed from Table 1 of the
-- progress report (its seed actor says so). The others keep 'RecordedByUser': a revisions-CSV import
-- made before this migration cannot be told apart from an entry through the status API (its
-- recorded_by still names the administrator who imported it). docs/action-plan.md says so.
UPDATE {schema}.timescale_revision SET source = 'ReconstructedFromProgressReport' WHERE recorded_by_subject = 'seed:durham-jtai-2018';
UPDATE {schema}.status_change SET source = 'ReconstructedFromProgressReport' WHERE changed_by_subject = 'seed:durham-jtai-2018';

-- Every new row names its source (the service always writes it).
ALTER TABLE {schema}.status_change ALTER COLUMN source DROP DEFAULT;
ALTER TABLE {schema}.timescale_revision ALTER COLUMN source DROP DEFAULT;
