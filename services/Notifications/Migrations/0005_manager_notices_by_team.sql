-- Issue #17: GET /api/manager-notices reads one team's notices (deliveries of the notice kinds with that team_code),
-- latest first. This index finds them by team and kind without reading every delivery; only rows with a team (the
-- notices and invitations) are in it.
CREATE INDEX ix_delivery_team_kind ON {schema}.delivery (team_code, kind, created_at) WHERE team_code IS NOT NULL;
