#!/usr/bin/env python3
"""Time jieba's precise-mode cut (jieba.lcut, cut_all=False, HMM on) over the benchmark corpus, the
tool a Chinese-text practitioner reaches for first, so the parser's rate can be compared with it.
    pip install jieba
    python3 bench/parse/jieba_cut.py [CORPUS_DIR]"""

import os
import sys
import time

import jieba


def main():
    corpus = sys.argv[1] if len(sys.argv) > 1 else "/tmp/zhenggai-parse-corpus"
    texts = [open(os.path.join(corpus, name), encoding="utf-8", newline="").read()
             for name in sorted(os.listdir(corpus)) if name.endswith(".txt")]
    size = sum(len(text.encode("utf-8")) for text in texts)
    started = time.perf_counter()
    jieba.initialize()  # loads the dictionary; timed separately from cutting
    loaded = time.perf_counter()
    cpu = time.process_time()
    words = 0
    for text in texts:
        words += len(jieba.lcut(text))
    cpu = time.process_time() - cpu
    wall = time.perf_counter() - loaded
    print(f"jieba {jieba.__version__} lcut (precise): {len(texts)} documents, {size / 1048576:.2f} MiB, "
          f"{words} words; dictionary load {loaded - started:.2f} s; "
          f"wall {wall:.2f} s = {size / 1048576 / wall:.2f} MiB/s; CPU {cpu:.2f} s = {size / 1048576 / cpu:.2f} MiB/s")


if __name__ == "__main__":
    main()
