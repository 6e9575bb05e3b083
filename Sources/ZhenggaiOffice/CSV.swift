public import Foundation

/// CSV as Chinese offices exchange it: Excel saves UTF-8 with a BOM ("CSV UTF-8") or GBK ("CSV"),
/// WPS likewise; Excel's "Unicode text" is UTF-16 with tabs.
public enum CSV {
    /// GB18030, a superset of GBK and GB2312 (CFStringEncoding GB_18030_2000 as a Foundation encoding).
    static let gb18030 = String.Encoding(rawValue: 0x8000_0632)

    /// Reads a CSV file into a worksheet of text cells (numbers and dates are left as written: ledger
    /// dates like "2024.3" or "3月底前" need the caller's parsing anyway). Records are numbered from 1,
    /// as Excel shows them; blank records are skipped but counted. A leading apostrophe that `write`
    /// put before = + - @ is removed again.
    public static func read(
        _ data: Data, fileName: String? = nil, sheetName: String = "Sheet1", limits: SpreadsheetLimits = .standard
    ) throws -> Worksheet {
        func fail(_ reason: OfficeError.Reason) -> OfficeError {
            OfficeError(reason, fileName: fileName, fileKind: .csv)
        }
        guard data.count <= limits.zip.maxEntryBytes else {
            throw fail(.totalTooLarge(limit: limits.zip.maxEntryBytes))
        }
        guard let text = decode(data) else { throw fail(.unreadableText) }
        let bytes = Array(text.utf8)
        let delimiter = detectDelimiter(bytes)
        var rows: [WorksheetRow] = []
        var record: [Cell] = []
        var field: [UInt8] = []
        var recordNumber = 1
        var cellCount = 0
        var index = 0
        var quoted = false
        var fieldWasQuoted = false

        func endField() throws {
            var value = String(decoding: field, as: UTF8.self)
            if value.utf8.count >= 2, value.utf8.first == UInt8(ascii: "'"),
                let second = value.utf8.dropFirst().first, formulaStarters.contains(second)
            {
                value.removeFirst()
            }
            guard record.count < limits.maxColumns else {
                throw fail(.tooManyColumns(sheet: sheetName, row: recordNumber, limit: limits.maxColumns))
            }
            record.append(Cell(value.isEmpty ? .empty : .text(value)))
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        func endRecord() throws {
            try endField()
            while let last = record.last, last.value.isEmpty { record.removeLast() }
            if !record.isEmpty {
                guard recordNumber <= limits.maxRows else {
                    throw fail(.tooManyRows(sheet: sheetName, limit: limits.maxRows))
                }
                cellCount += record.count
                guard cellCount <= limits.maxCells else {
                    throw fail(.tooManyCells(sheet: sheetName, limit: limits.maxCells))
                }
                rows.append(WorksheetRow(number: recordNumber, cells: record))
            }
            record.removeAll(keepingCapacity: true)
            recordNumber += 1
        }

        while index < bytes.count {
            let byte = bytes[index]
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(byte)
                }
            } else if byte == UInt8(ascii: "\"") && field.isEmpty && !fieldWasQuoted {
                quoted = true
                fieldWasQuoted = true
            } else if byte == delimiter {
                try endField()
            } else if byte == 0x0A || byte == 0x0D {
                try endRecord()
                if byte == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
            } else {
                field.append(byte)
            }
            index += 1
        }
        if !field.isEmpty || !record.isEmpty || fieldWasQuoted { try endRecord() }
        return Worksheet(name: sheetName, rows: rows)
    }

    /// CSV for old Excel: UTF-8 with a BOM (without it Chinese Excel reads GBK and shows mojibake), CRLF
    /// line ends, fields quoted when needed. Text starting with = + - @ gets a leading apostrophe so that
    /// Excel does not run it as a formula (CSV injection); `read` removes it again.
    public static func write(_ rows: [[CellValue]]) -> Data {
        byteOrderMark + lines(rows)
    }

    public static let byteOrderMark = Data([0xEF, 0xBB, 0xBF])

    /// Rows as `write` writes them, without the BOM: the pieces of a file written a batch at a time.
    public static func lines(_ rows: [[CellValue]]) -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(rows.count * 128)
        for row in rows {
            for (index, value) in row.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                var text = value.displayText
                if case .text = value, let first = text.utf8.first, formulaStarters.contains(first) {
                    text = "'" + text
                }
                let needsQuotes =
                    text.utf8.contains {
                        $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D
                    } || text.utf8.first == 0x20 || text.utf8.last == 0x20
                if needsQuotes {
                    out.append(UInt8(ascii: "\""))
                    for byte in text.utf8 {
                        if byte == UInt8(ascii: "\"") { out.append(byte) }
                        out.append(byte)
                    }
                    out.append(UInt8(ascii: "\""))
                } else {
                    out.append(contentsOf: text.utf8)
                }
            }
            out.append(0x0D)
            out.append(0x0A)
        }
        return Data(out)
    }

    private static let formulaStarters: Set<UInt8> = [
        UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"),
    ]

    /// BOM first; then strict UTF-8; then GB18030 (which also covers GBK and GB2312).
    static func decode(_ data: Data) -> String? {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return String(decoding: bytes.dropFirst(3), as: UTF8.self) }
        if bytes.starts(with: [0xFF, 0xFE]) {
            return String(data: Data(bytes.dropFirst(2)), encoding: .utf16LittleEndian)
        }
        if bytes.starts(with: [0xFE, 0xFF]) {
            return String(data: Data(bytes.dropFirst(2)), encoding: .utf16BigEndian)
        }
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        return String(data: data, encoding: gb18030)
    }

    /// Comma unless the first record has more tabs (Excel's "Unicode text") or semicolons (European Excel).
    static func detectDelimiter(_ bytes: [UInt8]) -> UInt8 {
        var counts: [UInt8: Int] = [UInt8(ascii: ","): 0, 0x09: 0, UInt8(ascii: ";"): 0]
        var quoted = false
        for byte in bytes {
            if byte == UInt8(ascii: "\"") { quoted.toggle() }
            if quoted { continue }
            if byte == 0x0A || byte == 0x0D { break }
            if counts[byte] != nil { counts[byte, default: 0] += 1 }
        }
        let comma = counts[UInt8(ascii: ",")] ?? 0
        let tab = counts[0x09] ?? 0
        let semicolon = counts[UInt8(ascii: ";")] ?? 0
        if tab > comma && tab >= semicolon { return 0x09 }
        if semicolon > comma { return UInt8(ascii: ";") }
        return UInt8(ascii: ",")
    }
}
