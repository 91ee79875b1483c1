-- Progress tables as published documents gave them (issue 13): counts per theme, imported as issued.
-- Neither table may be changed or deleted afterwards: a correction is a new import, beside the old one.
CREATE TABLE {schema}.published_progress_table (
    id                   uuid        PRIMARY KEY,
    plan_id              uuid        NOT NULL REFERENCES {schema}.plan (id),
    source_document      text        NOT NULL CHECK (length(source_document) BETWEEN 1 AND 500),
    published_on         date        NOT NULL,
    due_by               date        NOT NULL,
    content_sha256       text        NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
    imported_by_subject  text        NOT NULL,
    imported_by_name     text        NOT NULL,
    imported_at          timestamptz NOT NULL,
    UNIQUE (plan_id, source_document, due_by)
);

CREATE TABLE {schema}.published_progress_line (
    table_id      uuid    NOT NULL REFERENCES {schema}.published_progress_table (id),
    ordinal       integer NOT NULL,
    theme_number  integer NULL,
    theme         text    NOT NULL,
    green         integer NOT NULL CHECK (green >= 0),
    amber         integer NOT NULL CHECK (amber >= 0),
    yellow        integer NOT NULL CHECK (yellow >= 0),
    total         integer NOT NULL CHECK (total >= green + amber + yellow),
    PRIMARY KEY (table_id, ordinal)
);
CREATE UNIQUE INDEX ux_published_progress_line_theme ON {schema}.published_progress_line (table_id, coalesce(theme_number, 0));

-- Documents as issued: refused at the database, whatever path a change takes.
CREATE FUNCTION {schema}.refuse_change_to_issued_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is kept as issued: import or issue a new version instead of changing it', TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$;
CREATE TRIGGER published_progress_table_as_issued BEFORE UPDATE OR DELETE ON {schema}.published_progress_table
    FOR EACH ROW EXECUTE FUNCTION {schema}.refuse_change_to_issued_document();
CREATE TRIGGER published_progress_line_as_issued BEFORE UPDATE OR DELETE ON {schema}.published_progress_line
    FOR EACH ROW EXECUTE FUNCTION {schema}.refuse_change_to_issued_document();
