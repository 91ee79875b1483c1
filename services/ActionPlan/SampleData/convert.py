#!/usr/bin/env python3
"""Regenerate the County Durham JTAI sample-data CSVs from the seed text files.

Usage:
    python3 convert.py PLAN_TXT [--table1-source PROGRESS_TXT] [--out DIR] [--report]

PLAN_TXT is the tab-separated text extraction of the "JTAI Improvement Action
Plan" (seed 003_*.txt).  The Table 1 source (seed 002_*.txt, the 11 Feb 2019
progress report) is found next to PLAN_TXT unless --table1-source is given.
The agency list is curated below (AGENCIES); every entry carries a citation
string that the script checks is really present in the seeds.

Outputs (written to --out, default: this script's folder):
    durham-jtai-2018.csv        one row per action of sections 1-5
    table1-december-2018.csv    Table 1 of the progress report, verbatim
    durham-agencies.csv         partner agencies named in the seeds

The conversion is deterministic: standard library only, no clock, no network.
Every hand-fix for a broken row of the text extraction is listed in FIXES-style
comments below and is asserted to apply exactly once, so a different seed text
fails loudly instead of silently producing different data.
"""

import argparse
import calendar
import csv
import glob
import os
import re
import sys

# --------------------------------------------------------------------------
# Constants
# --------------------------------------------------------------------------

# Theme names: the 5 section headings of the plan, in title case.  The plan's
# heading for section 1 is "AREA FOR PRIORITY ACTION - STRATEGY MEETINGS"; the
# theme is "Strategy Meetings" (the priority-action label is not part of it).
THEME_HEADINGS = {
    "1": ("AREA FOR PRIORITY ACTION - STRATEGY MEETINGS", "Strategy Meetings"),
    "2": ("FRONT DOOR & MULTI-AGENCY SAFEGUARDING HUB",
          "Front Door & Multi-Agency Safeguarding Hub"),
    "3": ("SAFEGUARDING PRACTICE & WORKFORCE DEVELOPMENT",
          "Safeguarding Practice & Workforce Development"),
    "4": ("LEADERSHIP & MANAGEMENT", "Leadership & Management"),
    "5": ("VOICE OF THE CHILD", "Voice of the Child"),
}

PLAN_COLUMNS = [
    "theme_number", "theme_name", "ref", "area_for_improvement", "action",
    "lead", "timescale_text", "due_date", "oversight_group",
    "expected_impact", "evidence_of_impact",
]
TABLE1_COLUMNS = ["theme_number", "theme_name", "green", "amber", "yellow",
                  "total"]
AGENCY_COLUMNS = ["code", "name", "kind"]

# Field positions in a normalised 8-column plan row.
REF, AREA, ACTION, LEAD, TS, OVERSIGHT, IMPACT, EVIDENCE = range(8)

# Columns carried down from the previous action row of the same ref when the
# source cell is blank (vertically merged cells in the original table).
# The brief asks for area/oversight/impact/evidence; timescale is carried under
# its own rule; lead is carried as well (documented decision, see NOTES.md).
CARRIED = (LEAD, TS, OVERSIGHT, IMPACT, EVIDENCE)

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7,
    "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
# "Mar.19", "Sept. 19", "Jun. 19", "Jan-19", "Dec 2018", "March 2019" ...
# Whole month names or their usual abbreviations only (as Timescale.cs in the
# service), so a typo such as "Marhc 19" is not read as March.
MONTH_TOKEN = re.compile(
    r"\b(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?"
    r"|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
    r"[\s.\-/]*((?:20)?\d{2})\b",
    re.IGNORECASE)
# "Completed" with a month still yields that month; without one -> ''.
OPEN_ENDED = re.compile(r"ongoing|on-going|continuous|\btbc\b|\btba\b",
                        re.IGNORECASE)

DEC_2018 = "2018-12-31"

# --------------------------------------------------------------------------
# Hand-fixes for rows broken by the text extraction.  Each is keyed by a text
# snippet (not a line number) and must match exactly once.
# --------------------------------------------------------------------------

# H1 (3.6, last row): the row lost its two leading empty cells, so the action
# text sits in the Ref column, the lead in the Area column and the timescale in
# the Action column ("To review training ...<TAB>TEWV<TAB>Dec.18<TAB>...").
H1_SHIFTED_LEFT = "To review training to ensure this encompasses the requirement"

