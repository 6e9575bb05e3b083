#!/usr/bin/env python3
"""Train the problem-category model (DOMAIN.md §4, A1 … D4) and write it as a resource of ZhenggaiText.

Multinomial naive Bayes over character 1-3 grams of ideograph runs, the same features as
Sources/ZhenggaiText/Document/CategoryClassifier.swift. Standard library only; deterministic.

    python3 training/category/train.py            # evaluate on the held-out split, then write the model
    python3 training/category/train.py --check    # evaluate only
    python3 training/category/train.py --output /tmp/model.tsv   # CI: the shipped model must equal this

Data, all in the repository: training/category/problems.tsv (written for this project), the seed
problems labelled in eval/seed-*.expected.json (their text is read from eval/seeds/) and the problems
annotated in the development part of the real corpus, eval/real/dev/*.expected.json (text + category).
eval/real/heldout is never read here. Traditional characters are folded to simplified with the table of
Sources/ZhenggaiText/TraditionalChinese.swift, as the parser does.

Evaluation, before the shipped model is trained on everything:
- every fifth written example of each category (in file order) held out;
- leave-one-document-out over the seeds and over the real development documents (each document scored
  by a model trained on everything else): the honest estimate for real reports;
- the temperature of the reported confidence (softmax(score / T)) is the one that minimises the
  leave-one-document-out log loss on the real documents and seeds, and the calibration table (confidence
  bins against accuracy) is printed for it.
"""

import argparse
import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
OUTPUT = os.path.join(ROOT, "Sources", "ZhenggaiText", "Resources", "category-model.tsv")
TRADITIONAL = os.path.join(ROOT, "Sources", "ZhenggaiText", "TraditionalChinese.swift")
REAL_DEV = os.path.join(ROOT, "eval", "real", "dev")
PREFIX = 100  # DocumentAnalysis.classifiedPrefix: only the start of a problem is classified
# Chosen by leave-one-document-out accuracy on the real development documents (see docs/parser.md).
ALPHA = 0.3
MIN_COUNT = 2
HEADLINE_WEIGHT = 2  # n-grams of the first clause count this many times
TEMPERATURES = [1, 2, 3, 4, 5, 6, 8, 12, 16, 24, 32]
BINS = [(0.0, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 0.95), (0.95, 1.01)]


def read_traditional():
    """The traditional → simplified pairs the parser folds with (one character for one)."""
    with open(TRADITIONAL, encoding="utf-8") as handle:
        source = handle.read()
    body = source[source.index('"""') + 3:source.rindex('"""')]
    scalars = [ch for ch in body if ord(ch) > 0x20]
    return {scalars[i]: scalars[i + 1] for i in range(0, len(scalars) - 1, 2)}


T2S = read_traditional()


def simplified(text):
    return "".join(T2S.get(ch, ch) for ch in text)


def is_ideograph(ch):
    v = ord(ch)
    return (0x4E00 <= v <= 0x9FFF or 0x3400 <= v <= 0x4DBF or 0x20000 <= v <= 0x2FFFF
            or 0xF900 <= v <= 0xFAFF)


def headline_end(text):
    """End of the first clause: the first 。，,； after the first character, else the whole text."""
    for index, ch in enumerate(text):
        if index > 0 and ch in "。，,；":
            return index
    return len(text)


def features(text):
    """1-3 grams inside runs of ideographs, as strings (the Swift side packs them into integers).
    An n-gram ending inside the first clause is repeated HEADLINE_WEIGHT times."""
    text = text[:PREFIX]
    cut = headline_end(text)
    grams = []
    p1 = p2 = None
    for index, ch in enumerate(text):
        if not is_ideograph(ch):
            p1 = p2 = None
            continue
        weight = HEADLINE_WEIGHT if index < cut else 1
        grams.extend([ch] * weight)
        if p1 is not None:
            grams.extend([p1 + ch] * weight)
            if p2 is not None:
                grams.extend([p2 + p1 + ch] * weight)
        p2, p1 = p1, ch
    return grams


