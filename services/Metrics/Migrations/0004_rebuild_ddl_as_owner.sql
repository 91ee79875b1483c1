-- The rebuild's DDL (issue 13's shadow tables and their switch) runs as the schema's owner, through these two
-- functions, so the service's runtime role needs no DDL rights in its schema: it may neither create, alter nor drop
-- a table (SECURITY.md, "Database roles"). SECURITY DEFINER with a fixed search_path; every name is qualified, the
-- tables are fixed here (no argument names one), and only the runtime role may call them (the migrations grant it
-- EXECUTE; PUBLIC may not).

-- Fresh, empty shadow tables (*_next), copies of the live ones with their indexes and defaults.
CREATE FUNCTION {schema}.rebuild_prepare_shadows() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['meeting_fact', 'rollup_day', 'rollup_month'] LOOP
        EXECUTE format('DROP TABLE IF EXISTS %I.%I', '{schema}', t || '_next');
        EXECUTE format('CREATE TABLE %I.%I (LIKE %I.%I INCLUDING ALL)', '{schema}', t || '_next', '{schema}', t);
    END LOOP;
END $$;

-- Each shadow table takes its live table's place: its name, its indexes' names (matched by definition, so an index a
-- later migration adds is kept too) and its grants; then fresh statistics for the planner. Called inside the
-- rebuild's switch transaction, so readers see the old tables or the new ones, never neither.
CREATE FUNCTION {schema}.rebuild_switch_shadows() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    t text;
    statement text;
    grants text[];
    live_names text[];
    live_shapes text[];
    shadow record;
    i int;
BEGIN
    FOREACH t IN ARRAY ARRAY['meeting_fact', 'rollup_day', 'rollup_month'] LOOP
        grants := ARRAY(
            SELECT format('GRANT %s ON %I.%I TO %s', a.privilege_type, '{schema}', t,
                          CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END)
            FROM pg_class c, aclexplode(c.relacl) a
            WHERE c.oid = format('%I.%I', '{schema}', t)::regclass AND a.grantee <> c.relowner);
        SELECT array_agg(indexname::text ORDER BY indexname), array_agg(split_part(indexdef, ' USING ', 2) ORDER BY indexname)
          INTO live_names, live_shapes
          FROM pg_indexes WHERE schemaname = '{schema}' AND tablename = t;

        EXECUTE format('DROP TABLE %I.%I', '{schema}', t);
        EXECUTE format('ALTER TABLE %I.%I RENAME TO %I', '{schema}', t || '_next', t);
        FOR shadow IN SELECT indexname::text AS name, split_part(indexdef, ' USING ', 2) AS shape
                        FROM pg_indexes WHERE schemaname = '{schema}' AND tablename = t LOOP
            i := array_position(live_shapes, shadow.shape);
            IF i IS NOT NULL AND live_names[i] <> shadow.name THEN
                EXECUTE format('ALTER INDEX %I.%I RENAME TO %I', '{schema}', shadow.name, live_names[i]);
            END IF;
        END LOOP;

        FOREACH statement IN ARRAY grants LOOP
            EXECUTE statement;
        END LOOP;

        EXECUTE format('ANALYZE %I.%I', '{schema}', t);
    END LOOP;

    EXECUTE format('ANALYZE %I.decision_not_to_convene', '{schema}');
END $$;

REVOKE ALL ON FUNCTION {schema}.rebuild_prepare_shadows() FROM PUBLIC;
REVOKE ALL ON FUNCTION {schema}.rebuild_switch_shadows() FROM PUBLIC;
