/// Maps a shingle key to a dense term number, so per-term data lives in flat arrays.
///
/// Open addressing with linear probing over two flat arrays: at a million problems the index sees
/// about a hundred million lookups while building, where `Dictionary` costs several times more.
struct TermTable: Sendable {
    private var keys: [UInt32]
    private var terms: [UInt32]
    private var mask: Int
    private(set) var count = 0

    private static let empty = UInt32.max

    init(capacity: Int = 1 << 12) {
        var size = 1 << 4
        while size < capacity * 2 {
            size <<= 1
        }
        keys = Array(repeating: 0, count: size)
        terms = Array(repeating: TermTable.empty, count: size)
        mask = size - 1
    }

    @inline(__always)
    private static func slot(_ key: UInt32, mask: Int) -> Int {
        // Multiplicative hashing: 2-gram keys are packed characters, not uniformly spread.
        Int(truncatingIfNeeded: (UInt64(key) &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    func term(for key: UInt32) -> UInt32? {
        keys.withUnsafeBufferPointer { keys in
            terms.withUnsafeBufferPointer { terms in
                var slot = TermTable.slot(key, mask: mask)
                while true {
                    let term = terms[slot]
                    if term == TermTable.empty {
                        return nil
                    }
                    if keys[slot] == key {
                        return term
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    /// The term of `key`, numbered `count` (then counted) when new.
    mutating func intern(_ key: UInt32) -> UInt32 {
        if count * 2 >= terms.count {
            grow()
        }
        let mask = self.mask
        let next = UInt32(count)
        let (term, inserted): (UInt32, Bool) = keys.withUnsafeMutableBufferPointer { keys in
            terms.withUnsafeMutableBufferPointer { terms in
                var slot = TermTable.slot(key, mask: mask)
                while true {
                    let term = terms[slot]
                    if term == TermTable.empty {
                        keys[slot] = key
                        terms[slot] = next
                        return (next, true)
                    }
                    if keys[slot] == key {
                        return (term, false)
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
        if inserted {
            count += 1
        }
        return term
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldTerms = terms
        let size = terms.count * 2
        keys = Array(repeating: 0, count: size)
        terms = Array(repeating: TermTable.empty, count: size)
        mask = size - 1
        for index in oldTerms.indices where oldTerms[index] != TermTable.empty {
            var slot = TermTable.slot(oldKeys[index], mask: mask)
            while terms[slot] != TermTable.empty {
                slot = (slot + 1) & mask
            }
            keys[slot] = oldKeys[index]
            terms[slot] = oldTerms[index]
        }
    }
}