# H2 (3.14): two table rows were fused into one extracted line:
#   ['', '', <action X>] + ['', '', <action Y>, 'CRC', '']
# i.e. action X "Compliance with OMS ..." (no lead / timescale) followed by
# action Y "CRC Through the Gate Team ..." (lead CRC, no timescale).  Split into
# two actions.  Their timescales are NOT carried down: the row is garbled, so
# the merged-cell layout is not clear (see NOTES.md, reconciliation).
H2_FUSED_ACTION = "Compliance with OMS and relevant checks associated"
H2_SECOND_ACTION = "CRC Through the Gate Team to ensure"

# H3 (3.14, first row): the expected-impact text landed in the evidence column
# (extra empty cell).  The same sentence is 3.15's expected impact, so move it.
H3_IMPACT_IN_EVIDENCE = "Perpetrators risks, better assessed with information"

# H7 (3.11, last row "DASVEG Partnership to ensure all partners ..."): the
# value "DASVEG" sits in the Expected-impact column with Oversight empty; it is
# an oversight group (3.13 and 2.13 have DASVEG as oversight), not an impact,
# so it is moved to Oversight (Expected impact is then carried down as usual).
H7_OVERSIGHT_IN_IMPACT = "DASVEG Partnership to ensure all partners"

# H4 (5.2): the extracted line holds two actions in one Action cell fragment:
# "Named Nurse to deliver 7 minute briefing on timeliness of referrals" and the
# first half of "All partners to ensure frontline Practitioners ... where there
# are" whose second half ("safeguarding concerns at the earliest opportunity
# ... 20 weeks stage", with lead MASDG and timescale Jun.19) is on the next
# line after a page break.  Split at "All partners"; join the page-break half.
H4_TWO_ACTIONS = "Named Nurse to deliver 7 minute briefing on timeliness"
H4_SPLIT_AT = " All partners to ensure frontline Practitioners"
H4_CONTINUATION = "safeguarding concerns at the earliest opportunity"

# H5: area-for-improvement cells split by a page break; the second half starts
# with a lower-case word and is appended to the area cell of the same ref (so
# all action rows of that ref get the full text).  Expected exactly these two:
H5_AREA_CONTINUATIONS = (
    "considered, even when there are known risks",   # 3.8
    "whether there were risks to children",          # 3.14
)

# H6: area-only rows (area text, no action, no lead, no timescale): a further
# finding covered by the action(s) above it (the Action cell was merged).  Its
# text is appended to the current area cell of the ref.  Expected exactly:
H6_AREA_ONLY = (
    "Coercive control and disguised compliance is not",     # 3.1
    "There are instances of reports being made by children",  # 5.1
)

# "See above." in the impact / evidence columns (1.1 and 3.2 rows printed
# after a page break) refers to the merged cell on the previous page: it is
# replaced by the value carried down from the previous row of the same ref.
SEE_ABOVE = "see above."


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------

TAG = re.compile(r"<[^>]+>")


def clean(text):
    """Strip HTML tags left by the extraction and collapse white space."""
    text = TAG.sub(" ", text).replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip()


def due_date(timescale):
    """Last day of the (last) month named in a timescale, ISO 8601, or ''.

    "Mar.19" -> 2019-03-31.  A range or two dates -> the end (last month
    token).  Open-ended text ("Ongoing", "TBC", ...) or no month token -> ''.
    None of the open-ended / range forms occurs in the current seed; the
    rules are here so that an updated plan is handled the documented way.
    """
    if OPEN_ENDED.search(timescale):
        return ""
    tokens = MONTH_TOKEN.findall(timescale)
    if not tokens:
        return ""
    mon, year = tokens[-1]
    month = MONTHS[mon.lower()[:3]]
    year = int(year)
    if year < 100:
        year += 2000
    last = calendar.monthrange(year, month)[1]
    return "%04d-%02d-%02d" % (year, month, last)


def is_standard_timescale(timescale):
    """True for the plain 'Mon.YY' form (e.g. 'Mar.19')."""
    return re.fullmatch(r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
                        r"\.\d{2}", timescale) is not None


class Once:
    """Counts how often each hand-fix fired; each must fire exactly once."""

    def __init__(self):
        self.hits = {}

    def hit(self, name):
        self.hits[name] = self.hits.get(name, 0) + 1

    def check(self, expected):
        bad = {k: self.hits.get(k, 0) for k in expected
               if self.hits.get(k, 0) != 1}
        if bad:
            raise SystemExit("hand-fix did not apply exactly once: %r" % bad)


