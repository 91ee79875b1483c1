-- Per-recipient order: the dispatcher looks for an earlier unfinished delivery to the same recipient before claiming.
CREATE INDEX ix_delivery_recipient_unfinished ON {schema}.delivery (recipient_key, created_at) WHERE status IN ('pending', 'sending');
