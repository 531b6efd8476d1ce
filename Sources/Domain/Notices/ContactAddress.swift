import Foundation

/// The applicant's phone and e-mail as the channels take them, or why they cannot. An unusable address
/// is skipped like a missing one (and counted with its own reason); nothing is guessed.
public enum ContactAddress {
    /// Why a channel is skipped for a citizen (`motcua_notifier_skipped_total{reason}`).
    public enum Skip: String, Sendable {
        case noPhone = "no_phone"
        case invalidPhone = "invalid_phone"
        case noEmail = "no_email"
        case invalidEmail = "invalid_email"
        /// The alert names a dossier the database does not hold.
        case unknownDossier = "unknown_dossier"
    }

    /// A Vietnamese number in E.164 (`+84…`): `0905 000 000`, `84905000000` and `+84905000000` are one
    /// number. Spaces, dots and dashes are dropped; anything else makes it unusable.
    public static func phone(_ raw: String?) -> Result<String, SkipReason> {
        guard let raw, !raw.isEmpty else { return .failure(SkipReason(.noPhone)) }
        var text = raw.filter { !" .-()".contains($0) }
        let plus = text.hasPrefix("+")
        if plus { text.removeFirst() }
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return .failure(SkipReason(.invalidPhone))
        }
        let national: Substring
        if text.hasPrefix("84") && (plus || text.count == 11) {
            national = text.dropFirst(2)
        } else if text.hasPrefix("0") && !plus {
            national = text.dropFirst()
        } else {
            return .failure(SkipReason(.invalidPhone))
        }
        // Mobile and fixed numbers: 9 digits after the country code.
        guard national.count == 9, national.first != "0" else { return .failure(SkipReason(.invalidPhone)) }
        return .success("+84" + national)
    }

    /// An address the SMTP envelope and the `To:` header can carry as they are: one `@`, no space,
    /// control character, angle bracket or non-ASCII letter (nothing that could break a header).
    public static func email(_ raw: String?) -> Result<String, SkipReason> {
        guard let raw, !raw.isEmpty else { return .failure(SkipReason(.noEmail)) }
        let parts = raw.split(separator: "@", omittingEmptySubsequences: false)
        let allowed = raw.unicodeScalars.allSatisfy {
            $0.isASCII && $0.value > 0x20 && $0.value < 0x7F && !"<>()[]\\,;:\"".unicodeScalars.contains($0)
        }
        guard allowed, raw.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !parts[1].hasPrefix("."), !parts[1].hasSuffix(".")
        else { return .failure(SkipReason(.invalidEmail)) }
        return .success(raw)
    }

    /// `Skip` as an `Error`, for `Result`.
    public struct SkipReason: Error, Sendable, Equatable {
        public let skip: Skip
        public init(_ skip: Skip) { self.skip = skip }
    }
}
