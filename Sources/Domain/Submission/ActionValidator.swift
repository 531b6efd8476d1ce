import Foundation

/// Checks a `POST /v1/dossiers/{code}/actions` body: the type and the fields it requires.
public struct ActionValidator: Sendable {
    public let catalog: CatalogSnapshot
    public let now: Date
    /// When the dossier was received: no action happens before it.
    public let receivedAt: Date?

    public init(catalog: CatalogSnapshot, now: Date, receivedAt: Date? = nil) {
        self.catalog = catalog
        self.now = now
        self.receivedAt = receivedAt
    }

    public func validate(_ body: JSONValue) -> Result<DossierAction, ValidationFailure> {
        var r = FieldReader()
        guard case .object = body else {
            return .failure(ValidationFailure([FieldError("(body)", "must be a JSON object")]))
        }
        let type = r.choice(ActionType.self, body, "type", at: "type")
        var window = TimeWindow.around(now)
        if let receivedAt { window = window.notBefore(receivedAt) }
        let at =
            TimeField.read(
                body, "at", &r, window: window, required: false,
                before: receivedAt == nil ? nil : "the dossier's receipt") ?? now.wholeSeconds
        let by = r.string(body, "by", at: "by", required: false, maxLength: 200)
        let needsReason: Set<ActionType> = [.requestSupplement, .extend, .reject]
        let reason = r.string(
            body, "reason", at: "reason", required: type.map(needsReason.contains) ?? false,
            maxLength: 2000, lineBreaks: true)
        var toUnit: String?
        var newDueAt: Date?
        var result: FileView?
        switch type {
        case .transfer?:
            toUnit = r.string(body, "toUnit", at: "toUnit", maxLength: 20)
            // A dossier goes only to a unit in force on the transfer's day: an ended unit's successor is named,
            // as for a new dossier's `unitCode`, instead of a transfer the merger's handover would undo.
            if let unit = toUnit,
                let problem = UnitAdmission.problem(unit, on: VietnamTime.local(at).date, catalog: catalog)
            {
                r.fail("toUnit", problem)
            }
        case .extend?:
            // A new due moment lies ahead, and within the same five years as everything else.
            let ahead = TimeWindow(
                earliest: window.earliest,
                latest: now.addingTimeInterval(Double(Limits.maxPastYears) * 366 * 86_400))
            newDueAt = TimeField.read(body, "newDueAt", &r, window: ahead, required: true)
            if let newDueAt, newDueAt <= at { r.fail("newDueAt", "must be after the time of the extension") }
        case .resolve?:
            if let file = r.object(body, "result", at: "result", required: false) {
                let sha = r.string(file, "sha256", at: "result.sha256", maxLength: 64)
                if let sha, !FileRecordRules.isSHA256(sha) {
                    r.fail("result.sha256", "must be 64 hexadecimal characters")
                }
                let bytes = r.int(file, "bytes", at: "result.bytes", range: 1...Limits.maxFileBytes)
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
        guard r.isClean, let type else { return .failure(r.failure) }
        return .success(
            DossierAction(
                type: type, at: at, by: by, reason: reason, toUnit: toUnit, newDueAt: newDueAt,
                result: result))
    }
}

/// RFC 3339 time fields, kept to the second, inside the window the domain allows.
enum TimeField {
    /// - Parameter before: what the window's start stands for, when it is not "5 years ago".
    static func read(
        _ object: JSONValue, _ key: String, _ r: inout FieldReader, window: TimeWindow, required: Bool,
        before: String? = nil
    ) -> Date? {
        guard let text = r.string(object, key, at: key, required: required, maxLength: 40) else { return nil }
        guard let date = Timestamp.parseRFC3339(text) else {
            r.fail(key, "must be an RFC 3339 time with offset, e.g. 2026-11-20T09:00:00+07:00")
            return nil
        }
        let whole = date.wholeSeconds
        if whole < window.earliest {
            let limit =
                before.map { "\($0) (\(VietnamTime.rfc3339(window.earliest)))" }
                ?? "\(VietnamTime.rfc3339(window.earliest)), 5 years ago"
            r.fail(key, "must not be before \(limit)")
            return nil
        }
        if whole > window.latest {
            r.fail(key, "must not be after \(VietnamTime.rfc3339(window.latest))")
            return nil
        }
        return whole
    }
}

extension Date {
    /// The same instant without its fraction of a second.
    public var wholeSeconds: Date { Date(timeIntervalSince1970: timeIntervalSince1970.rounded(.down)) }
}
