#!/usr/bin/env python3
"""Precision against score, per tier, from the candidates the engine scores; the calibrated curves.

    similar-bench CORPUS all 10 /dev/null --candidates CANDIDATES      # each calibration corpus
    python3 bench/similar/calibrate.py CORPUS:CANDIDATES [CORPUS:CANDIDATES ...] [--target 0.5] \\
        [--swift Sources/ZhenggaiText/Similarity/SimilarityCalibration+Measured.swift]

CANDIDATES lines are `query_id<TAB>match_id<TAB>score<TAB>tier` (tier 0 same unit, 1 parent's subtree,
2 elsewhere): every candidate a query scores in full, with no floor and no relative cut, each query
searched against the problems before it (as `similar-bench --candidates` writes them). A candidate is
correct when it has the query's cluster.

For each corpus and tier: the isotonic (pool-adjacent-violators) fit of P(correct | score), which never
falls as the score rises, on scores rounded to 0.01. A corpus counts for a tier only when it has at
least --min-correct correct candidates there (the real set has no same-unit recurrences at all, so it
cannot measure that tier). The calibrated curve of a tier is the LOWER of the counted corpora's fits at
every score (conservative: the precision held on each of them), and the threshold is the lowest score
from which it is at least --target. Printed: per corpus and tier, by bins of 0.05, the candidates, the
precision in the bin, the precision at or above the bin, the fit; then the calibrated curves; with
--swift, the Swift source of `SimilarityCalibration.measured`.
"""

import argparse
import json
import math
import textwrap

TIERS = ("sameUnit", "parentSubtree", "elsewhere")


def load(corpus, candidates):
    clusters = {}
    with open(corpus, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                obj = json.loads(line)
                clusters[str(obj["id"])] = obj.get("cluster")
    rows = []
    with open(candidates, encoding="utf-8") as handle:
        for line in handle:
            q, m, score, tier = line.rstrip("\n").split("\t")[:4]
            rows.append((int(tier), round(float(score), 2), clusters[q] == clusters[m]))
    return rows


def isotonic(points):
    """points: [(score, n, correct)] ascending -> steps [(score_from, precision)] never falling."""
    blocks = []
    for score, n, good in points:
        blocks.append([score, n, good])
        while len(blocks) > 1 and blocks[-2][2] * blocks[-1][1] > blocks[-1][2] * blocks[-2][1]:
            last = blocks.pop()
            blocks[-1][1] += last[1]
            blocks[-1][2] += last[2]
    return [(score, good / n) for score, n, good in blocks]


def at(steps, score):
    value = steps[0][1]
    for start, precision in steps:
        if start <= score + 1e-9:
            value = precision
        else:
            break
    return value


def threshold(steps, target):
    for start, precision in steps:
        if precision >= target - 1e-12:
            return 0.0 if start == steps[0][0] else start
    return None


def table(name, rows, tier, steps, step=0.05):
    mine = [(s, c) for t, s, c in rows if t == tier]
    print("  %s, tier %s: %d candidates, %d correct" % (name, TIERS[tier], len(mine), sum(c for _, c in mine)))
    print("     bin      n  prec_in  prec_at_or_above  fit_at_bin_start")
    nbins = int(round(1 / step)) + 1
    counts = [[0, 0] for _ in range(nbins)]
    for s, c in mine:
        b = min(nbins - 1, int(s / step + 1e-9))
        counts[b][0] += 1
        counts[b][1] += c
    above_n = len(mine)
    above_c = sum(c for _, c in mine)
    for b in range(nbins):
        n, c = counts[b]
        if n:
            print("    %.2f %6d   %6.3f   %6.3f            %s" % (
                b * step, n, c / n, above_c / above_n, "%.3f" % at(steps, b * step) if steps else "-"))
        above_n -= n
        above_c -= c


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("sets", nargs="+", help="CORPUS:CANDIDATES")
    parser.add_argument("--target", type=float, default=0.5)
    parser.add_argument("--min-correct", type=int, default=20)
    parser.add_argument("--swift", help="write SimilarityCalibration+Measured.swift here")
    parser.add_argument("--note", default="", help="a line for the Swift file's comment (which data)")
    args = parser.parse_args()

    loaded = [(spec.split(":")[0], load(*spec.split(":"))) for spec in args.sets]
    curves = {}
    for tier in range(3):
        fits = []
        print("== tier %s" % TIERS[tier])
        for name, rows in loaded:
            points = {}
            for t, s, c in rows:
                if t == tier:
                    n, g = points.get(s, (0, 0))
                    points[s] = (n + 1, g + c)
            ordered = [(s, n, g) for s, (n, g) in sorted(points.items())]
            steps = isotonic(ordered) if ordered else []
            table(name, rows, tier, steps)
            correct = sum(g for _, _, g in ordered)
            counted = correct >= args.min_correct
            print("    fit: %s" % " ".join("%.2f:%.3f" % st for st in steps))
            print("    threshold for %.2f: %s%s" % (
                args.target, threshold(steps, args.target) if steps else None,
                "" if counted else "  (not counted: fewer than %d correct)" % args.min_correct))
            if counted:
                fits.append(steps)
        # The lower of the counted fits at every score where any of them steps.
        starts = sorted({0.0} | {s for steps in fits for s, _ in steps})
        combined = []
        for s in starts:
            p = min(at(steps, s) for steps in fits)
            if not combined or abs(combined[-1][1] - p) > 1e-12:
                combined.append((s, p))
        curves[TIERS[tier]] = combined
        print("  calibrated: %s" % " ".join("%.2f:%.3f" % st for st in combined))
        print("  threshold for %.2f: %s\n" % (args.target, threshold(combined, args.target)))

    print("thresholds:", json.dumps({t: threshold(c, args.target) for t, c in curves.items()}))
    if args.swift:
        lines = [
            "// Written by bench/similar/calibrate.py; see docs/similarity.md, \"Calibration\".",
            "extension SimilarityCalibration {",
            "    /// The measured precision by tier and score: for each tier, the lower of the isotonic fits on",
            "    /// the calibration corpora (docs/similarity.md).",
        ] + ["    /// " + line for line in textwrap.wrap(args.note, 100)] + [
            "    public static let measured = SimilarityCalibration(",
        ]
        parts = []
        for name in TIERS:
            steps = curves[name]
            indent = "\n                "
            scores = indent.join(textwrap.wrap(", ".join("%.2f" % s for s, _ in steps), 96))
            # Rounded down to 0.001: never overstated.
            precisions = indent.join(textwrap.wrap(
                ", ".join("%.3f" % (math.floor(p * 1000 + 1e-9) / 1000) for _, p in steps), 96))
            parts.append("        %s: Curve(\n            scores: [%s%s],\n            precisions: [%s%s])" % (
                name, indent, scores, indent, precisions))
        lines.append(",\n".join(parts) + ")")
        lines.append("}")
        with open(args.swift, "w", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")
        print("wrote", args.swift)


if __name__ == "__main__":
    main()
