import Foundation

/// What the citizen is told about a `CitizenAlert`, in Vietnamese: a short SMS and an e-mail. Pure; the
/// applicant's name comes from the dossier. No personal ID is ever part of it: none is given to it.
public struct CitizenNotice: Sendable, Equatable {
    public var sms: String
    public var subject: String
    public var body: String

    public init(_ alert: CitizenAlert, applicantName: String) {
        let code = alert.dossierCode
        switch alert.content {
        case .apology(let number, let reason, let newDueAt, let procedureName):
            let appointment = Self.moment(newDueAt)
            sms =
                "Hồ sơ \(code) chưa có kết quả đúng hẹn. Cơ quan giải quyết xin lỗi (phiếu số \(number)). "
                + "Lý do: \(reason) Hẹn trả kết quả mới: \(appointment)."
            subject = "Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ \(code)"
            body = Self.letter(
                applicantName,
                [
                    "Hồ sơ \(code)\(procedureName.map { " (\($0))" } ?? "") của Ông/Bà chưa được giải quyết "
                        + "đúng hạn đã hẹn.",
                    "Cơ quan giải quyết xin lỗi Ông/Bà về sự chậm trễ này (Phiếu xin lỗi số \(number)).",
                    "Lý do: \(reason)",
                    "Hẹn trả kết quả mới: \(appointment).",
                ])
        case .linkedCompleted(let group, let outcome):
            let name = Self.groupName(group)
            switch outcome {
            case .completed:
                sms =
                    "Hồ sơ liên thông \(name) \(code) đã có kết quả. Mời Ông/Bà nhận kết quả theo hình thức đã đăng ký."
                subject = "Hồ sơ \(code) đã có kết quả"
                body = Self.letter(
                    applicantName,
                    [
                        "Hồ sơ liên thông \(name) \(code) của Ông/Bà đã được giải quyết xong.",
                        "Mời Ông/Bà nhận kết quả theo hình thức đã đăng ký khi nộp hồ sơ.",
                    ])
            case .partial:
                sms =
                    "Hồ sơ liên thông \(name) \(code) đã có kết quả một phần; một số thủ tục chưa thực hiện được. "
                    + "Mời Ông/Bà nhận kết quả và liên hệ bộ phận một cửa."
                subject = "Hồ sơ \(code) đã có kết quả một phần"
                body = Self.letter(
                    applicantName,
                    [
                        "Hồ sơ liên thông \(name) \(code) của Ông/Bà đã có kết quả một phần: "
                            + "một số thủ tục liên thông chưa thực hiện được.",
                        "Mời Ông/Bà nhận kết quả đã có và liên hệ bộ phận một cửa về các thủ tục còn lại.",
                    ])
            case .failed:
                sms =
                    "Hồ sơ liên thông \(name) \(code) không giải quyết được. "
                    + "Mời Ông/Bà liên hệ bộ phận một cửa để biết lý do."
                subject = "Hồ sơ \(code) không giải quyết được"
                body = Self.letter(
                    applicantName,
                    [
                        "Hồ sơ liên thông \(name) \(code) của Ông/Bà không giải quyết được.",
                        "Mời Ông/Bà liên hệ bộ phận một cửa để biết lý do và hướng dẫn tiếp theo.",
                    ])
            }
        case .missingInformation(let group, let step, let fields):
            let missing = fields.map(Self.fieldName).joined(separator: ", ")
            sms =
                "Hồ sơ liên thông \(Self.groupName(group)) \(code): thủ tục \(Self.stepName(step)) cần bổ sung: "
                + "\(missing). Mời Ông/Bà liên hệ bộ phận một cửa."
            subject = "Hồ sơ \(code) cần bổ sung thông tin"
            body = Self.letter(
                applicantName,
                [
                    "Hồ sơ liên thông \(Self.groupName(group)) \(code) của Ông/Bà đang tạm dừng ở thủ tục "
                        + "\(Self.stepName(step)).",
                    "Thông tin cần bổ sung: \(missing).",
                    "Mời Ông/Bà liên hệ bộ phận một cửa để bổ sung.",
                ])
        }
    }

    private static func letter(_ name: String, _ paragraphs: [String]) -> String {
        (["Kính gửi Ông/Bà \(name),"] + paragraphs
            + ["Trân trọng,\nBộ phận Một cửa", "(Thư gửi tự động, xin không trả lời thư này.)"])
            .joined(separator: "\n\n") + "\n"
    }

    /// "17:00 ngày 24/11/2026", at +07:00.
    static func moment(_ date: Date) -> String {
        let (day, seconds) = VietnamTime.local(date)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(two(seconds / 3600)):\(two(seconds % 3600 / 60)) ngày \(two(day.day))/\(two(day.month))/\(day.year)"
    }

    static func groupName(_ group: LinkedGroupKind) -> String { group == .birth ? "khai sinh" : "khai tử" }

    static func stepName(_ step: String) -> String {
        switch step {
        case "birth_registration": return "đăng ký khai sinh"
        case "permanent_residence": return "đăng ký thường trú"
        case "health_insurance_card": return "cấp thẻ bảo hiểm y tế"
        case "death_registration": return "đăng ký khai tử"
        case "residence_removal": return "xoá đăng ký thường trú"
        case "funeral_allowance": return "trợ cấp mai táng"
        case "survivor_benefits": return "trợ cấp tử tuất"
        default: return step
        }
    }

    /// The partners' field names as a citizen knows them; an unknown one as it is.
    static func fieldName(_ field: String) -> String {
        switch field {
        case "childPersonalId": return "số định danh cá nhân của trẻ"
        case "birthCertificateNo": return "số giấy khai sinh"
        case "deathCertificateNo": return "số trích lục khai tử"
        case "residenceBookNo", "residenceNo": return "thông tin nơi thường trú"
        case "insuranceCardNo": return "số thẻ bảo hiểm y tế"
        default: return field
        }
    }
}
