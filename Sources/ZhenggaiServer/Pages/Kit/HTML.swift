/// HTML written in Swift for the parts of a page that repeat hundreds of times (a ledger's rows, a
/// province's unit picker): Leaf resolved every `#(…)` of every row at run time and escaped it one Unicode
/// scalar at a time, which was three quarters of a ledger page's time (docs/benchmarks.md). The output is
/// what the template wrote, escaped the same way. The one escaper for markup built in Swift (also the
/// charts' SVG labels).
struct HTML {
    private(set) var text = ""

    init(reservingCapacity capacity: Int = 0) { text.reserveCapacity(capacity) }

    /// Markup as it is.
    mutating func raw(_ markup: String) { text += markup }

    /// Text escaped as Leaf escapes `#(…)`: & " ' < >.
    mutating func escaped(_ value: String) { text += Self.escape(value) }

    static func escape(_ value: String) -> String {
        let bytes = value.utf8
        guard bytes.contains(where: { $0 == 0x26 || $0 == 0x22 || $0 == 0x27 || $0 == 0x3C || $0 == 0x3E }) else {
            return value
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 16)
        for byte in bytes {
            switch byte {
            case 0x26: out += Array("&amp;".utf8)
            case 0x22: out += Array("&quot;".utf8)
            case 0x27: out += Array("&#39;".utf8)
            case 0x3C: out += Array("&lt;".utf8)
            case 0x3E: out += Array("&gt;".utf8)
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `<option>`s of a picker, as the templates write them.
    static func options(_ options: [LedgerPage.Option], selectable: Bool = true) -> String {
        var html = HTML(reservingCapacity: options.count * 80)
        for option in options {
            html.raw("<option value=\"")
            html.escaped(option.value)
            html.raw(selectable && option.selected ? "\" selected>" : "\">")
            html.escaped(option.label)
            html.raw("</option>")
        }
        return html.text
    }
}
