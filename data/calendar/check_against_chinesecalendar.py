#!/usr/bin/env python3
"""Compare the shipped working-day calendar with the PyPI package `chinesecalendar`.

Run from the repository root:

    pip install chinesecalendar
    python3 data/calendar/check_against_chinesecalendar.py [FIRST_DAY [LAST_DAY]]
    python3 data/calendar/check_against_chinesecalendar.py --binary .build/debug/zhenggai [FIRST [LAST]]

Without --binary it reads Sources/ZhenggaiCore/Resources/china-workdays.tsv; with it, it asks the built
program (`zhenggai calendar days --json` on an empty data folder), so what is checked is what deadlines use.

Default range 2020-01-01 .. 2026-12-31, cut to what the installed package covers.
For every day it compares
  1. the working-day status (the thing deadlines depend on) with chinese_calendar.is_workday;
  2. "listed as holiday" with the package's holiday table, and "listed as 调休 workday" with its
     workday table (catches weekend days inside a block that one side lists and the other doesn't);
  3. the festival name, loosely (the package knows one festival per day, in short form).
It prints every disagreement and exits 1 if any of kinds 1 or 2 exist (name notes don't fail).
Only the standard library and chinesecalendar are used.
"""

import datetime as dt
import os
import sys

try:
    import chinese_calendar as cc
    from chinese_calendar import constants
except ImportError:
    sys.exit("chinesecalendar is not installed: pip install chinesecalendar")

TSV = os.path.join("Sources", "ZhenggaiCore", "Resources", "china-workdays.tsv")

# Disagreements already checked against the notice text. They are still printed, but don't fail the run.
RESOLVED = {
    dt.date(2023, 12, 30): "2024 notice: 元旦 '1月1日放假，与周末连休' - only 1 Jan is 放假; the weekend before it "
                           "is an ordinary weekend (rest either way). chinesecalendar lists it as New Year's Day.",
    dt.date(2023, 12, 31): "same as 2023-12-30",
}


def load(path):
    days = {}
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 3 or parts[1] not in ("holiday", "workday"):
                sys.exit(f"{path}:{number}: malformed line: {line!r}")
            day = dt.date.fromisoformat(parts[0])
            if day in days:
                sys.exit(f"{path}:{number}: duplicate date {day}")
            if parts[1] == "workday" and day.weekday() < 5:
                sys.exit(f"{path}:{number}: workday {day} is not a Saturday or Sunday")
            days[day] = (parts[1], parts[2])
    return days


def our_workday(days, day):
    if day in days:
        return days[day][0] == "workday"
    return day.weekday() < 5


def cc_chinese_name(english):
    for member in constants.Holiday:
        if member.value == english:
            return member.chinese
    return english


def load_binary(binary, first, last):
    """The program's own answers, turned into the TSV's shape (only the days that differ or have a name)."""
    import json, subprocess, tempfile
    with tempfile.TemporaryDirectory() as folder:
        run = subprocess.run([binary, "calendar", "days", "--from", first.isoformat(), "--to", last.isoformat(),
                              "--json", "--data", os.path.join(folder, "data")],
                             capture_output=True, text=True, timeout=120)
    if run.returncode != 0:
        sys.exit(f"{binary} calendar days failed ({run.returncode}): {run.stderr.strip()}")
    days = {}
    for line in run.stdout.splitlines():
        entry = json.loads(line)
        day = dt.date.fromisoformat(entry["date"])
        plain = day.weekday() < 5
        if entry["workday"] != plain or entry["name"]:
            days[day] = ("workday" if entry["workday"] else "holiday", entry["name"] or "")
    return days


def main(argv):
    binary = None
    if len(argv) > 2 and argv[1] == "--binary":
        binary = argv[2]
        argv = [argv[0]] + argv[3:]
    if binary is None and not os.path.exists(TSV):
        sys.exit(f"{TSV} not found: run this from the repository root")
    first = dt.date.fromisoformat(argv[1]) if len(argv) > 1 else dt.date(2020, 1, 1)
    last = dt.date.fromisoformat(argv[2]) if len(argv) > 2 else dt.date(2026, 12, 31)
    covered_to = dt.date(max(d.year for d in constants.holidays), 12, 31)
    version = getattr(cc, "__version__", "?")
    print(f"chinesecalendar {version}: data up to {max(constants.holidays)} (holidays), "
          f"{max(constants.workdays)} (调休 workdays); it refuses dates after {covered_to}")
    if last > covered_to:
        print(f"note: {covered_to + dt.timedelta(days=1)} .. {last} not checked (outside the package's data)")
        last = covered_to
    days = load_binary(binary, first, last) if binary else load(TSV)
    print(f"ours: {'the answers of ' + binary if binary else TSV}")

    status, listing, names = [], [], []
    day = first
    checked = 0
    while day <= last:
        checked += 1
        wd = "一二三四五六日"[day.weekday()]
        ours = days.get(day)
        ours_text = f"{ours[0]} {ours[1]}" if ours else "(not listed)"
        their_holiday = constants.holidays.get(day)
        their_workday = constants.workdays.get(day)
        their_text = (f"holiday {their_holiday}" if their_holiday else
                      f"workday {their_workday}" if their_workday else "(not listed)")
        if our_workday(days, day) != cc.is_workday(day):
            status.append(f"{day} 周{wd}: ours {'WORK' if our_workday(days, day) else 'REST'} [{ours_text}], "
                          f"chinesecalendar {'WORK' if cc.is_workday(day) else 'REST'} [{their_text}]")
        elif (ours is not None and ours[0] == "holiday") != (their_holiday is not None) or \
                (ours is not None and ours[0] == "workday") != (their_workday is not None):
            listing.append(f"{day} 周{wd}: ours [{ours_text}], chinesecalendar [{their_text}] (same work/rest status)")
        elif ours:
            theirs = cc_chinese_name(their_holiday or their_workday)
            if theirs not in ours[1]:
                names.append(f"{day}: ours {ours[1]!r}, chinesecalendar {theirs!r}")
        day += dt.timedelta(days=1)

    print(f"checked {checked} days, {first} .. {last}")
    def show(title, lines):
        open_lines = [l for l in lines if dt.date.fromisoformat(l[:10]) not in RESOLVED]
        print(f"\n{title}: {len(lines)} ({len(lines) - len(open_lines)} already resolved by the notice text)")
        for line in lines:
            reason = RESOLVED.get(dt.date.fromisoformat(line[:10]))
            print("   " + line + (f"\n      resolved: {reason}" if reason else ""))
        return len(open_lines)

    unresolved = show("1. working-day status disagreements", status)
    unresolved += show("2. listing disagreements (same work/rest status)", listing)
    show("3. name notes (package name not contained in ours)", names)
    print(f"\nunresolved disagreements: {unresolved}")
    return 1 if unresolved else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
