"""Reference fire times for CronOracleTests, from croniter (pinned in scripts/install-deps.sh).

Reads lines "EXPRESSION<TAB>ZONE<TAB>START" (START: seconds since the epoch) from stdin and
prints, per line, "ISSUE<TAB>RAW": two space-separated lists of the next 5 fire times as seconds
since the epoch (or "error: ..." in place of a list).

ISSUE applies pie's documented rule (docs/automations.md): croniter walks the local wall clock
(naive datetimes, so it never sees the zone), and each wall-clock time becomes an instant with
Python's zoneinfo: a time skipped by a forward change fires at the first instant whose local time
is later; a repeated time fires at its first occurrence; equal instants fire once.

RAW is croniter's own answer with an aware start. It differs from the rule around daylight-saving
changes (it fires a repeated time twice when the start lies between the two, and skips a time in a
gap when the hour field is '*'), which the test counts and documents rather than compares.

implement_cron_bug=True gives Vixie's day rule: a day field starting with '*' makes both day fields
required; otherwise either may match.
"""
import sys
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from croniter import croniter

COUNT = 5


def local(instant, zone):
    return datetime.fromtimestamp(instant, zone).replace(tzinfo=None)


def fire_instant(wall, zone):
    candidates = []
    for fold in (0, 1):
        instant = int(wall.replace(tzinfo=zone, fold=fold).timestamp())
        if local(instant, zone) == wall:
            candidates.append(instant)
    if candidates:
        return min(candidates)
    # Skipped: bisect for the first instant whose local time is later than the wall time.
    low = int(wall.replace(tzinfo=zone, fold=1).timestamp())
    high = int(wall.replace(tzinfo=zone, fold=0).timestamp())
    low, high = min(low, high), max(low, high)
    while low < high:
        middle = (low + high) // 2
        if local(middle, zone) > wall:
            high = middle
        else:
            low = middle + 1
    return low


def issue_times(expression, zone, start):
    walls = croniter(expression, local(start, zone), implement_cron_bug=True)
    times = []
    for _ in range(100_000):
        if len(times) == COUNT:
            break
        instant = fire_instant(walls.get_next(datetime), zone)
        if instant > start and (not times or instant != times[-1]):
            times.append(instant)
    return times


def raw_times(expression, zone, start):
    aware = croniter(expression, datetime.fromtimestamp(start, zone), implement_cron_bug=True)
    return [int(aware.get_next(float)) for _ in range(COUNT)]


def render(compute, expression, zone, start):
    try:
        return " ".join(str(t) for t in compute(expression, zone, start))
    except Exception as error:  # croniter's refusals are reported, not raised
        return "error: " + str(error).replace("\t", " ").replace("\n", " ")


zones = {}
for line in sys.stdin:
    expression, zone_name, start = line.rstrip("\n").split("\t")
    zone = zones.setdefault(zone_name, timezone.utc if zone_name == "UTC" else ZoneInfo(zone_name))
    start = int(start)
    print(render(issue_times, expression, zone, start) + "\t" + render(raw_times, expression, zone, start))
