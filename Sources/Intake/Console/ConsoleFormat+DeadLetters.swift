import Domain

/// Why a message was dead-lettered, in Vietnamese. The workers write the reason in English in the
/// `x-motcua-error` header (the CLI and the logs show it as it is); the page shows the workers' own
/// reasons in Vietnamese, with the text as recorded beneath.
extension ConsoleFormat {
    static func deadLetterReason(_ raw: String?) -> [String: Any] {
        guard let raw, !raw.isEmpty else { return ["said": "quá số lần giao tối đa"] }
        return said(vietnamese(deadLetterReason: raw), recorded: raw)
    }

    private static func vietnamese(deadLetterReason raw: String) -> String {
        if raw == "the message is not a CloudEvent this queue understands" {
            return "tin không phải CloudEvent mà hàng đợi này đọc được"
        }
        if raw.hasPrefix("dossier "), let range = raw.range(of: " was not recorded within "), raw.hasSuffix(" s") {
            let code = raw[raw.index(raw.startIndex, offsetBy: "dossier ".count)..<range.lowerBound]
            let seconds = raw[range.upperBound..<raw.index(raw.endIndex, offsetBy: -2)]
            return "hồ sơ \(code) chưa được ghi nhận sau \(seconds) giây chờ"
        }
        if raw.hasPrefix("routing key "), let range = raw.range(of: " is not handled by ") {
            let key = raw[raw.index(raw.startIndex, offsetBy: "routing key ".count)..<range.lowerBound]
            return "khóa định tuyến \(key) không thuộc hàng đợi này"
        }
        if raw.hasPrefix("refused by the database: ") {
            return "cơ sở dữ liệu từ chối: " + raw.dropFirst("refused by the database: ".count)
        }
        return raw
    }
}
