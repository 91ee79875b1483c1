-- Issue #17: the team's decisions not to convene are paged by keyset in their stated order (decided_at, then id, both
-- descending); this index serves each page of one team without reading the others' or sorting.
CREATE INDEX ix_decision_not_to_convene_team ON {schema}.decision_not_to_convene (team_code, decided_at DESC, id DESC);
