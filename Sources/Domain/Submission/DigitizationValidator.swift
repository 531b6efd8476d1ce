/// Checks a `POST /v1/dossiers/{code}/digitizations` body.
public enum DigitizationValidator {
    public static func validate(_ body: JSONValue, code: String) -> Result<DigitizationRecord, ValidationFailure> {
        var r = FieldReader()
        guard case .object = body else {
            return .failure(ValidationFailure([FieldError("(body)", "must be a JSON object")]))
        }
        let target = r.choice(DigitizationRecord.Target.self, body, "target", at: "target")
        let name = r.string(body, "name", at: "name", required: target == .component, maxLength: 300)
        let sha = r.string(body, "sha256", at: "sha256", maxLength: 64)
        if let sha, !FileRecordRules.isSHA256(sha) { r.fail("sha256", "must be 64 hexadecimal characters") }
        let bytes = r.int(body, "bytes", at: "bytes", range: 1...Limits.maxFileBytes)
        let media = r.string(body, "mediaType", at: "mediaType", maxLength: 100)
        if let media, !FileRecordRules.isMediaType(media) {
            r.fail("mediaType", "must be a media type like application/pdf")
        }
        let signed = r.bool(body, "signed", at: "signed", required: false) ?? false
        let reused = r.bool(body, "reused", at: "reused", required: false) ?? false
        guard r.isClean, let target, let sha, let bytes, let media else {
            return .failure(r.failure)
        }
        return .success(
            DigitizationRecord(
                dossierCode: code, target: target,
                name: target == .result ? "result" : name ?? "", sha256: sha.lowercased(),
                bytes: bytes, mediaType: media, signed: signed, reused: reused))
    }
}
