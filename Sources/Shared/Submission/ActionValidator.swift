import Foundation

/// Checks a `POST /v1/dossiers/{code}/actions` body: the type and the fields it requires.
public struct ActionValidator: Sendable {
    public let catalog: CatalogSnapshot
    public let now: Date

    public init(catalog: CatalogSnapshot, now: Date) {
        self.catalog = catalog
        self.now = now
    }

    public func validate(_ body: JSONValue) -> Result<DossierAction, ValidationFailure> {
        var r = FieldReader()
        guard case .object = body else { return .failure(ValidationFailure([FieldError("(body)", "must be a JSON object")])) }
        let type = r.choice(ActionType.self, body, "type", at: "type")
        let at = TimeField.read(body, "at", &r, now: now, required: false) ?? now.wholeSeconds
        let by = r.string(body, "by", at: "by", required: false, maxLength: 200)
        let needsReason: Set<ActionType> = [.requestSupplement, .extend, .reject]
        let reason = r.string(body, "reason", at: "reason", required: type.map(needsReason.contains) ?? false,
                              maxLength: 2000)
        var toUnit: String?
        var newDueAt: Date?
        var result: FileView?
        switch type {
        case .transfer?:
            toUnit = r.string(body, "toUnit", at: "toUnit", maxLength: 20)
            if let unit = toUnit, catalog.units[unit] == nil { r.fail("toUnit", "is not a unit of the catalog") }
        case .extend?:
            newDueAt = TimeField.read(body, "newDueAt", &r, now: nil, required: true)
            if let newDueAt, newDueAt <= at { r.fail("newDueAt", "must be after the time of the extension") }
        case .resolve?:
            if let file = r.object(body, "result", at: "result", required: false) {
                let sha = r.string(file, "sha256", at: "result.sha256", maxLength: 64)
                if let sha, !FileRecordRules.isSHA256(sha) { r.fail("result.sha256", "must be 64 hexadecimal characters") }
                let bytes = r.int(file, "bytes", at: "result.bytes")
                if let bytes, bytes <= 0 { r.fail("result.bytes", "must be above 0") }
                let media = r.string(file, "mediaType", at: "result.mediaType", maxLength: 100)
                if let media, !FileRecordRules.isMediaType(media) {
                    r.fail("result.mediaType", "must be a media type like application/pdf")
                }
                let signed = r.bool(file, "signed", at: "result.signed", required: false) ?? false
                if let sha, let bytes, let media {
                    result = FileView(sha256: sha.lowercased(), bytes: bytes, mediaType: media, signed: signed)
                }
            }
        default:
            break
        }
        guard r.errors.isEmpty, let type else { return .failure(ValidationFailure(r.errors)) }
        return .success(DossierAction(type: type, at: at, by: by, reason: reason, toUnit: toUnit, newDueAt: newDueAt,
                                      result: result))
    }
}

/// RFC 3339 time fields, kept to the second.
enum TimeField {
    /// - Parameter now: when given, the time may be at most 5 minutes ahead of it.
    static func read(_ object: JSONValue, _ key: String, _ r: inout FieldReader, now: Date?, required: Bool) -> Date? {
        guard let text = r.string(object, key, at: key, required: required, maxLength: 40) else { return nil }
        guard let date = Timestamp.parse(text) else {
            r.fail(key, "must be an RFC 3339 time with offset, e.g. 2026-11-20T09:00:00+07:00")
            return nil
        }
        if let now, date > now.addingTimeInterval(300) {
            r.fail(key, "must not be more than 5 minutes ahead")
            return nil
        }
        return date.wholeSeconds
    }
}

extension Date {
    /// The same instant without its fraction of a second.
    public var wholeSeconds: Date { Date(timeIntervalSince1970: timeIntervalSince1970.rounded(.down)) }
}
