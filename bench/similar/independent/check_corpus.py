#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""Sanity counts for a labelled problem corpus (JSONL with id, unit, year, source, text, cluster).

    python3 check_corpus.py corpus.jsonl [--sample 1000] [--seed 1] [--examples 3]

Prints:
- lines, clusters with 2+ members, true pairs (pairs of lines with the same cluster), singleton lines
  (lines alone in their cluster), true pairs within one unit vs across units, exact repeats of an
  earlier line's text, and lines per category when cluster ids start with one (A1..D4);
- for a random sample of lines, the character-bigram Jaccard (the measure MinHash estimates) of
  * a true partner (a random other line of the same cluster) and the nearest true partner,
  * a random other-cluster line of the same category,
  * the hardest negative: the most similar other-cluster line of the same category (among at most
    --candidates random lines of that category),
  * for lines whose cluster id is category.family.object.defect (write_corpus.py's crossed families):
    a line with the same object and another defect, and one with the same defect and another object;
  and how often the hardest negative is at least as similar as the nearest / a random true partner.
  When cluster ids carry no category (real-pairs.jsonl), the whole corpus is one category.
"""

import argparse
import json
import random
import re
import statistics
import sys
from collections import Counter, defaultdict

CAT = re.compile(r"^([A-D][1-7])\.")


def bigrams(text):
    return frozenset(text[i:i + 2] for i in range(len(text) - 1)) or frozenset([text])


def jaccard(a, b):
    inter = len(a & b)
    return inter / float(len(a) + len(b) - inter) if inter else 0.0


def summary(xs):
    if not xs:
        return "n=0"
    xs = sorted(xs)
    q = lambda p: xs[min(len(xs) - 1, int(p * len(xs)))]
    return "n=%-6d mean %.3f  median %.3f  p25 %.3f  p75 %.3f  p90 %.3f" % (
        len(xs), statistics.mean(xs), q(0.5), q(0.25), q(0.75), q(0.9))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("--sample", type=int, default=1000, help="lines sampled for the Jaccard figures")
    ap.add_argument("--candidates", type=int, default=3000, help="lines searched for each hardest negative")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--examples", type=int, default=3, help="example pairs to print")
    a = ap.parse_args(argv)

    recs = []
    with open(a.corpus, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                recs.append(json.loads(line))
    n = len(recs)
    ids = Counter(r["id"] for r in recs)
    size = Counter(r["cluster"] for r in recs)
    multi = sum(1 for c in size.values() if c > 1)
    pairs = sum(c * (c - 1) // 2 for c in size.values())
    singles = sum(1 for c in size.values() if c == 1)
    years = [r["year"] for r in recs]
    print("corpus            %s" % a.corpus)
    print("lines             %d" % n)
    print("clusters          %d (with 2+ members: %d)" % (len(size), multi))
    print("true pairs        %d" % pairs)
    print("singleton lines   %d (%.1f%% of lines)" % (singles, 100.0 * singles / max(1, n)))
    print("largest cluster   %d; lines in clusters of 2-3: %d, 4-12: %d, 13+: %d" % (
        max(size.values()), sum(c for c in size.values() if 2 <= c <= 3),
        sum(c for c in size.values() if 4 <= c <= 12), sum(c for c in size.values() if c >= 13)))
    print("units / sources   %d / %d; years %d-%d; ordered by year: %s; duplicate ids: %d" % (
        len(set(r["unit"] for r in recs)), len(set(r["source"] for r in recs)), min(years), max(years),
        "yes" if years == sorted(years) else "NO", sum(c - 1 for c in ids.values() if c > 1)))
    # same unit again (屡改屡犯) vs other units (共性) among true pairs, counted per cluster member pairs
    same_unit = 0
    byc = defaultdict(list)
    for i, r in enumerate(recs):
        byc[r["cluster"]].append(i)
    for members in byc.values():
        u = Counter(recs[i]["unit"] for i in members)
        same_unit += sum(c * (c - 1) // 2 for c in u.values())
    print("true pairs in the same unit (屡改屡犯) %d, across units (共性) %d" % (same_unit, pairs - same_unit))
    seen, dup = set(), 0
    for r in recs:
        dup += r["text"] in seen
        seen.add(r["text"])
    print("lines whose exact text occurred earlier: %d (%.1f%%)" % (dup, 100.0 * dup / max(1, n)))

    def cat(r):
        m = CAT.match(r["cluster"])
        return m.group(1) if m else "?"

    cats = Counter(cat(r) for r in recs)
    if len(cats) > 1:
        print("lines per category " + " ".join("%s:%d" % kv for kv in sorted(cats.items())))

    # ------------------------------------------------------------------ Jaccard figures
    rng = random.Random(a.seed)
    bg = [bigrams(r["text"]) for r in recs]
    bycat = defaultdict(list)
    for i, r in enumerate(recs):
        bycat[cat(r)].append(i)
    parts = [r["cluster"].split(".") for r in recs]
    structured = any(len(p) == 4 for p in parts)
    by_obj, by_def = defaultdict(list), defaultdict(list)
    for i, p in enumerate(parts):
        if len(p) == 4:
            by_obj[(p[1], p[2])].append(i)
            by_def[(p[1], p[3])].append(i)

    sample = rng.sample(range(n), min(a.sample, n))
    pos_rand, pos_near, neg_rand, neg_hard, same_obj, same_def = [], [], [], [], [], []
    outrank_near = outrank_rand = with_pos = 0
    ex_pos, ex_neg = [], []
    for i in sample:
        ri = recs[i]
        cl = ri["cluster"]
        partners = [j for j in byc[cl] if j != i]
        pool = bycat[cat(ri)]
        cands = pool if len(pool) <= a.candidates else rng.sample(pool, a.candidates)
        best, bestj = -1.0, None
        for j in cands:
            if recs[j]["cluster"] != cl:
                s = jaccard(bg[i], bg[j])
                if s > best:
                    best, bestj = s, j
        if bestj is not None:
            neg_hard.append(best)
            ex_neg.append((best, i, bestj))
        for _ in range(20):
            j = rng.choice(pool)
            if recs[j]["cluster"] != cl:
                neg_rand.append(jaccard(bg[i], bg[j]))
                break
        if partners:
            with_pos += 1
            pj = rng.choice(partners)
            pr = jaccard(bg[i], bg[pj])
            pos_rand.append(pr)
            ex_pos.append((pr, i, pj))
            pn = max(jaccard(bg[i], bg[j]) for j in (partners if len(partners) <= 500 else rng.sample(partners, 500)))
            pos_near.append(pn)
            if bestj is not None:
                outrank_near += best >= pn
                outrank_rand += best >= pr
        if len(parts[i]) == 4:
            p = parts[i]
            o = [j for j in by_obj[(p[1], p[2])] if parts[j][3] != p[3]]
            d = [j for j in by_def[(p[1], p[3])] if parts[j][2] != p[2]]
            if o:
                same_obj.append(jaccard(bg[i], bg[rng.choice(o)]))
            if d:
                same_def.append(jaccard(bg[i], bg[rng.choice(d)]))

    print()
    print("character-bigram Jaccard, %d sampled lines (%d with a true partner)" % (len(sample), with_pos))
    print("  true pair, random partner          " + summary(pos_rand))
    print("  true pair, nearest partner         " + summary(pos_near))
    print("  same category, random negative     " + summary(neg_rand))
    print("  same category, hardest negative    " + summary(neg_hard))
    if structured:
        print("  same object, other defect          " + summary(same_obj))
        print("  same defect, other object          " + summary(same_def))
    if with_pos:
        print("  hardest negative >= nearest true partner: %.1f%% of lines with a partner" % (100.0 * outrank_near / with_pos))
        print("  hardest negative >= a random true partner: %.1f%%" % (100.0 * outrank_rand / with_pos))
    if a.examples:
        print()
        print("true pairs with the lowest overlap:")
        for s, i, j in sorted(ex_pos)[:a.examples]:
            print("  %.2f  %s\n        %s" % (s, recs[i]["text"], recs[j]["text"]))
        print("negatives with the highest overlap:")
        for s, i, j in sorted(ex_neg, reverse=True)[:a.examples]:
            print("  %.2f  [%s] %s\n        [%s] %s" % (s, recs[i]["cluster"], recs[i]["text"], recs[j]["cluster"], recs[j]["text"]))


if __name__ == "__main__":
    sys.exit(main())