# --------------------------------------------------------------------------
# Plan parsing
# --------------------------------------------------------------------------

def normalise(fields, fixes):
    """Return a list of 8-column rows (usually one) for one extracted line."""
    f = [clean(x) for x in fields]

    if f[0].startswith(H1_SHIFTED_LEFT):                       # H1
        fixes.hit("H1")
        f = ["", ""] + f
        f = f[:8] if not any(f[8:]) else f
    if len(f) == 9:
        # Nine columns: one spurious empty cell.  Either trailing (drop it) or
        # between Oversight and Expected impact (2.3, 3.6 first rows).
        if f[8] == "":
            f = f[:8]
        else:
            if f[5] and f[6]:
                raise SystemExit("unexpected 9-column row: %r" % f)
            f = f[:5] + [f[5] or f[6], f[7], f[8]]
    if len(f) != 8:
        raise SystemExit("unexpected column count %d: %r" % (len(f), f))

    if f[ACTION].startswith(H2_FUSED_ACTION):                  # H2
        fixes.hit("H2")
        if not f[OVERSIGHT].startswith(H2_SECOND_ACTION) or f[IMPACT] != "CRC":
            raise SystemExit("H2 layout changed: %r" % f)
        first = ["", "", f[ACTION], "", "", "", "", ""]
        second = ["", "", f[OVERSIGHT], f[IMPACT], "", "", "", f[EVIDENCE]]
        return [(first, {"no_carry": {LEAD, TS}, "fix": "H2"}),
                (second, {"no_carry": {TS}, "fix": "H2"})]

    if f[EVIDENCE].startswith(H3_IMPACT_IN_EVIDENCE) and not f[IMPACT] \
            and f[REF] == "3.14":                              # H3
        fixes.hit("H3")
        f[IMPACT], f[EVIDENCE] = f[EVIDENCE], ""

    if f[ACTION].startswith(H7_OVERSIGHT_IN_IMPACT):           # H7
        fixes.hit("H7")
        if f[OVERSIGHT] or f[IMPACT] != "DASVEG":
            raise SystemExit("H7 layout changed: %r" % f)
        f[OVERSIGHT], f[IMPACT] = f[IMPACT], ""

    if f[ACTION].startswith(H4_TWO_ACTIONS):                   # H4 split
        fixes.hit("H4a")
        head, sep, tail = f[ACTION].partition(H4_SPLIT_AT)
        if not sep:
            raise SystemExit("H4 split point not found")
        first = list(f)
        first[ACTION] = head.strip()
        second = ["", "", sep.strip() + tail, f[LEAD], "", "", "", ""]
        return [(first, {"fix": "H4"}), (second, {"fix": "H4"})]

    fix = [name for name, hit in (
        ("H1", f[ACTION].startswith(H1_SHIFTED_LEFT)),
        ("H3", f[IMPACT].startswith(H3_IMPACT_IN_EVIDENCE) and f[REF] == "3.14"),
        ("H7", f[ACTION].startswith(H7_OVERSIGHT_IN_IMPACT))) if hit]
    return [(f, {"fix": ",".join(fix)})]


