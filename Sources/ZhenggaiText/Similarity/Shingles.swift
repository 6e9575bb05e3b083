/// Character n-grams ("shingles") of a normalised text, hashed to `UInt32`.
enum Shingles {
    /// Calls `body(key, position)` for each n-gram that does not span a break, in text order.
    @inline(__always)
    static func forEach(in scalars: [UInt32], length: Int, _ body: (UInt32, Int) -> Void) {
        let count = scalars.count
        guard count >= length, length >= 1 else { return }
        scalars.withUnsafeBufferPointer { buffer in
            var runStart = 0
            var index = 0
            while index < count {
                if buffer[index] == SimilarityText.breakScalar {
                    runStart = index + 1
                } else if index - runStart + 1 >= length {
                    let start = index - length + 1
                    body(key(buffer, start: start, length: length), start)
                }
                index += 1
            }
        }
    }

    /// Unique keys of a text, sorted.
    static func keys(of scalars: [UInt32], length: Int) -> [UInt32] {
        var keys: [UInt32] = []
        keys.reserveCapacity(scalars.count)
        forEach(in: scalars, length: length) { key, _ in keys.append(key) }
        keys.sort()
        return keys.uniquedSorted()
    }

    @inline(__always)
    static func key(_ buffer: UnsafeBufferPointer<UInt32>, start: Int, length: Int) -> UInt32 {
        if length == 2, buffer[start] <= 0xFFFF, buffer[start + 1] <= 0xFFFF {
            // Two BMP characters fit exactly: no collisions for the common case.
            return buffer[start] << 16 | buffer[start + 1]
        }
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(length)
        for offset in 0..<length {
            hash = (hash ^ UInt64(buffer[start + offset])) &* 0x0000_0100_0000_01B3
        }
        // fmix64 from MurmurHash3 spreads the bits before truncation.
        hash ^= hash >> 33
        hash &*= 0xFF51_AFD7_ED55_8CCD
        hash ^= hash >> 33
        hash &*= 0xC4CE_B9FE_1A85_EC53
        hash ^= hash >> 33
        return UInt32(truncatingIfNeeded: hash)
    }
}

extension Array where Element: Equatable {
    /// Removes adjacent duplicates (of a sorted array, all duplicates).
    func uniquedSorted() -> [Element] {
        guard count > 1 else { return self }
        var result: [Element] = []
        result.reserveCapacity(count)
        var previous = self[0]
        result.append(previous)
        for element in dropFirst() where element != previous {
            result.append(element)
            previous = element
        }
        return result
    }
}

/// The genre's stock phrases: they say that something "is not good enough" without saying what.
/// Shingles lying wholly inside one of them weigh nothing, so two problems that share only these
/// phrases do not match, however few problems the index holds (where learned weights mean little).
public enum Boilerplate {
    public static let phrases: [String] = [
        "有待进一步加强", "有待加强", "有待提高", "有待进一步提高", "有待提升", "有待改进", "有待完善",
        "还不够", "不够到位", "不到位", "不够深入", "不够扎实", "不够有力", "不够严格", "不够全面",
        "不够充分", "不够明显", "不够及时", "不够规范", "不够高", "不够强", "不够好", "做得不够",
        "存在差距", "存在一定差距", "还有差距", "仍有差距", "还有一定差距", "还存在", "仍然存在", "依然存在",
        "进一步加强", "进一步提高", "进一步强化", "进一步提升", "进一步完善", "需要进一步", "还需进一步",
        "还需加强", "仍需加强", "还需提高", "亟待加强", "亟需加强", "重视程度不够", "重视不够", "认识不足",
        "不同程度", "一定程度上", "主要表现在", "具体表现为", "表现在", "存在的问题", "存在问题",
        "方面存在", "有所欠缺", "有时候", "没有完全", "未能完全", "力度不够", "力度不大", "效果不明显",
        "成效不明显", "落实不够", "落实不力", "落实不到位", "工作中", "方面", "情况", "问题", "不足",
        "一些", "部分", "个别", "有的", "仍有", "还有", "存在", "较为", "比较", "不够", "不强", "不高",
        "不严", "不实", "不细", "不深", "不全", "不力", "进一步", "对照", "新形势", "新任务", "新要求",
        "与新形势新任务新要求相比", "相比还存在", "相比仍存在",
    ]
}
