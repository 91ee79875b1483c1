-- The event log and the issued publications are append-only for the runtime role (SECURITY.md, "Database roles"):
-- the migrations grant it SELECT and INSERT only there (MetricsSetup declares both tables append-only). The rebuild
-- still has to hold ingestion off while it takes its snapshot and while it switches, and a lock stronger than
-- ROW EXCLUSIVE needs UPDATE, DELETE or TRUNCATE on the table: these two functions take those locks as the schema's
-- owner. A lock taken in a function is the calling transaction's until it ends, as LOCK TABLE's is. SECURITY DEFINER
-- with a fixed search_path; the table and the mode are fixed here; only the runtime role may call them.

-- Writers wait, readers go on: the rebuild's flag and snapshot (SHARE conflicts with ingestion's ROW EXCLUSIVE).
CREATE FUNCTION {schema}.rebuild_hold_ingestion_for_snapshot() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    EXECUTE format('LOCK TABLE %I.event_log IN SHARE MODE', '{schema}');
END $$;

-- Writers wait until the switch commits (EXCLUSIVE: only plain reads go on).
CREATE FUNCTION {schema}.rebuild_hold_ingestion_for_switch() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    EXECUTE format('LOCK TABLE %I.event_log IN EXCLUSIVE MODE', '{schema}');
END $$;

REVOKE ALL ON FUNCTION {schema}.rebuild_hold_ingestion_for_snapshot() FROM PUBLIC;
REVOKE ALL ON FUNCTION {schema}.rebuild_hold_ingestion_for_switch() FROM PUBLIC;
