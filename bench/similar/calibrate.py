#!/usr/bin/env python3
"""Precision against score, per tier, from the candidates the engine scores (calibration).

    similar-bench CORPUS all 10 /dev/null --candidates CANDIDATES     # every query's scored candidates
    python3 bench/similar/calibrate.py CORPUS:CANDIDATES [CORPUS:CANDIDATES ...] [--target 0.5]

CANDIDATES lines are `query_id<TAB>match_id<TAB>score<TAB>tier` (tier 0 same unit, 1 parent's subtree,
2 elsewhere), every candidate a query scores in full, with no floor and no relative cut. A candidate is
correct when it has the query's cluster. Several corpus:candidates pairs are pooled, each weighted
equally (its candidates count as 1/n of the total), so a small real set counts as much as a large
synthetic one; --each prints each on its own too.

For each tier it prints, by score bin: candidates, precision in the bin, precision of everything at or
above the bin, and the isotonic (pool-adjacent-violators) fit of P(correct | score), which rises with
the score. The threshold is the lowest score from which the fit stays at or above --target: a match is
shown only when matches at its score are right at least that often. The last lines are the table the
engine embeds (SimilarityCalibration.swift): score, fitted precision, pooled.
"""

import argparse
import json
import sys

TIERS = ("sameUnit", "parentSubtree", "elsewhere")


def load_clusters(path):
    clusters = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                obj = json.loads(line)
                clusters[str(obj["id"])] = obj.get("cluster")
    return clusters


def load_candidates(corpus, candidates):
    clusters = load_clusters(corpus)
    rows = []
    with open(candidates, encoding="utf-8") as handle:
        for line in handle:
            q, m, score, tier = line.rstrip("\n").split("\t")[:4]
            rows.append((int(tier), float(score), clusters[q] == clusters[m]))
    return rows


def isotonic(points):
    """points: [(score, weight, correct_weight)] sorted by score -> [(score_lo, score_hi, p, weight)]."""
    blocks = []
    for score, weight, good in points:
        blocks.append([score, score, weight, good])
        while len(blocks) > 1 and blocks[-2][3] / blocks[-2][2] > blocks[-1][3] / blocks[-1][2]:
            last = blocks.pop()
            blocks[-1][1] = last[1]
            blocks[-1][2] += last[2]
            blocks[-1][3] += last[3]
    return [(lo, hi, good / weight, weight) for lo, hi, weight, good in blocks]


def analyse(rows_by_set, target, step, name):
    print("== %s" % name)
    result = {}
    for tier in range(3):
        points = {}
        counts = 0
        for rows, set_weight in rows_by_set:
            for t, score, correct in rows:
                if t != tier:
                    continue
                counts += 1
                key = round(score, 2)  # the engine's scores, to 0.01
                w, g = points.get(key, (0.0, 0.0))
                points[key] = (w + set_weight, g + (set_weight if correct else 0.0))
        ordered = sorted((s, w, g) for s, (w, g) in points.items())
        fit = isotonic(ordered)
        threshold = None
        for lo, hi, p, _ in fit:
            if p >= target:
                threshold = lo
                break
        print("-- tier %s: %d candidates; threshold for %.2f: %s" % (
            TIERS[tier], counts, target, "none" if threshold is None else "%.2f" % threshold))
        print("   bin        n   prec_in  prec_at_or_above  fitted")
        total_w = sum(w for _, w, _ in ordered)
        total_g = sum(g for _, _, g in ordered)
        below_w = below_g = 0.0
        bins = [i * step for i in range(int(1 / step) + 1)]
        for lo in bins:
            hi = lo + step
            in_bin = [(s, w, g) for s, w, g in ordered if lo <= s < hi or (hi > 1 and s >= lo)]
            w = sum(x[1] for x in in_bin)
            g = sum(x[2] for x in in_bin)
            n = sum(1 for t_rows, sw in rows_by_set for t, s, c in t_rows if t == tier and (lo <= s < hi or (hi > 1 and s >= lo)))
            above_w, above_g = total_w - below_w, total_g - below_g
            fitted = next((p for flo, fhi, p, _ in fit if flo <= lo + step / 2 <= fhi or (flo >= lo and flo < hi)), None)
            if n:
                print("   %.2f %8d   %6.3f   %6.3f            %s" % (
                    lo, n, g / w if w else 0, above_g / above_w if above_w else 0,
                    "%.3f" % fitted if fitted is not None else "  -"))
            below_w += w
            below_g += g
        result[TIERS[tier]] = (threshold, fit)
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("sets", nargs="+", help="CORPUS:CANDIDATES")
    parser.add_argument("--target", type=float, default=0.5)
    parser.add_argument("--step", type=float, default=0.05)
    parser.add_argument("--each", action="store_true")
    args = parser.parse_args()
    loaded = []
    for spec in args.sets:
        corpus, candidates = spec.split(":")
        loaded.append((spec, load_candidates(corpus, candidates)))
    if args.each:
        for spec, rows in loaded:
            analyse([(rows, 1.0)], args.target, args.step, spec)
    pooled = [(rows, 1.0 / max(1, len(rows)) * 1e5) for _, rows in loaded]
    result = analyse(pooled, args.target, args.step, "pooled (each set weighted equally)")
    print("\nthresholds:", json.dumps({t: (None if r[0] is None else round(r[0], 2)) for t, r in result.items()}))
    for t, (_, fit) in result.items():
        print("fit %s:" % t, " ".join("%.2f-%.2f:%.3f" % (lo, hi, p) for lo, hi, p, _ in fit))


if __name__ == "__main__":
    main()
