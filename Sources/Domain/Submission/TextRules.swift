/// What a text field may hold.
public enum TextRules {
    /// U+0000–U+001F and U+007F–U+009F; with `allowingLineBreaks`, tab, LF and CR are allowed.
    public static func hasControlCharacter(_ text: String, allowingLineBreaks: Bool = false) -> Bool {
        text.unicodeScalars.contains { scalar in
            let v = scalar.value
            guard v < 0x20 || (0x7F...0x9F).contains(v) else { return false }
            return !(allowingLineBreaks && (v == 0x09 || v == 0x0A || v == 0x0D))
        }
    }
}
