#!/usr/bin/env python3
"""Build the benchmark corpus: every document the project has (the seeds when ../shared/seeds exists,
the evaluation documents, the test fixtures), each also in variants with other place names and
figures, written as UTF-8 .txt files into OUT (default /tmp/zhenggai-parse-corpus). Deterministic."""

import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
VARIANTS = 40
PLACES = ["青山", "河口", "东岭", "南湖", "柳林", "石桥", "新塘", "白沙", "金川", "龙泉", "杏花", "长乐"]


def read_text(path):
    data = open(path, "rb").read()
    if data.startswith(b"\xff\xfe"):
        return data[2:].decode("utf-16-le")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    return None


def sources():
    folders = [os.path.join(ROOT, "..", "shared", "seeds"), os.path.join(ROOT, "eval"),
               os.path.join(ROOT, "Tests", "ZhenggaiTextTests", "Document", "Fixtures")]
    for folder in folders:
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if name.endswith(".txt"):
                text = read_text(os.path.join(folder, name))
                if text:
                    yield os.path.splitext(name)[0], text


def variant(text, rng):
    text = re.sub(r"XX|xx|x(?=[镇村市县区年月日个])", lambda _: rng.choice(PLACES), text)
    return re.sub(r"\d+", lambda m: str(rng.randint(1, 99)) if len(m.group()) < 4 else m.group(), text)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/zhenggai-parse-corpus"
    os.makedirs(out, exist_ok=True)
    for name in os.listdir(out):
        if name.endswith(".txt"):
            os.remove(os.path.join(out, name))
    rng = random.Random(4)
    count = size = 0
    for name, text in sources():
        for number in range(VARIANTS + 1):
            body = text if number == 0 else variant(text, rng)
            data = body.encode("utf-8")
            with open(os.path.join(out, f"{name}-{number:02d}.txt"), "wb") as handle:
                handle.write(data)
            count += 1
            size += len(data)
    print(f"{count} documents, {size / 1048576:.2f} MiB in {out}")


if __name__ == "__main__":
    main()
