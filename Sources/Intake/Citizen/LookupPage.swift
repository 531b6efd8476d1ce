import Domain
import Foundation
import Hummingbird

/// Tra cứu hồ sơ, `GET /tra-cuu?ma=CODE&so4=NNNN`: the citizens' lookup as a page that works on a phone
/// with no script, over `CitizenLookup` (the limits and answers of `GET /v1/lookup`). Only `ma` (from the
/// receipt's QR code) fills the form in and looks nothing up; the digits are never written back.
struct LookupPage: Sendable {
    let lookup: CitizenLookup

    static let notFound = "Không tìm thấy hồ sơ nào có mã hồ sơ và 4 số cuối số định danh này. Hãy kiểm tra lại."

    func show(_ request: Request, context: IntakeContext, templates: ConsoleTemplates) async throws -> Response {
        let query = request.uri.queryParameters
        let code = query.get("ma")?.trimmingCharacters(in: .whitespaces) ?? ""
        var page: [String: Any] = ["title": "Tra cứu hồ sơ", "ma": String(code.prefix(40))]
        // Without the digits there is nothing to look up: the form, filled in from the QR code.
        guard let digits = query.get("so4")?.trimmingCharacters(in: .whitespaces) else {
            if !code.isEmpty, DossierCode(code) == nil {
                page["errors"] = [Self.codeError]
                page["hasErrors"] = true
                return templates.citizenPage("lookup", page, status: .badRequest)
            }
            return templates.citizenPage("lookup", page)
        }
        guard lookup.allows(request, context: context) else {
            page["problem"] = "Bạn đã tra cứu quá nhiều lần trong thời gian ngắn. Hãy thử lại sau ít phút."
            var response = templates.citizenPage("lookup", page, status: .tooManyRequests)
            response.headers[.retryAfter] = "3"
            return response
        }
        var errors: [[String: String]] = []
        if DossierCode(code) == nil { errors.append(Self.codeError) }
        if digits.count != 4 || !digits.allSatisfy({ $0.isASCII && $0.isNumber }) {
            errors.append([
                "field": "so4",
                "message": "4 số cuối số định danh cá nhân: hãy nhập đúng 4 chữ số (0–9), ví dụ 1234.",
            ])
        }
        guard errors.isEmpty else {
            page["errors"] = errors
            page["hasErrors"] = true
            return templates.citizenPage("lookup", page, status: .badRequest)
        }
        guard let state = try await lookup.find(code: code, last4: digits) else {
            page["problem"] = Self.notFound
            return templates.citizenPage("lookup", page, status: .notFound)
        }
        page["result"] = Self.result(code: code, state: state, now: Date())
        return templates.citizenPage("lookup", page)
    }

    static let codeError = [
        "field": "ma",
        "message": "Mã hồ sơ: không đúng dạng. Mã in trên giấy tiếp nhận có dạng 000.00.19.H56-260129-0001.",
    ]

    /// Status, due moment and timing in words: nothing about the applicant.
    static func result(code: String, state: DossierState, now: Date) -> [String: Any] {
        let timing: String
        if state.status.isClosed {
            timing =
                state.timing.map { "Đã kết thúc: " + ConsoleFormat.timing($0.rawValue).lowercased() } ?? "Đã kết thúc"
        } else if state.status.isPaused {
            timing = "Tạm dừng tính hạn: chờ bổ sung hồ sơ"
        } else if state.dueAt < now {
            timing = "Đã quá hẹn trả kết quả"
        } else {
            timing = "Trong hạn (" + ConsoleFormat.timeLeft(until: state.dueAt, now: now) + ")"
        }
        return [
            "code": code, "status": ConsoleFormat.status(state.status.rawValue),
            "dueAt": ApologyLetterText.moment(state.dueAt), "timing": timing,
            "late": state.timing == .overdue || (state.timing == nil && state.dueAt < now),
        ]
    }
}
