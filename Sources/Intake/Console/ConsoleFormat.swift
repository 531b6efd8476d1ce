import Domain
import Foundation

/// How the console writes things for Vietnamese civil servants: dates dd/mm/yyyy, times in UTC+7,
/// Vietnamese labels, numbers with dot thousands separators. Pure.
enum ConsoleFormat {
    /// `19/11/2026`.
    static func date(_ date: Date) -> String {
        let day = VietnamTime.local(date).date
        return "\(two(day.day))/\(two(day.month))/\(day.year)"
    }

    /// `19/11/2026 17:00`.
    static func dateTime(_ moment: Date) -> String {
        let (day, seconds) = VietnamTime.local(moment)
        return "\(two(day.day))/\(two(day.month))/\(day.year) \(two(seconds / 3600)):\(two(seconds % 3600 / 60))"
    }

    /// The time left until `due` (`còn 2 ngày 3 giờ`), or past it (`quá hạn 5 giờ 10 phút`).
    static func timeLeft(until due: Date, now: Date) -> String {
        let seconds = Int(due.timeIntervalSince(now))
        return (seconds < 0 ? "quá hạn " : "còn ") + duration(seconds: abs(seconds))
    }

    /// The time left until the due moment in force, or past it; for an overdue dossier (`OpenDossiers.overdue`)
    /// past the due moment on its receipt whose letter set a new one still ahead, both
    /// (`quá hạn 4 ngày 13 giờ · hẹn lại còn 10 giờ`); for one waiting for the applicant's supplement, that
    /// the time limit is paused.
    static func timeLeft(dueAt: Date, receiptDueAt: Date, overdue: Bool, paused: Bool, now: Date) -> String {
        if paused { return "tạm dừng tính hạn: chờ công dân bổ sung" }
        guard overdue, receiptDueAt < now, dueAt > now else { return timeLeft(until: dueAt, now: now) }
        return timeLeft(until: receiptDueAt, now: now) + " · hẹn lại " + timeLeft(until: dueAt, now: now)
    }

    /// A worker's English text as a page shows it (the partial `said.mustache`): in Vietnamese, with the text as
    /// recorded beneath when the two differ.
    static func said(_ vietnamese: String, recorded raw: String) -> [String: Any] {
        vietnamese == raw ? ["said": raw] : ["said": vietnamese, "recorded": raw]
    }

    /// `2 ngày 3 giờ`, `5 giờ 10 phút`, `0 phút`: days and hours, minutes only below a day.
    static func duration(seconds amount: Int) -> String {
        let days = amount / 86_400
        let hours = amount % 86_400 / 3600
        let minutes = amount % 3600 / 60
        var parts: [String] = []
        if days > 0 { parts.append("\(days) ngày") }
        if hours > 0 { parts.append("\(hours) giờ") }
        if days == 0 && (minutes > 0 || parts.isEmpty) { parts.append("\(minutes) phút") }
        return parts.joined(separator: " ")
    }

    /// `05`: two digits, as dates are written.
    static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// `1.234.567` (Vietnamese thousands separator).
    static func number(_ value: Int) -> String {
        let digits = String(abs(value))
        var groups: [Substring] = []
        var end = digits.endIndex
        while end > digits.startIndex {
            let start = digits.index(end, offsetBy: -3, limitedBy: digits.startIndex) ?? digits.startIndex
            groups.insert(digits[start..<end], at: 0)
            end = start
        }
        return (value < 0 ? "-" : "") + groups.joined(separator: ".")
    }

    static func status(_ raw: String) -> String {
        switch raw {
        case "received": return "Đã tiếp nhận"
        case "supplement_requested": return "Chờ bổ sung"
        case "in_progress": return "Đang giải quyết"
        case "resolved": return "Đã giải quyết"
        case "rejected": return "Từ chối giải quyết"
        case "returned": return "Đã trả lại"
        case "withdrawn": return "Đã rút"
        default: return raw
        }
    }

    static func channel(_ raw: String) -> String {
        switch raw {
        case "direct": return "Trực tiếp"
        case "online": return "Trực tuyến"
        case "postal": return "Bưu chính"
        default: return raw
        }
    }

    static func timing(_ raw: String?) -> String {
        switch raw {
        case "early": return "Trước hạn"
        case "on_time": return "Đúng hạn"
        case "overdue": return "Quá hạn"
        default: return "—"
        }
    }

    /// A journal entry's type as the history table names it.
    static func event(_ raw: String) -> String {
        switch raw {
        case "received": return "Tiếp nhận"
        case "request_supplement": return "Yêu cầu bổ sung"
        case "supplement": return "Bổ sung hồ sơ"
        case "transfer": return "Chuyển xử lý"
        case "extend": return "Xin lỗi, hẹn lại (cơ quan lập)"
        case "apology_issued": return "Phiếu xin lỗi (hệ thống lập)"
        case "resolve": return "Giải quyết xong"
        case "reject": return "Từ chối"
        case "return": return "Trả lại"
        case "withdraw": return "Rút hồ sơ"
        case "due_recomputed": return "Tính lại hạn trả"
        default: return raw
        }
    }

    static func stepStatus(_ raw: String) -> String {
        switch raw {
        case "pending": return "Chờ gửi"
        case "sent": return "Đang chờ trả lời"
        case "done": return "Hoàn thành"
        case "rejected": return "Bị từ chối"
        case "stuck": return "Bị kẹt"
        default: return raw
        }
    }

}