def parse_plan(path):
    with open(path, encoding="utf-8") as fh:
        lines = fh.read().split("\n")

    fixes = Once()
    rows = []             # output records (dicts), in source order
    narrative = []        # non-table text inside sections (for NOTES)
    theme = None
    state = None          # per-ref carry state

    for lineno, line in enumerate(lines, 1):
        if "\t" not in line:
            m = re.match(r"^([1-5])\.\s+(.+?)\s*$", line)
            if m and line.strip() and m.group(1) in THEME_HEADINGS:
                heading = THEME_HEADINGS[m.group(1)][0]
                if m.group(2) != heading:
                    raise SystemExit("unexpected heading %r" % line)
                theme = m.group(1)
                state = None
            elif theme and line.strip():
                narrative.append((lineno, theme, line.strip()))
            continue
        if theme is None:
            continue                                  # acronym list
        fields = line.split("\t")
        if fields[0].strip().startswith("Ref"):
            continue                                  # repeated header row
        if all(set(x.strip()) <= {"-"} for x in fields):
            continue                                  # "------" separator row

        for f, meta in normalise(fields, fixes):
            if f[REF]:
                state = {"ref": f[REF], "area": {"text": ""}, "last": None}
            if state is None:
                raise SystemExit("row before any ref at line %d" % lineno)

            area = f[AREA]
            if area and area.startswith(H5_AREA_CONTINUATIONS):   # H5
                fixes.hit("H5:" + area[:20])
                state["area"]["text"] += " " + area
            elif area and not f[ACTION]:
                if not area.startswith(H6_AREA_ONLY):
                    raise SystemExit("unexpected area-only row %d" % lineno)
                fixes.hit("H6:" + area[:20])                       # H6
                state["area"]["text"] += " " + area
            elif area:
                state["area"] = {"text": area}

            if f[ACTION].startswith(H4_CONTINUATION):              # H4 join
                fixes.hit("H4b")
                prev = state["last"]
                prev["action"] += " " + f[ACTION]
                for col in (LEAD, TS, OVERSIGHT, IMPACT, EVIDENCE):
                    if f[col]:
                        if prev["raw"][col] and prev["raw"][col] != f[col]:
                            raise SystemExit("H4 conflict in column %d" % col)
                        prev["raw"][col] = f[col]
                        prev["values"][col] = f[col]
                        prev["carried"].discard(col)
                continue

            if not f[ACTION]:
                # Area-only / continuation rows: remaining cells (e.g. the 3.8
                # oversight printed after the page break) fill blanks of the
                # ref's rows so far.
                for col in (LEAD, TS, OVERSIGHT, IMPACT, EVIDENCE):
                    if f[col]:
                        for r in rows:
                            if r["ref"] == state["ref"] and \
                                    r["theme"] == theme and \
                                    not r["values"][col]:
                                r["values"][col] = f[col]
                                r["filled_from_continuation"].add(col)
                continue

            values = {}
            carried = set()
            prev = state["last"]
            no_carry = meta.get("no_carry", set())
            for col in CARRIED:
                v = f[col]
                if v.lower() == SEE_ABOVE:
                    if prev is None:
                        raise SystemExit("'See above.' without a row above")
                    v = prev["values"][col]
                    carried.add(col)
                elif not v and prev is not None and col not in no_carry:
                    v = prev["values"][col]
                    if v:
                        carried.add(col)
                values[col] = v
            rec = {
                "lineno": lineno, "theme": theme, "ref": state["ref"],
                "area": state["area"], "action": f[ACTION], "raw": list(f),
                "values": values, "carried": carried,
                "filled_from_continuation": set(),
                "see_above": {c for c in CARRIED if f[c].lower() == SEE_ABOVE},
                "fix": meta.get("fix", ""),
            }
            rows.append(rec)
            state["last"] = rec

    fixes.check(["H1", "H2", "H3", "H4a", "H4b", "H7"]
                + ["H5:" + s[:20] for s in H5_AREA_CONTINUATIONS]
                + ["H6:" + s[:20] for s in H6_AREA_ONLY])
    return rows, narrative


def plan_records(rows):
    out = []
    for r in rows:
        v = r["values"]
        out.append({
            "theme_number": r["theme"],
            "theme_name": THEME_HEADINGS[r["theme"]][1],
            "ref": r["ref"],
            "area_for_improvement": r["area"]["text"].strip(),
            "action": r["action"],
            "lead": v[LEAD],
            "timescale_text": v[TS],
            "due_date": due_date(v[TS]),
            "oversight_group": v[OVERSIGHT],
            "expected_impact": v[IMPACT],
            "evidence_of_impact": v[EVIDENCE],
        })
    return out


# --------------------------------------------------------------------------
# Table 1 (progress report, 11 February 2019)
# --------------------------------------------------------------------------

def parse_table1(path):
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    start = text.index("Table 1:")
    out = []
    for line in text[start:].split("\n"):
        m = re.match(r"^(\d)\.\t(.+?)\t(\d+)\t(\d+)\t(\d+)\t(\d+)\s*$", line)
        if m:
            out.append(dict(zip(TABLE1_COLUMNS, m.groups())))
            continue
        m = re.match(r"^(TOTALS:)\t\t(\d+)\t(\d+)\t(\d+)\t(\d+)\s*$", line)
        if m:
            out.append(dict(zip(TABLE1_COLUMNS, ("",) + m.groups())))
            break
    if len(out) != 6:
        raise SystemExit("Table 1 not found / incomplete in %s" % path)
    # Internal consistency of the published table.
    for r in out:
        g, a, y, t = (int(r[k]) for k in ("green", "amber", "yellow", "total"))
        if g + a + y != t:
            raise SystemExit("Table 1 row does not add up: %r" % r)
    for k in ("green", "amber", "yellow", "total"):
        if sum(int(r[k]) for r in out[:5]) != int(out[5][k]):
            raise SystemExit("Table 1 column %s does not add up" % k)
    return out


