#!/usr/bin/env python3
"""Zhenggai's similarity index and datasketch MinHash LSH, side by side on one labelled corpus.

datasketch is what a practitioner would reach for: MinHash over character 2-grams, 128 permutations,
MinHashLSH with threshold 0.6. Both are measured the same way (docs/similarity.md):

- queries: records (j + 1) * count // (queries + 1), j in 0..queries-1 (0 and duplicates dropped);
  each is searched against the records before it only;
- a reported match is correct when it has the query's cluster;
- precision = correct / reported; recall = correct / sum over queries of min(top, earlier same-cluster
  records); F1 = 2PR / (P + R); false per query = (reported - correct) / queries. datasketch's
  candidates are ranked by estimated Jaccard and cut to `top`; "all candidates" figures use every
  earlier candidate LSH returns and recall over all earlier same-cluster records.
- per tier (both engines, from the unit paths: the parent is the path without its last part): a match
  in the query's unit is `same_unit`, one under the parent (the parent included) `parent_subtree`, any
  other `elsewhere`; reported, precision and false per query of each.
- both engines leave out the records of the query's own document (`source`) in the query's own unit,
  as the product does: a document does not state one problem twice for one unit.
- `--queries all` queries every record but the first (the product's case: each new problem is
  searched against the earlier ones).

Zhenggai's figures come from its benchmark executable (`--zhenggai "CMD"`, run with the corpus, query
count, top and a pairs file appended), and its precision/recall are recomputed here from the pairs file,
so both columns go through the same code.

    pip install datasketch
    python3 bench/similar/datasketch_compare.py CORPUS.jsonl --queries all --top 10 \
        --zhenggai "zhenggai-bench similar" [--processes 2]
"""

import argparse
import json
import math
import os
import re
import resource
import shlex
import subprocess
import sys
import tempfile
import time

NUM_PERM = 128
THRESHOLD = 0.6


def load(path):
    records = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                obj = json.loads(line)
                records.append((str(obj["id"]), obj["text"], obj.get("cluster"), str(obj.get("unit", "")),
                                obj.get("source")))
    return records


def query_records(count, queries):
    if queries >= count - 1:
        return list(range(1, count))
    result = []
    for j in range(queries):
        record = (j + 1) * count // (queries + 1)
        if record > 0 and (not result or result[-1] != record):
            result.append(record)
    return result


def bigrams(text):
    return {text[i:i + 2] for i in range(len(text) - 1)} or {text}


def _minhashes(texts):
    from datasketch import LeanMinHash, MinHash
    out = []
    for text in texts:
        m = MinHash(num_perm=NUM_PERM)
        m.update_batch([g.encode("utf-8") for g in bigrams(text)])
        out.append(LeanMinHash(m))  # without its permutations: a third of the memory
    return out


def build_minhashes(texts, processes):
    if processes <= 1:
        return _minhashes(texts)
    from multiprocessing import Pool
    size = (len(texts) + processes * 8 - 1) // (processes * 8)
    chunks = [texts[i:i + size] for i in range(0, len(texts), size)]
    with Pool(processes) as pool:
        return [h for part in pool.map(_minhashes, chunks) for h in part]


def quality(reported_by_query, records, queried, top):
    """(reported, correct, reachable) with recall capped at `top` when top is not None."""
    cluster_of = [r[2] for r in records]
    earlier = {}
    seen = {}
    wanted = set(queried)
    for n, c in enumerate(cluster_of):
        if n in wanted:
            earlier[n] = seen.get(c, 0)
        seen[c] = seen.get(c, 0) + 1
    reported = correct = reachable = 0
    for q in queried:
        matches = reported_by_query.get(q, [])
        reported += len(matches)
        correct += sum(1 for m in matches if cluster_of[m] == cluster_of[q])
        reachable += min(top, earlier[q]) if top is not None else earlier[q]
    return reported, correct, reachable


def ratio(a, b):
    return a / b if b else 1.0


def f1(correct, reported, reachable):
    if correct == 0:
        return 0.0
    p, r = ratio(correct, reported), ratio(correct, reachable)
    return 2 * p * r / (p + r)


TIERS = ("same_unit", "parent_subtree", "elsewhere")