def read_written():
    examples = []
    with open(os.path.join(HERE, "problems.tsv"), encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            category, _, text = line.partition("\t")
            if len(category) != 2 or not text:
                sys.exit(f"problems.tsv:{number}: expected 'CATEGORY<TAB>TEXT'")
            examples.append((category, simplified(text)))
    return examples


def read_real():
    """Problems of the real development documents, by document: (category, text)."""
    documents = {}
    if not os.path.isdir(REAL_DEV):
        return documents
    for name in sorted(os.listdir(REAL_DEV)):
        if not name.endswith(".expected.json"):
            continue
        with open(os.path.join(REAL_DEV, name), encoding="utf-8") as handle:
            expected = json.load(handle)
        examples = [(p["category"], simplified(p["text"])[:PREFIX]) for p in expected["problems"]]
        if examples:
            documents[name] = examples
    return documents


def read_seeds():
    """Seed problems by document: the label comes from eval/, the text from the seed file after the
    prefix (whitespace removed, as the prefixes are compared)."""
    documents = {}
    eval_dir = os.path.join(ROOT, "eval")
    for name in sorted(os.listdir(eval_dir)):
        if not (name.startswith("seed-") and name.endswith(".expected.json")):
            continue
        with open(os.path.join(eval_dir, name), encoding="utf-8") as handle:
            expected = json.load(handle)
        path = os.path.normpath(os.path.join(eval_dir, expected["document"]))
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8") as handle:
            raw = handle.read()
        squeezed = "".join(raw.split())
        examples = documents.setdefault(name, [])
        for problem in expected["problems"]:
            prefix = "".join(problem["prefix"].split())
            at = squeezed.find(prefix)
            if at >= 0:
                examples.append((problem["category"], simplified(squeezed[at:at + PREFIX])))
    return documents


def split(examples):
    seen = {}
    train, held = [], []
    for category, text in examples:
        seen[category] = seen.get(category, 0) + 1
        (held if seen[category] % 5 == 0 else train).append((category, text))
    return train, held


class Model:
    def __init__(self, examples):
        self.classes = sorted({c for c, _ in examples})
        index = {c: i for i, c in enumerate(self.classes)}
        docs = [0] * len(self.classes)
        totals = [0] * len(self.classes)
        counts = {}
        for category, text in examples:
            ci = index[category]
            docs[ci] += 1
            for gram in features(text):
                row = counts.setdefault(gram, [0] * len(self.classes))
                row[ci] += 1
                totals[ci] += 1
        counts = {gram: row for gram, row in counts.items() if sum(row) >= MIN_COUNT}
        vocabulary = len(counts)
        n = len(examples)
        self.log_priors = [math.log(d / n) for d in docs]
        self.log_defaults = [math.log(ALPHA / (t + ALPHA * vocabulary)) for t in totals]
        # Only non-zero counts are stored: delta = log P(gram|class) - log P(unseen gram|class).
        self.table = {}
        for gram, row in counts.items():
            self.table[gram] = [(ci, math.log((k + ALPHA) / ALPHA)) for ci, k in enumerate(row) if k]
        self.temperature = 1.0
        self.examples = len(examples)

    def scores(self, text):
        sums = [0.0] * len(self.classes)
        known = 0
        for gram in features(text):
            postings = self.table.get(gram)
            if postings is None:
                continue
            known += 1
            for ci, delta in postings:
                sums[ci] += delta
        return [p + known * d + s for p, d, s in zip(self.log_priors, self.log_defaults, sums)]

    def predict(self, text, temperature=None):
        scores = self.scores(text)
        t = temperature or self.temperature
        best = max(range(len(scores)), key=lambda i: (scores[i], -i))
        top = scores[best] / t
        total = sum(math.exp(s / t - top) for s in scores)
        return self.classes[best], 1 / total

    def log_loss(self, text, category, temperature):
        scores = self.scores(text)
        if category not in self.classes:
            return math.log(len(self.classes))
        top = max(scores) / temperature
        norm = top + math.log(sum(math.exp(s / temperature - top) for s in scores))
        return norm - scores[self.classes.index(category)] / temperature


def evaluate(model, held):
    correct = letter = 0
    log_loss = {t: 0.0 for t in TEMPERATURES}
    confusion = []
    for category, text in held:
        predicted, _ = model.predict(text)
        correct += predicted == category
        letter += predicted[0] == category[0]
        if predicted != category:
            confusion.append(f"  {category} → {predicted}: {text[:30]}")
        scores = model.scores(text)
        if category in model.classes:
            ci = model.classes.index(category)
            for t in TEMPERATURES:
                top = max(scores) / t
                norm = top + math.log(sum(math.exp(s / t - top) for s in scores))
                log_loss[t] += norm - scores[ci] / t
    best_t = min(TEMPERATURES, key=lambda t: (log_loss[t], t))
    return correct, letter, best_t, confusion


def write_model(model, output):
    """The model as text: a few header lines, then one n-gram per line with its class:delta pairs."""
    lines = [
        "# Generated by training/category/train.py: do not edit. "
        f"{len(model.table)} n-grams, {len(model.classes)} categories, alpha {ALPHA}, minimum count {MIN_COUNT}, "
        f"first-clause weight {HEADLINE_WEIGHT}, {model.examples} training examples.",
        "classes\t" + ",".join(model.classes),
        "priors\t" + ",".join(f"{p:.5f}" for p in model.log_priors),
        "defaults\t" + ",".join(f"{d:.5f}" for d in model.log_defaults),
        f"temperature\t{model.temperature:.1f}",
        f"headline\t{HEADLINE_WEIGHT}",
    ]
    for gram in sorted(model.table):
        postings = ",".join(f"{ci}:{delta:.3f}" for ci, delta in model.table[gram])
        lines.append(f"{gram}\t{postings}")
    with open(output, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    return os.path.getsize(output)


def leave_one_document_out(base, by_document):
    """Each document scored by a model trained on `base` and every other document: for each example
    (category, model, text)."""
    scored = []
    for name in sorted(by_document):
        others = [e for other in sorted(by_document) if other != name for e in by_document[other]]
        model = Model(base + others)
        scored.extend((category, model, text) for category, text in by_document[name])
    return scored


def calibration(scored, temperature):
    """Rows (low, high, count, accuracy, mean confidence) of the confidence bins."""
    rows = []
    predictions = [(model.predict(text, temperature), category) for category, model, text in scored]
    for low, high in BINS:
        inside = [(confidence, predicted == category) for (predicted, confidence), category in predictions
                  if low <= confidence < high]
        if inside:
            rows.append((low, high, len(inside), sum(ok for _, ok in inside) / len(inside),
                         sum(c for c, _ in inside) / len(inside)))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="evaluate only, do not write the model")
    parser.add_argument("--without-seeds", action="store_true", help="train without the seed problems")
    parser.add_argument("--without-real", action="store_true", help="train without the real development documents")
    parser.add_argument("--verbose", action="store_true", help="list held-out mistakes")
    parser.add_argument("--output", default=OUTPUT, help="where to write the model (default: the shipped resource)")
    args = parser.parse_args()

    examples = read_written()
    by_document = {} if args.without_seeds else read_seeds()
    seeds = [example for name in sorted(by_document) for example in by_document[name]]
    if not args.without_seeds and not seeds:
        print("note: eval/seeds is absent; training without the seeds")
    real_documents = {} if args.without_real else read_real()
    real = [example for name in sorted(real_documents) for example in real_documents[name]]
    train, held = split(examples)
    model = Model(train + seeds + real)
    correct, letter, _, confusion = evaluate(model, held)
    print(f"training examples: {len(examples)} written + {len(seeds)} seed + {len(real)} real (dev, "
          f"{len(real_documents)} documents)")
    print(f"written held-out accuracy: {correct}/{len(held)} = {correct / len(held):.1%} "
          f"(letter A-D: {letter / len(held):.1%})")
    if args.verbose:
        print("\n".join(confusion))
    scored = []
    if len(by_document) > 1:
        seed_scored = leave_one_document_out(examples + real, by_document)
        right = sum(m.predict(t)[0] == c for c, m, t in seed_scored)
        print(f"leave-one-seed-document-out accuracy (text only): {right}/{len(seed_scored)} = "
              f"{right / len(seed_scored):.1%}")
        scored += seed_scored
    if len(real_documents) > 1:
        real_scored = leave_one_document_out(examples + seeds, real_documents)
        right = sum(m.predict(t)[0] == c for c, m, t in real_scored)
        print(f"leave-one-real-document-out accuracy (text only, eval/real/dev): {right}/{len(real_scored)} = "
              f"{right / len(real_scored):.1%}")
        if args.verbose:
            for c, m, t in real_scored:
                predicted = m.predict(t)[0]
                if predicted != c:
                    print(f"  {c} → {predicted}: {t[:30]}")
        scored += real_scored
    temperature = 32.0
    if scored:
        losses = {t: sum(m.log_loss(x, c, t) for c, m, x in scored) / len(scored) for t in TEMPERATURES}
        temperature = min(TEMPERATURES, key=lambda t: (losses[t], t))
        print(f"temperature {temperature} (leave-one-document-out log loss {losses[temperature]:.3f}; "
              f"at 32: {losses[32]:.3f})")
        print("calibration, leave-one-document-out (confidence bin: problems, accuracy, mean confidence):")
        for low, high, count, accuracy, mean in calibration(scored, temperature):
            print(f"  [{low:.2f}, {min(high, 1):.2f}{']' if high > 1 else ')'}: {count:4d}  {accuracy:6.1%}  {mean:6.1%}")
    if args.check:
        return
    final = Model(examples + seeds + real)
    final.temperature = temperature
    size = write_model(final, args.output)
    print(f"wrote {os.path.relpath(args.output, ROOT)} ({size} bytes, {len(final.table)} n-grams)")


if __name__ == "__main__":
    main()
