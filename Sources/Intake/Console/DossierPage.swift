import Domain
import Foundation
import Hummingbird
import Store

/// Hồ sơ: one dossier as the read model holds it (status, due moments, history, files, payments,
/// apology letter, linked group), and Thư xin lỗi: its Mẫu 04 letter as a printable page. A dossier
/// of a unit outside the token's subtree is refused before anything is looked up.
struct DossierPage: Sendable {
    let readModel: DossierReadModel
    let database: PostgresClient

    /// The code, or the page that refuses it.
    private enum Scoped {
        case code(DossierCode)
        case refused(Response)
    }

    private func scoped(_ text: String, session: ConsoleRoutes.Session, templates: ConsoleTemplates) -> Scoped {
        guard let code = DossierCode(text) else {
            return .refused(
                templates.message(
                    session, heading: "Không tìm thấy hồ sơ",
                    "Không có hồ sơ mang mã \(text.prefix(40)).", status: .notFound))
        }
        guard session.sees(unit: code.unitCode) else {
            return .refused(
                templates.message(
                    session, heading: "Không được phép",
                    "Hồ sơ \(text) thuộc đơn vị ngoài phạm vi của tài khoản này.", status: .forbidden))
        }
        return .code(code)
    }

    func show(_ text: String, session: ConsoleRoutes.Session, templates: ConsoleTemplates) async throws -> Response {
        let code: DossierCode
        switch scoped(text, session: session, templates: templates) {
        case .refused(let refusal): return refusal
        case .code(let found): code = found
        }
        let catalog = session.catalog
        guard let view = try await readModel.find(code: code.description, catalog: catalog) else {
            return templates.message(
                session, heading: "Không tìm thấy hồ sơ",
                "Hồ sơ \(code) chưa được ghi nhận.", status: .notFound)
        }
        var context = session.context("Hồ sơ \(view.code)", nav: "navDeadlines")
        let now = Date()
        let unitName = { (unit: String) in catalog.units[unit].map { "\($0.name) (\(unit))" } ?? unit }
        context["code"] = view.code
        context["status"] = ConsoleFormat.status(view.status)
        context["procedure"] =
            catalog.procedure(view.procedureCode, receivedAt: view.receivedAt).map {
                "\($0.name) (\(view.procedureCode))"
            } ?? view.procedureCode
        context["unit"] = unitName(view.unitCode)
        if let handling = view.handlingUnit, handling != view.unitCode { context["handlingUnit"] = unitName(handling) }
        context["channel"] = ConsoleFormat.channel(view.channel.rawValue)
        if let level = view.onlineLevel { context["onlineLevel"] = level == .full ? "toàn trình" : "một phần" }
        context["receivedAt"] = ConsoleFormat.dateTime(view.receivedAt)
        context["originalDueAt"] = ConsoleFormat.dateTime(view.originalDueAt)
        context["dueAt"] = ConsoleFormat.dateTime(view.dueAt)
        // Tạm tính: counted over a year whose holiday decision is not loaded yet (DOMAIN.md §11).
        if view.provisional { context["provisional"] = true }
        if let closed = view.closedAt {
            context["closedAt"] = ConsoleFormat.dateTime(closed)
            context["timing"] = ConsoleFormat.timing(view.timing)
        } else {
            let overdue = try await OpenDossiers(database: database).isOverdue(view.code)
            context["timeLeft"] = ConsoleFormat.timeLeft(
                dueAt: view.dueAt, receiptDueAt: view.originalDueAt,
                overdue: overdue, paused: DossierStatus(rawValue: view.status)?.isPaused == true,
                now: now)
            context["urgency"] = overdue ? "overdue" : ""
        }
        if let letter = view.apology {
            let form =
                catalog.regime(on: VietnamTime.local(view.receivedAt).date)?.form(.apology)
                ?? ApologyLetterText.form2018
            context["apology"] = [
                "title": form.title, "form": "Mẫu \(form.number)", "number": letter.number,
                "issuedAt": ConsoleFormat.dateTime(letter.issuedAt),
                "newDueAt": ConsoleFormat.dateTime(letter.newDueAt), "reason": letter.reason,
                "code": view.code,
                "kind": letter.timely ? "cơ quan lập trước hạn" : "hệ thống lập khi quá hạn",
            ]
        }
        if let group = view.linkedGroup {
            var linked: [String: Any] = ["group": ConsoleFormat.group(group.group.rawValue)]
            if let outcome = group.outcome {
                linked["outcome"] = ["name": ConsoleFormat.outcome(outcome), "id": outcome]
            }
            linked["steps"] = group.steps.map { step -> [String: Any] in
                ConsoleFormat.stepCells(step: step.step, agency: step.agency, lastError: step.lastError)
                    .merging(["status": ConsoleFormat.stepStatus(step.status), "attempts": String(step.attempts)]) {
                        _, new in new
                    }
            }
            context["linked"] = linked
        }
        context["components"] = view.components.map { component -> [String: Any] in
            [
                "name": component.name, "digitized": component.digitized ? "đã số hoá" : "chưa",
                "file": component.sha256.map {
                    "\($0.prefix(12))… · \(ConsoleFormat.number(component.bytes ?? 0)) byte"
                } ?? "",
            ]
        }
        if let result = view.result {
            context["result"] =
                "\(result.mediaType), \(ConsoleFormat.number(result.bytes)) byte\(result.signed ? ", đã ký số" : "")"
        }
        context["payments"] = view.payments.map { payment -> [String: Any] in
            [
                "transactionId": payment.transactionId, "gateway": payment.gateway,
                "amount": ConsoleFormat.number(payment.amountVnd), "status": payment.status,
                "mismatch": payment.mismatch,
                "paidAt": ConsoleFormat.dateTime(payment.paidAt),
            ]
        }
        context["paidNet"] = ConsoleFormat.number(view.paidNetVnd)
        context["history"] = view.history.map { entry -> [String: Any] in
            var row: [String: Any] = [
                "at": ConsoleFormat.dateTime(entry.at), "type": ConsoleFormat.event(entry.type),
                "by": entry.by ?? "", "reason": entry.reason ?? "",
            ]
            if let refused = entry.refused { row["refused"] = refused }
            return row
        }
        context["notifications"] = try await notifications(view.code)
        return templates.page("dossier", context)
    }