def tier(query_unit, match_unit):
    if match_unit == query_unit:
        return 0
    parent = query_unit.rsplit("-", 1)[0] if "-" in query_unit else None
    if parent is not None and (match_unit == parent or match_unit.startswith(parent + "-")):
        return 1
    return 2


def by_tier(reported_by_query, records, queried):
    """[(reported, correct)] for each tier."""
    counts = [[0, 0], [0, 0], [0, 0]]
    for q in queried:
        for m in reported_by_query.get(q, []):
            t = tier(records[q][3], records[m][3])
            counts[t][0] += 1
            counts[t][1] += records[m][2] == records[q][2]
    return counts


def run_datasketch(records, queried, top, processes):
    from datasketch import MinHashLSH
    texts = [r[1] for r in records]
    start = time.perf_counter()
    hashes = build_minhashes(texts, processes)
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    with lsh.insertion_session() as session:
        for n, h in enumerate(hashes):
            session.insert(n, h, check_duplication=False)
    build = time.perf_counter() - start
    from datasketch import MinHash
    times = []
    with_sketch = []
    top_k = {}
    everything = {}
    for q in queried:
        m = hashes[q]
        t0 = time.perf_counter()
        candidates = lsh.query(m)
        times.append((time.perf_counter() - t0) * 1e6)
        # The same query from its text, as Zhenggai's time is: sketch the text, then query.
        t0 = time.perf_counter()
        sketch = MinHash(num_perm=NUM_PERM)
        sketch.update_batch([g.encode("utf-8") for g in bigrams(texts[q])])
        lsh.query(sketch)
        with_sketch.append((time.perf_counter() - t0) * 1e6)
        # As Zhenggai's search (scope `source`): never a problem of the query's own document in its unit.
        source, unit = records[q][4], records[q][3]
        earlier = [c for c in candidates
                   if c < q and (source is None or records[c][4] != source or records[c][3] != unit)]
        scored = sorted((-m.jaccard(hashes[c]), c) for c in earlier)
        top_k[q] = [c for _, c in scored[:top]]
        everything[q] = earlier
    times.sort()
    with_sketch.sort()
    return dict(build=build, times=times, with_sketch=with_sketch, top_k=top_k, everything=everything)


def run_zhenggai(command, corpus, queries, top, saved=None):
    """Runs Zhenggai's benchmark, or reads a saved run: `saved` = (report file, pairs file)."""
    if saved:
        output = open(saved[0], encoding="utf-8").read()
        pairs = saved[1]
    else:
        with tempfile.NamedTemporaryFile(suffix=".tsv", delete=False) as handle:
            pairs = handle.name
        argv = shlex.split(command) + [corpus, "all" if queries == "all" else str(queries), str(top), pairs]
        if any(part.endswith("zhenggai-bench") for part in shlex.split(command)):  # `zhenggai-bench similar` takes flags; similar-bench positions
            argv = shlex.split(command) + ["--corpus", corpus, "--queries", str(queries), "--top", str(top),
                                           "--pairs", pairs]
        output = subprocess.run(argv, check=True, capture_output=True, text=True).stdout
    figures = {}
    for line in output.splitlines():
        parts = line.split("\t")
        if len(parts) == 2:
            figures[parts[0]] = parts[1]
    matches = {}
    with open(pairs, encoding="utf-8") as handle:
        for line in handle:
            query_id, match_id = line.rstrip("\n").split("\t")[:2]
            matches.setdefault(query_id, []).append(match_id)
    if not saved:
        os.unlink(pairs)
    return figures, matches


def percentile(sorted_values, fraction):
    """The same rank rule as Zhenggai's benchmark: ceil(fraction * n) - 1."""
    if not sorted_values:
        return 0.0
    rank = max(0, min(len(sorted_values) - 1, math.ceil(fraction * len(sorted_values)) - 1))
    return sorted_values[rank]


