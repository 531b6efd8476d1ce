import Domain
import Foundation
import Store

/// The dossier page's "Thông báo cho công dân" section (template `dossier-notifications`): what the
/// notifier sent the applicant, when, and through which channel (docs/notifier.md).
extension DossierPage {
    func notifications(_ code: String) async throws -> [[String: Any]] {
        let rows = try await database.withConnection { connection in
            try Notifications.list(failedOnly: false, dossier: code, limit: 50, on: connection)
        }
        return rows.map { row -> [String: Any] in
            [
                "recordedAt": ConsoleFormat.dateTime(row.createdAt),
                "channel": row.key.channel == .sms ? "SMS" : "Thư điện tử",
                "kind": Self.noticeKind(row.kind),
                "status": Self.noticeStatus(row),
                "sentAt": row.sentAt.map(ConsoleFormat.dateTime) ?? "",
                "note": row.status == .sent ? (row.parts.map { "\($0) tin" } ?? "") : (row.lastError ?? ""),
                "attempts": String(row.attempts),
            ]
        }
    }

    static func noticeKind(_ kind: String) -> String {
        switch kind {
        case "apology": return "Thư xin lỗi, hẹn lại"
        case "linked_completed": return "Kết quả liên thông"
        case "missing_information": return "Cần bổ sung thông tin"
        default: return kind
        }
    }

    static func noticeStatus(_ row: Notifications.Row) -> String {
        switch row.status {
        case .sent: return "đã gửi"
        case .pending: return "đang gửi"
        case .failed: return "không gửi được"
        case .skipped: return "bỏ qua"
        }
    }
}
