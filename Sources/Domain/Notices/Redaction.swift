/// Takes anything that may be a phone number, a personal ID or an e-mail address out of a text that a
/// gateway or a server wrote (an error that echoes the number it refused), before it is logged or stored.
public enum Redaction {
    public static func scrub(_ text: String) -> String {
        var out = ""
        var digits = ""
        func flush() {
            out += digits.count >= 6 ? "…" : digits
            digits = ""
        }
        for character in text {
            if character.isASCII && character.isNumber {
                digits.append(character)
            } else {
                flush()
                out.append(character)
            }
        }
        flush()
        // An address: the word around each `@`.
        return out.split(separator: " ", omittingEmptySubsequences: false)
            .map { $0.contains("@") ? "…" : String($0) }
            .joined(separator: " ")
    }
}
