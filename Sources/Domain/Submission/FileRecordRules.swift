/// Rules shared by components at intake and digitization records: a digitized file has its
/// SHA-256, its size and its media type.
public enum FileRecordRules {
    static func component(_ item: JSONValue, at path: String, _ r: inout FieldReader) -> Component? {
        let name = r.string(item, "name", at: "\(path).name", maxLength: 300)
        let digitized = r.bool(item, "digitized", at: "\(path).digitized", required: false) ?? false
        let sha = r.string(item, "sha256", at: "\(path).sha256", required: digitized, maxLength: 64)
        if let sha, !isSHA256(sha) { r.fail("\(path).sha256", "must be 64 hexadecimal characters") }
        let bytes = r.int(item, "bytes", at: "\(path).bytes", required: digitized, range: 1...Limits.maxFileBytes)
        let mediaType = r.string(item, "mediaType", at: "\(path).mediaType", required: digitized, maxLength: 100)
        if let mediaType, !isMediaType(mediaType) {
            r.fail("\(path).mediaType", "must be a media type like application/pdf")
        }
        let signed = r.bool(item, "signed", at: "\(path).signed", required: false)
        let reused = r.bool(item, "reused", at: "\(path).reused", required: false)
        guard let name else { return nil }
        return Component(
            name: name, digitized: digitized, sha256: sha?.lowercased(), bytes: bytes,
            mediaType: mediaType, signed: signed, reused: reused)
    }

    public static func isSHA256(_ text: String) -> Bool {
        text.utf8.count == 64
            && text.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) || ($0 >= 65 && $0 <= 70) }
    }

    public static func isMediaType(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty && !text.contains(" ")
    }
}

/// Applicant contact rules.
public enum ContactRules {
    public static func isPhone(_ text: String) -> Bool {
        let digits = text.hasPrefix("+84") ? "0" + text.dropFirst(3) : Substring(text)
        return digits.count == 10 && digits.hasPrefix("0") && digits.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    public static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".")
            && !parts[1].hasSuffix(".") && !text.contains(" ")
    }
}
