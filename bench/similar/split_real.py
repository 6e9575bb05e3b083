#!/usr/bin/env python3
"""Splits real-pairs.jsonl by cluster into a calibration half and a held-out (report) half.

    python3 bench/similar/split_real.py [REAL] --calibration OUT1 --report OUT2

Clusters are never cut, so every true pair stays whole in one half. Clusters of 2+ lines are taken
largest first (ties by the md5 of the cluster id) and each goes to the half with fewer true pairs so
far (ties: fewer lines, then the calibration half); singletons (clusters of one line) go by the parity
of the md5 of their cluster id. Each half keeps the order of the file (by year) and is searched on its
own: its problems against its own earlier problems. Deterministic: no seed.
"""
import argparse
import hashlib
import os

here = os.path.dirname(os.path.abspath(__file__))
parser = argparse.ArgumentParser()
parser.add_argument("real", nargs="?", default=os.path.join(here, "independent", "real-pairs.jsonl"))
parser.add_argument("--calibration", required=True)
parser.add_argument("--report", required=True)
args = parser.parse_args()

import json
def md5(text):
    return hashlib.md5(text.encode("utf-8")).hexdigest()


lines = []
with open(args.real, encoding="utf-8") as handle:
    for line in handle:
        if line.strip():
            lines.append((json.loads(line)["cluster"], line))
sizes = {}
for cluster, _ in lines:
    sizes[cluster] = sizes.get(cluster, 0) + 1
half_of = {}
pairs = [0, 0]
counts = [0, 0]
for cluster in sorted(sizes, key=lambda c: (-sizes[c], md5(c))):
    n = sizes[cluster]
    if n == 1:
        half = int(md5(cluster)[-1], 16) % 2
    else:
        half = min((0, 1), key=lambda h: (pairs[h], counts[h], h))
    half_of[cluster] = half
    pairs[half] += n * (n - 1) // 2
    counts[half] += n
halves = {0: [], 1: []}
for cluster, line in lines:
    halves[half_of[cluster]].append(line)
for path, lines in ((args.calibration, halves[0]), (args.report, halves[1])):
    with open(path, "w", encoding="utf-8") as out:
        out.writelines(lines)
