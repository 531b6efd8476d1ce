import Domain
import Foundation
import Hummingbird
import Store

/// The citizen's receipt (Mẫu 01 of the regime in force at receipt) as a printable A4 page, for
/// `GET /v1/dossiers/{code}/receipt` and the console's `/console/dossiers/{code}/receipt`. A dossier intake
/// accepted that the workers have not recorded yet prints from what intake accepted, as
/// `GET /v1/dossiers/{code}` reads it.
struct ReceiptPage: Sendable {
    let readModel: DossierReadModel
    let issued: IssuedDossiers
    let names: ApplicantNames

    /// The receipt of `code`, or nil when intake never issued it.
    func receipt(code: String, catalog: CatalogSnapshot, publicURL: String) async throws -> DossierReceipt? {
        let view: DossierView
        if let recorded = try await readModel.find(code: code, catalog: catalog) {
            view = recorded
        } else if let record = try await issued.find(code: code) {
            view = DossierView.accepted(
                try DossierIntake.dossier(in: record.event), issuedAt: record.issuedAt, catalog: catalog)
        } else {
            return nil
        }
        let name = try await names.fullName(of: code) ?? ""
        return DossierReceipt(view: view, applicantName: name, catalog: catalog, publicURL: publicURL)
    }

    /// The page; `back` is the console's link back to the dossier, when printed from there.
    static func render(_ receipt: DossierReceipt, back: String? = nil, templates: ConsoleTemplates) -> Response {
        let day = VietnamTime.local(receipt.receivedAt).date
        var context: [String: Any] = [
            "title": "Giấy tiếp nhận hồ sơ \(receipt.code)",
            "formLabel": receipt.formLabel, "formTitle": receipt.form.title.uppercased(),
            "unit": receipt.unitName, "unitUpper": receipt.unitName.uppercased(), "code": receipt.code,
            "applicant": receipt.applicantName, "procedure": receipt.procedureName,
            "components": receipt.components.enumerated().map { ["n": $0.offset + 1, "name": $0.element] },
            "receivedAt": ApologyLetterText.moment(receipt.receivedAt),
            "dueAt": ApologyLetterText.moment(receipt.dueAt),
            "channel": ConsoleFormat.channel(receipt.channel.rawValue), "lookupURL": receipt.lookupURL,
            "day": ConsoleFormat.two(day.day), "month": ConsoleFormat.two(day.month), "year": String(day.year),
        ]
        if let basis = receipt.legalBasis { context["legalBasis"] = basis }
        if let processing = receipt.processing { context["processing"] = processing }
        if let handling = receipt.handlingUnitName { context["handlingUnit"] = handling }
        if receipt.provisional { context["provisional"] = true }
        if let back { context["back"] = back }
        // Our own SVG (numbers, and the label escaped by `svg`), the one value a template takes unescaped.
        if let qr = receipt.qrCode { context["qr"] = qr.svg(label: "Mã QR tra cứu hồ sơ \(receipt.code)") }
        return templates.citizenPage("receipt", context)
    }
}
