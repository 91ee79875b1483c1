-- A bounced circulation notice goes to the agency's next SPOC (issue #10, part 4). The recipient entry keeps the first
-- SPOC's result and adds each hop (passed_on: the next SPOC, why, when, and how that notice fared), the message of the
-- last hop (its delivery results name it), and whether no SPOC is left.
ALTER TABLE {schema}.circulation_recipient
    ADD COLUMN passed_on            jsonb   NOT NULL DEFAULT '[]'::jsonb,
    ADD COLUMN passed_on_message_id uuid    NULL,
    ADD COLUMN no_recipient_left    boolean NOT NULL DEFAULT false;

CREATE INDEX ix_circulation_recipient_passed_on ON {schema}.circulation_recipient (passed_on_message_id) WHERE passed_on_message_id IS NOT NULL;
