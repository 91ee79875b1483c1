-- Issue 13: a rebuild builds the projection into shadow tables while ingestion goes on. While one runs, ingestion
-- also notes each meeting it touches; the rebuild replays those meetings from the log before it switches.
CREATE TABLE {schema}.rebuild_state (
    singleton    boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    in_progress  boolean NOT NULL
);
INSERT INTO {schema}.rebuild_state (singleton, in_progress) VALUES (true, false);
CREATE TABLE {schema}.rebuild_touched (
    meeting_id  uuid PRIMARY KEY
);
