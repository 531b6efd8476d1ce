/// How many SMS parts a text takes, honestly (3GPP TS 23.038): 160 GSM-7 septets in one part, 153 per
/// part when split (the concatenation header takes the rest); any character outside GSM-7 (every
/// Vietnamese letter with a diacritic but a few) makes the whole text UCS-2: 70 characters in one part,
/// 67 per part when split. A UCS-2 character outside the basic plane counts twice (a surrogate pair).
public struct SMSSegments: Sendable, Equatable {
    public enum Encoding: String, Sendable {
        case gsm7 = "GSM-7"
        case ucs2 = "UCS-2"
    }

    public let encoding: Encoding
    /// Septets (GSM-7, an extension character counting two) or UTF-16 code units (UCS-2).
    public let units: Int
    public let parts: Int

    public init(_ text: String) {
        if let septets = Self.septets(text) {
            encoding = .gsm7
            units = septets
            parts = septets <= 160 ? 1 : (septets + 152) / 153
        } else {
            encoding = .ucs2
            units = text.utf16.count
            parts = units <= 70 ? 1 : (units + 66) / 67
        }
    }

    /// The GSM 03.38 default alphabet and its extension table (escape + character: two septets).
    static let basic = Set(
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
            .unicodeScalars)
    static let extended = Set("^{}\\[~]|€\u{0C}".unicodeScalars)

    /// Septets in GSM-7, or nil when a character is outside it.
    static func septets(_ text: String) -> Int? {
        var count = 0
        for scalar in text.unicodeScalars {
            if basic.contains(scalar) {
                count += 1
            } else if extended.contains(scalar) {
                count += 2
            } else {
                return nil
            }
        }
        return count
    }
}