def main():
    parser = argparse.ArgumentParser(description="Zhenggai vs datasketch MinHash LSH on one corpus")
    parser.add_argument("corpus")
    parser.add_argument("--queries", default="1000", help="a number, or `all` (every record but the first)")
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--processes", type=int, default=1, help="processes for computing MinHashes")
    parser.add_argument("--zhenggai", help='command for Zhenggai\'s benchmark, e.g. "zhenggai-bench similar"')
    parser.add_argument("--zhenggai-saved", nargs=2, metavar=("REPORT", "PAIRS"),
                        help="use a saved Zhenggai run (its printed report and its --pairs file) instead")
    args = parser.parse_args()

    records = load(args.corpus)
    queries = len(records) if args.queries == "all" else int(args.queries)
    queried = query_records(len(records), queries)
    print("corpus\t%s\nproblems\t%d\nqueries\t%d\ntop_k\t%d" % (args.corpus, len(records), len(queried), args.top))

    rows = []
    if args.zhenggai or args.zhenggai_saved:
        figures, pairs = run_zhenggai(args.zhenggai, args.corpus, args.queries, args.top, args.zhenggai_saved)
        index_of = {r[0]: n for n, r in enumerate(records)}
        reported = {}
        for q in queried:
            reported[q] = [index_of[m] for m in pairs.get(records[q][0], [])]
        r, c, reach = quality(reported, records, queried, args.top)
        rows.append(("Zhenggai", figures.get("build_seconds", "?"), figures.get("peak_memory_mb", "?"),
                     figures.get("query_p50_us", "?"), figures.get("query_p99_us", "?"),
                     figures.get("query_mean_us", "?"), r, ratio(c, r), ratio(c, reach), None,
                     f1(c, r, reach), (r - c) / len(queried), by_tier(reported, records, queried)))

    ds = run_datasketch(records, queried, args.top, args.processes)
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
               resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    r, c, reach = quality(ds["top_k"], records, queried, args.top)
    ra, ca, reacha = quality(ds["everything"], records, queried, None)
    mean = sum(ds["times"]) / len(ds["times"]) if ds["times"] else 0
    rows.append(("datasketch", "%.2f" % ds["build"], "%.0f" % (peak / 1024),
                 "%.1f" % percentile(ds["times"], 0.5), "%.1f" % percentile(ds["times"], 0.99), "%.1f" % mean,
                 r, ratio(c, r), ratio(c, reach),
                 (ra, ratio(ca, ra), ratio(ca, reacha), f1(ca, ra, reacha), (ra - ca) / len(queried)),
                 f1(c, r, reach), (r - c) / len(queried), by_tier(ds["top_k"], records, queried)))

    print("\n%-11s %9s %9s %9s %9s %9s %9s %9s %7s %7s %9s" % (
        "engine", "build_s", "peak_mb", "p50_us", "p99_us", "mean_us", "reported", "precision", "recall", "f1",
        "false/q"))
    for name, build, mem, p50, p99, mean_us, rep, prec, rec, _, f, false, _ in rows:
        print("%-11s %9s %9s %9s %9s %9s %9d %9.4f %7.4f %7.4f %9.4f" % (
            name, build, mem, p50, p99, mean_us, rep, prec, rec, f, false))
    for name, *_, tiers in rows:
        for number, (rep, cor) in enumerate(tiers):
            print("%s tier %-14s reported %7d precision %.4f false/q %.4f" % (
                name, TIERS[number], rep, ratio(cor, rep), (rep - cor) / len(queried)))
    for name, *_, extra, _, _, _ in rows:
        if extra:
            print("%s all LSH candidates (no top-k): reported %d precision %.4f recall %.4f f1 %.4f false/q %.4f"
                  % ((name,) + extra))
    print("datasketch query from text (MinHash of the text + lsh.query): p50 %.1f us, p99 %.1f us"
          % (percentile(ds["with_sketch"], 0.5), percentile(ds["with_sketch"], 0.99)))
    if len(rows) == 2:
        try:
            speedup = float(rows[1][3]) / float(rows[0][3])
            print("query p50 speed-up of Zhenggai over datasketch (lsh.query alone): %.1fx" % speedup)
            print("query p50 speed-up of Zhenggai over datasketch (from text): %.1fx"
                  % (percentile(ds["with_sketch"], 0.5) / float(rows[0][3])))
        except ValueError:
            pass


if __name__ == "__main__":
    main()
