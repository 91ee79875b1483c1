-- Order per recipient and meeting (issue #18): a recipient's notices about one meeting go in the order accepted, while
-- notices about other meetings are not held back behind them. With a SPOC per agency, every invitation of the day goes
-- to the same few addresses: one at a time per address capped the whole service at a few e-mails a second.
CREATE INDEX ix_delivery_recipient_meeting_unfinished ON {schema}.delivery (recipient_key, meeting_id, created_at) WHERE status IN ('pending', 'sending');
DROP INDEX {schema}.ix_delivery_recipient_unfinished;
