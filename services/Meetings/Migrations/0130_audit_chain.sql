-- The audit trail is append-only and tamper-evident (SECURITY.md, "The audit trail").
--
-- Each row carries its place in the chain, the hash of the row before it and its own hash:
-- SHA-256 over the previous hash, the position and the row's fields (each length-prefixed, so no two rows
-- can be made to read alike). An edited field, a deleted row or a reordering breaks the chain, and the
-- host's `verify-audit` command (AuditChainVerifier) recomputes it independently and names the first broken link.

-- The digest: previous hash ‖ position (8 bytes, big-endian) ‖ for each field its UTF-8 length (4 bytes,
-- big-endian; -1 for NULL) and bytes. AuditChainHash in the building blocks computes the same in C#.
CREATE FUNCTION {schema}.audit_chain_digest(previous bytea, chain_position bigint, fields text[]) RETURNS bytea
LANGUAGE sql IMMUTABLE AS $$
    SELECT sha256(previous || int8send(chain_position) || coalesce((
        SELECT string_agg(
                   CASE WHEN f IS NULL THEN int4send(-1)
                        ELSE int4send(octet_length(convert_to(f, 'UTF8'))) || convert_to(f, 'UTF8') END,
                   ''::bytea ORDER BY i)
        FROM unnest(fields) WITH ORDINALITY AS u(f, i)), ''::bytea))
$$;

-- The fields a row's hash covers, as text that does not depend on the session (the time in UTC, to the microsecond).
-- AuditTrails.Meetings in the service names the same expressions for the verifier.
CREATE FUNCTION {schema}.audit_entry_fields(e {schema}.audit_entry) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY[e.id::text, to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), e.actor, e.action,
                 e.meeting_id::text, e.detail, e.trace_id]
$$;

ALTER TABLE {schema}.audit_entry
    ADD COLUMN chain_position bigint NULL,
    ADD COLUMN previous_hash  bytea  NULL,
    ADD COLUMN hash           bytea  NULL;

-- The rows written before the chain existed are chained in the order they were written.
DO $$
DECLARE
    r {schema}.audit_entry;
    previous bytea := decode(repeat('00', 32), 'hex');
    n bigint := 0;
BEGIN
    FOR r IN SELECT * FROM {schema}.audit_entry ORDER BY id LOOP
        n := n + 1;
        UPDATE {schema}.audit_entry
           SET chain_position = n,
               previous_hash = previous,
               hash = {schema}.audit_chain_digest(previous, n, {schema}.audit_entry_fields(r))
         WHERE id = r.id
        RETURNING hash INTO previous;
    END LOOP;
END $$;

ALTER TABLE {schema}.audit_entry
    ALTER COLUMN chain_position SET NOT NULL,
    ALTER COLUMN previous_hash SET NOT NULL,
    ALTER COLUMN hash SET NOT NULL,
    -- Two appends can never claim the same place: a fork fails the insert instead of forking the chain.
    ADD CONSTRAINT ux_audit_entry_chain_position UNIQUE (chain_position);

-- Every insert, whatever writes it, is chained here. The lock serialises appends (one chain per service):
-- it is held to the end of the inserting transaction, so the next append reads this row as the head.
CREATE FUNCTION {schema}.audit_entry_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    head record;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('{schema}.audit_entry chain'));
    SELECT chain_position, hash INTO head FROM {schema}.audit_entry ORDER BY chain_position DESC LIMIT 1;
    NEW.chain_position := coalesce(head.chain_position, 0) + 1;
    NEW.previous_hash := coalesce(head.hash, decode(repeat('00', 32), 'hex'));
    NEW.hash := {schema}.audit_chain_digest(NEW.previous_hash, NEW.chain_position, {schema}.audit_entry_fields(NEW));
    RETURN NEW;
END $$;

CREATE TRIGGER audit_entry_chain BEFORE INSERT ON {schema}.audit_entry
    FOR EACH ROW EXECUTE FUNCTION {schema}.audit_entry_chain();

-- Append-only: no role the service runs as may change or remove a row (until each service has its own
-- database role without UPDATE/DELETE on this table, the trigger is what enforces it).
CREATE FUNCTION {schema}.audit_entry_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % on %.audit_entry is refused', TG_OP, TG_TABLE_SCHEMA
        USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON {schema}.audit_entry
    FOR EACH ROW EXECUTE FUNCTION {schema}.audit_entry_refuse_change();
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON {schema}.audit_entry
    FOR EACH STATEMENT EXECUTE FUNCTION {schema}.audit_entry_refuse_change();
