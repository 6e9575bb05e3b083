/// The page of GB/T 9704-2012 (党政机关公文格式), with every Word value derived from the standard's
/// millimetres rather than copied from a template. Word counts in twips (1/20 pt, 1440 per inch).
enum GongwenLayout {
    static func twips(millimetres: Double) -> Int { Int((millimetres * 1440 / 25.4).rounded()) }

    // §5.2.1 A4 paper, 210 × 297 mm.
    static let pageWidth = twips(millimetres: 210)  // 11906
    static let pageHeight = twips(millimetres: 297)  // 16838

    // §5.2.2 top margin 37 mm, left 28 mm, text block 156 × 225 mm; so bottom 35 mm and right 26 mm.
    static let marginTop = twips(millimetres: 37)  // 2098
    static let marginLeft = twips(millimetres: 28)  // 1587
    static let marginBottom = twips(millimetres: 297 - 37 - 225)  // 1984
    static let marginRight = twips(millimetres: 210 - 28 - 156)  // 1474
    static let textWidth = pageWidth - marginLeft - marginRight  // 8845 ≈ 156.0 mm
    static let textHeight = pageHeight - marginTop - marginBottom  // 12756 = 225.0 mm

    // §5.2.3 body in 3号 (16 pt) 仿宋; 22 lines per page, 28 characters per line.
    static let bodySize = 16.0
    static let linesPerPage = 22
    static let charactersPerLine = 28

    /// Grid line pitch: the text block height divided into 22 lines, rounded down (579 twips = 28.95 pt)
    /// so that Word, which fits floor(height / pitch) lines, gets 22 and not 21.
    static let linePitch = textHeight / linesPerPage

    /// 28 characters per line: 442.25 pt / 28 = 15.79 pt per character, but 3号 is 16 pt. Condensing
    /// every character by 0.25 pt (in twentieths of a point) gives 15.75 pt, so floor(442.25 / 15.75) = 28
    /// in every renderer. A character grid (docGrid linesAndChars, charSpace -842) would express the same
    /// in Word, but LibreOffice then gives each 16 pt character two 15.79 pt cells: 14 characters a line.
    static let bodyCharacterSpacing = -5

    /// Body lines are also set to exactly the grid pitch, so the page holds 22 lines in renderers that
    /// ignore the document grid (LibreOffice) and Word alike.
    static let bodyLine = linePitch

    /// Two characters of body text: the first-line indent of every paragraph (§7.3.3).
    static let bodyCharacter = Int(bodySize * 20)  // 320 twips

    // §7.5 page numbers: 4号 (14 pt) 半角宋体, "— n —", odd pages right and even pages left, one
    // character in from the edge, the dash line 7 mm below the text block.
    static let pageNumberSize = 14.0
    static let pageNumberIndent = Int(pageNumberSize * 20)  // one 14 pt character = 280 twips
    static let pageNumberLine = 320  // exact 16 pt line holding the 14 pt digits
    /// Word's footer distance is measured from the page edge to the bottom of the footer text:
    /// 35 mm bottom margin - 7 mm gap - one 16 pt line (5.64 mm) = 22.4 mm.
    static let footerDistance = marginBottom - twips(millimetres: 7) - pageNumberLine

    // §7.3.2 title in 2号 (22 pt) 方正小标宋简体, centred; a fixed 35 pt line keeps multi-line titles even.
    static let titleSize = 22.0
    static let titleLine = 700
}

/// The 公文 font names and the fallbacks Word uses when they are missing (fontTable.xml `w:altName`).
/// Linux has none of them: scripts/fonts maps them to Noto CJK for LibreOffice.
enum GongwenFont: String, CaseIterable {
    case fangSong = "仿宋_GB2312"
    case xiaoBiaoSong = "方正小标宋简体"
    case heiTi = "黑体"
    case kaiTi = "楷体_GB2312"
    case songTi = "宋体"
    case timesNewRoman = "Times New Roman"

    /// The name Windows ships (仿宋_GB2312 and 楷体_GB2312 came with Windows XP, later ones have
    /// 仿宋 / 楷体; 方正小标宋 is a commercial font, 宋体 the closest installed face).
    var alternative: String? {
        switch self {
        case .fangSong: "仿宋"
        case .xiaoBiaoSong: "宋体"
        case .heiTi: "SimHei"
        case .kaiTi: "楷体"
        case .songTi: "SimSun"
        case .timesNewRoman: nil
        }
    }

    var panose: String {
        switch self {
        case .fangSong: "02010609030101010101"
        case .xiaoBiaoSong: "02000000000000000000"
        case .heiTi: "02010609060101010101"
        case .kaiTi: "02010609030101010101"
        case .songTi: "02010600030101010101"
        case .timesNewRoman: "02020603050405020304"
        }
    }

    var isChinese: Bool { self != .timesNewRoman }
}
