// Parses an .ics file with Mozilla's ical.js and prints the facts the delivery tests assert, as JSON.
// Usage: node parse-ics.mjs FILE.ics
import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';

const file = process.argv[2];
if (!file) {
  console.error('usage: node parse-ics.mjs FILE.ics');
  process.exit(2);
}

const text = readFileSync(file, 'utf8');
const calendar = new ICAL.Component(ICAL.parse(text));
const vevents = calendar.getAllSubcomponents('vevent');
if (vevents.length !== 1) {
  console.error(`expected exactly one VEVENT, found ${vevents.length}`);
  process.exit(1);
}
const vevent = vevents[0];
const event = new ICAL.Event(vevent);

const utc = (time) => (time ? { utc: time.toJSDate().toISOString(), isUtc: time.zone === ICAL.Timezone.utcTimezone } : null);
const address = (prop) => ({
  value: prop.getFirstValue(),
  cn: prop.getParameter('cn') ?? null,
  role: prop.getParameter('role') ?? null,
  rsvp: prop.getParameter('rsvp') ?? null,
  partstat: prop.getParameter('partstat') ?? null,
});

const organizer = vevent.getFirstProperty('organizer');
const result = {
  version: calendar.getFirstPropertyValue('version'),
  prodid: calendar.getFirstPropertyValue('prodid'),
  calscale: calendar.getFirstPropertyValue('calscale'),
  method: calendar.getFirstPropertyValue('method'),
  uid: event.uid,
  sequence: event.sequence,
  status: vevent.getFirstPropertyValue('status'),
  summary: event.summary,
  location: event.location,
  description: event.description,
  dtstamp: utc(vevent.getFirstPropertyValue('dtstamp')),
  dtstart: utc(event.startDate),
  dtend: utc(event.endDate),
  organizer: organizer ? address(organizer) : null,
  attendees: vevent.getAllProperties('attendee').map(address),
};
process.stdout.write(JSON.stringify(result));