# --------------------------------------------------------------------------
# Agencies (curated; each citation is verified against the seed texts)
# --------------------------------------------------------------------------

# (code, name, kind, [(seed file prefix, exact snippet), ...])
AGENCIES = [
    ("DCC-CSC", "Durham County Council Children's Services", "social_care",
     [("003", "DCC\tDurham County Council"),
      ("003", "Children's Services\tMar.19"),
      ("003", "Children's Social Care Management Team")]),
    ("DCC-EDUCATION", "Durham County Council Education Service (and schools)",
     "education",
     [("003", "DCC Education Service\tMar.19"),
      ("003", "shared in a timely fashion with schools via Operation "
              "Encompass")]),
    ("DURHAM-POLICE", "Durham Constabulary", "police",
     [("003", "protocol agreement with Durham Constabulary"),
      ("003", "\tPolice\tDec.18")]),
    ("CDDFT", "County Durham & Darlington NHS Foundation Trust", "health",
     [("003", "CDDFT\tCounty Durham & Darlington NHS Foundation Trust"),
      ("003", "\tCDDFT\tSept.18")]),
    ("CDDFT-MIDWIFERY",
     "County Durham & Darlington NHS Foundation Trust maternity / midwifery "
     "services", "health",
     [("003", "Reinforce through our midwifery leads the need for early "
              "referral"),
      ("003", "Named Midwife, Named Nurse and Senior Midwife for "
              "Safeguarding")]),
    ("HDFT", "Harrogate & District NHS Foundation Trust (0-19 service: "
             "health visiting & school nursing)", "health",
     [("003", "HDFT\tHarrogate & District NHS Foundation Trust"),
      ("003", "Rolling monthly audit of 0-19 records by Named Nurse"),
      ("003", "alert HV and School nursing")]),
    ("NTHFT", "North Tees & Hartlepool Hospitals NHS Foundation Trust",
     "health",
     [("003", "NTHFT\tNorth Tees & Hartlepool Hospitals NHS Foundation "
              "Trust")]),
    ("TEWV", "Tees, Esk & Wear Valley NHS Foundation Trust", "mental_health",
     [("003", "TEWV\tTees, Esk & Wear Valley NHS Foundation Trust"),
      ("003", "in the adult mental health service")]),
    ("GP", "GP practices / Primary Care (Named GPs)", "gp",
     [("003", "GP\tGeneral Practitioners"),
      ("003", "Pilot re GP contribution to strategies"),
      ("003", "\tPrimary Care\tDec.18")]),
    ("NPS", "National Probation Service", "probation",
     [("003", "NPS\tNational Probation Service")]),
    ("CRC", "Community Rehabilitation Company", "probation",
     [("003", "CRC\tCommunity Rehabilitation Company")]),
    ("YOS", "Youth Offending Service", "youth_justice",
     [("003", "YOS\tYouth Offending Service"),
      ("003", "CRC, NPS and YOS to develop SPOC roles")]),
    ("NYAS", "National Youth Advocacy Service", "advocacy",
     [("003", "NYAS\tNational Youth Advocacy Service"),
      ("001", "Improved use of National Youth Advocacy Service (NYAS)")]),
    ("HUMANKIND", "Humankind (adult substance misuse service)",
     "substance_misuse",
     [("003", "the substance misuse service provided by Humankind")]),
    ("LSCB", "Durham Local Safeguarding Children Board (Business Unit)",
     "other",
     [("003", "LSCB\tLocal Safeguarding Children's Board"),
      ("003", "\tLSCB Business Unit\tMar.19")]),
]


def seed_text(seed_dir, prefix):
    paths = sorted(glob.glob(os.path.join(seed_dir, prefix + "_*.txt")))
    if len(paths) != 1:
        raise SystemExit("need exactly one %s_*.txt in %s" % (prefix, seed_dir))
    with open(paths[0], encoding="utf-8") as fh:
        return fh.read()


def agency_records(seed_dir):
    cache = {}
    out = []
    codes = set()
    for code, name, kind, cites in AGENCIES:
        if code in codes:
            raise SystemExit("duplicate agency code %s" % code)
        codes.add(code)
        for prefix, snippet in cites:
            if prefix not in cache:
                cache[prefix] = seed_text(seed_dir, prefix)
            if snippet not in cache[prefix]:
                raise SystemExit("citation for %s not found in %s_*: %r"
                                 % (code, prefix, snippet))
        out.append({"code": code, "name": name, "kind": kind})
    return out


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------

