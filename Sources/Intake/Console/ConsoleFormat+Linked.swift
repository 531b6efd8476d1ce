import Domain

/// Linked groups as the one-stop unit names them. The identifiers (`permanent_residence`, `police`) stay
/// beside the names on the pages: `motcua linked retry` and the partners' own staff use them.
extension ConsoleFormat {
    static func step(_ raw: String) -> String {
        switch raw {
        case "birth_registration": return "Đăng ký khai sinh"
        case "permanent_residence": return "Đăng ký thường trú"
        case "health_insurance_card": return "Cấp thẻ bảo hiểm y tế"
        case "death_registration": return "Đăng ký khai tử"
        case "residence_removal": return "Xoá đăng ký thường trú"
        case "funeral_allowance": return "Trợ cấp mai táng"
        case "survivor_benefits": return "Trợ cấp tử tuất"
        default: return raw
        }
    }

    static func agency(_ raw: String) -> String {
        switch raw {
        case "justice": return "Tư pháp - hộ tịch"
        case "police": return "Công an"
        case "social_insurance": return "Bảo hiểm xã hội"
        case "labour_social_affairs": return "Lao động - Thương binh và Xã hội"
        default: return raw
        }
    }

    static func group(_ raw: String) -> String { raw == LinkedGroupKind.birth.rawValue ? "khai sinh" : "khai tử" }

    static func outcome(_ raw: String) -> String {
        switch raw {
        case "completed": return "hoàn thành"
        case "partial": return "hoàn thành một phần"
        case "failed": return "không thành"
        default: return raw
        }
    }

    /// The chain's own error texts (`LinkedSaga`) in Vietnamese; a partner's own reason is its words and
    /// is shown as it came.
    static func linkedError(_ raw: String) -> String {
        if raw.hasPrefix("no answer within ") {
            return raw.replacingOccurrences(of: "no answer within ", with: "không có trả lời trong ")
                .replacingOccurrences(of: " s (attempt ", with: " giây (lần gửi thứ ")
        }
        if raw.hasPrefix("missing fields: ") {
            return "thiếu trường: " + raw.dropFirst("missing fields: ".count)
        }
        if raw.hasPrefix("error from ") {
            return "lỗi từ hệ thống " + agency(String(raw.dropFirst("error from ".count)))
        }
        if raw.hasPrefix("rejected by ") { return "bị từ chối: " + agency(String(raw.dropFirst("rejected by ".count))) }
        return raw
    }

    /// What a step row shows: names in Vietnamese beside the identifiers, and the last error in Vietnamese
    /// with the text as recorded when they differ.
    static func stepCells(step: String, agency: String, lastError: String?) -> [String: Any] {
        var cells: [String: Any] = [
            "step": step, "stepName": self.step(step), "agency": agency,
            "agencyName": self.agency(agency),
        ]
        if let lastError, !lastError.isEmpty { cells["lastError"] = said(linkedError(lastError), recorded: lastError) }
        return cells
    }
}
