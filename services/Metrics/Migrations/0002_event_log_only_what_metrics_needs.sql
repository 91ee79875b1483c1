-- The event log keeps only what the figures need (Projection/NotStored.cs): rows logged before this release still hold
-- the response and sign-in links (a response link's token answers for an agency), the dial-in details (bridge number,
-- conference code, the meeting's PIN) and the recipients' names and addresses. Strip them from the stored history; the
-- rebuild reads the rows with these parts empty, as it reads rows logged from now on. Safe to run again.

-- InvitationIssued v2: its parts nested.
UPDATE {schema}.event_log
SET body = body #- '{dialIn}' #- '{links,response}' #- '{links,signIn}' #- '{recipient,name}' #- '{recipient,email}'
WHERE message_type = 'urn:message:jtai-strategy:meetings:invitation-issued:v2'
  AND (body ? 'dialIn' OR body->'links' ?| array['response', 'signIn'] OR body->'recipient' ?| array['name', 'email']);

-- InvitationIssued v1 (read through StoredVersions): the same parts, flat.
UPDATE {schema}.event_log
SET body = body - 'dialInNumber' - 'conferenceCode' - 'pin' - 'responseLink' - 'signInLink' - 'recipientName' - 'recipientEmail'
WHERE message_type = 'urn:message:jtai-strategy:meetings:invitation-issued:v1'
  AND body ?| array['dialInNumber', 'conferenceCode', 'pin', 'responseLink', 'signInLink', 'recipientName', 'recipientEmail'];

-- AgreedActionsCirculated: the notice's sign-in link and its recipients (names and addresses).
UPDATE {schema}.event_log
SET body = body - 'signInLink' - 'recipients'
WHERE message_type = 'urn:message:jtai-strategy:meetings:agreed-actions-circulated:v1'
  AND body ?| array['signInLink', 'recipients'];