def write_csv(path, columns, records):
    # RFC 4180 except the record separator, which is LF as the repo's
    # .editorconfig asks (every CSV reader here accepts it): minimal quoting
    # (fields containing a comma, double quote, CR or LF are quoted; quotes are
    # doubled), UTF-8 without BOM, header row.
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n",
                           quoting=csv.QUOTE_MINIMAL)
        w.writeheader()
        for r in records:
            w.writerow(r)


def summarise(records, table1, out=sys.stdout):
    themes = sorted(THEME_HEADINGS)
    print("theme  actions  due<=2018-12-31  no_due_date  "
          "| Table1 total  yellow  total-yellow", file=out)
    t1 = {r["theme_number"]: r for r in table1} if table1 else {}
    tot = dec = nodue = 0
    for t in themes:
        rs = [r for r in records if r["theme_number"] == t]
        d = sum(1 for r in rs if r["due_date"] and r["due_date"] <= DEC_2018)
        n = sum(1 for r in rs if not r["due_date"])
        tot, dec, nodue = tot + len(rs), dec + d, nodue + n
        extra = ""
        if t in t1:
            y, tt = int(t1[t]["yellow"]), int(t1[t]["total"])
            extra = "| %12d  %6d  %12d%s" % (tt, y, tt - y,
                                              "" if tt - y == d else "  MISMATCH")
        print("%5s  %7d  %15d  %11d  %s" % (t, len(rs), d, n, extra), file=out)
    print("%5s  %7d  %15d  %11d" % ("all", tot, dec, nodue), file=out)
    return tot, dec


def report(rows, narrative, out=sys.stdout):
    """Per-row provenance: source line, carried columns, hand-fixes."""
    names = {LEAD: "lead", TS: "timescale", OVERSIGHT: "oversight",
             IMPACT: "expected_impact", EVIDENCE: "evidence"}
    for i, r in enumerate(rows, 1):
        notes = []
        if r["carried"]:
            notes.append("carried: " + ",".join(names[c] for c in
                                                sorted(r["carried"])))
        if r["see_above"]:
            notes.append("'See above.' resolved: " + ",".join(
                names[c] for c in sorted(r["see_above"])))
        if r["filled_from_continuation"]:
            notes.append("filled from continuation row: " + ",".join(
                names[c] for c in sorted(r["filled_from_continuation"])))
        if r["fix"]:
            notes.append("hand-fix " + r["fix"])
        ts = r["values"][TS]
        if ts and not is_standard_timescale(ts):
            notes.append("non-standard timescale %r" % ts)
        if not ts:
            notes.append("NO timescale")
        print("%3d  line %3d  %-5s %-10s %s  %s" % (
            i, r["lineno"], r["ref"], ts or "-", r["action"][:50],
            "; ".join(notes)), file=out)
    for lineno, theme, text in narrative:
        print("narrative (not an action) line %d theme %s: %s"
              % (lineno, theme, text[:90]), file=out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("plan", help="seed 003_*.txt (action plan text)")
    ap.add_argument("--table1-source",
                    help="progress report with Table 1 (default: 002_*.txt "
                         "next to the plan)")
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)),
                    help="output folder (default: this script's folder)")
    ap.add_argument("--report", action="store_true",
                    help="print per-row provenance (carries, hand-fixes)")
    args = ap.parse_args(argv)

    seed_dir = os.path.dirname(os.path.abspath(args.plan))
    rows, narrative = parse_plan(args.plan)
    records = plan_records(rows)

    t1_path = args.table1_source
    if not t1_path:
        found = sorted(glob.glob(os.path.join(seed_dir, "002_*.txt")))
        if len(found) != 1:
            raise SystemExit("cannot find 002_*.txt; use --table1-source")
        t1_path = found[0]
    table1 = parse_table1(t1_path)
    agencies = agency_records(seed_dir)

    os.makedirs(args.out, exist_ok=True)
    write_csv(os.path.join(args.out, "durham-jtai-2018.csv"), PLAN_COLUMNS,
              records)
    write_csv(os.path.join(args.out, "table1-december-2018.csv"),
              TABLE1_COLUMNS, table1)
    write_csv(os.path.join(args.out, "durham-agencies.csv"), AGENCY_COLUMNS,
              agencies)

    if args.report:
        report(rows, narrative)
    summarise(records, table1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