    /// The citizen's receipt (Mẫu 01), to print and hand over.
    func receipt(
        _ text: String, session: ConsoleRoutes.Session, templates: ConsoleTemplates, receipts: ReceiptPage, base: String
    ) async throws -> Response {
        let code: DossierCode
        switch scoped(text, session: session, templates: templates) {
        case .refused(let refusal): return refusal
        case .code(let found): code = found
        }
        guard
            let receipt = try await receipts.receipt(code: code.description, catalog: session.catalog, publicURL: base)
        else {
            return templates.message(
                session, heading: "Không tìm thấy hồ sơ", "Không có hồ sơ mang mã \(code).", status: .notFound)
        }
        return ReceiptPage.render(receipt, back: "/console/dossiers/\(code)", templates: templates)
    }

    func letter(_ text: String, session: ConsoleRoutes.Session, templates: ConsoleTemplates) async throws -> Response {
        let code: DossierCode
        switch scoped(text, session: session, templates: templates) {
        case .refused(let refusal): return refusal
        case .code(let found): code = found
        }
        switch try await ApologyLetterLookup.find(code: code.description, database: database, catalog: session.catalog)
        {
        case .noDossier:
            return templates.message(
                session, heading: "Không tìm thấy hồ sơ", "Hồ sơ \(code) chưa được ghi nhận.",
                status: .notFound)
        case .noLetter:
            return templates.message(
                session, heading: "Chưa có phiếu xin lỗi", "Hồ sơ \(code) không có phiếu xin lỗi.",
                status: .notFound)
        case .letter(let fields):
            var context = session.context("Phiếu xin lỗi \(fields.letter.number)", nav: "navDeadlines")
            let issued = VietnamTime.local(fields.letter.issuedAt).date
            context["issuingUnit"] = fields.issuingUnitName
            context["title"] = fields.form.title.uppercased()
            context["formLabel"] = ApologyLetterText.formLabel(fields)
            context["legalBasis"] = fields.legalBasis
            context["promise"] = ApologyLetterText.promise(fields.form)
            context["number"] = fields.letter.number
            context["day"] = ConsoleFormat.two(issued.day)
            context["month"] = ConsoleFormat.two(issued.month)
            context["year"] = String(issued.year)
            context["applicant"] = fields.applicantName
            context["procedure"] = fields.procedureName
            context["dossierCode"] = fields.dossierCode
            context["receivedAt"] = ApologyLetterText.moment(fields.receivedAt)
            context["originalDueAt"] = ApologyLetterText.moment(fields.originalDueAt)
            context["reason"] = fields.letter.reason
            context["newDueAt"] = ApologyLetterText.moment(fields.letter.newDueAt)
            context["origin"] =
                fields.letter.timely
                ? "Phiếu do cơ quan giải quyết lập trước hạn trả kết quả."
                : "Phiếu do hệ thống phát hành khi hồ sơ đã quá hạn trả kết quả."
            return templates.page("letter", context)
        }
    }
}
