import Domain
import Foundation
import Hummingbird
import Runtime
import Store

/// `GET /v1/dossiers/{code}/receipt`: the receipt as a printable page, authorised as `GET /v1/dossiers/{code}`
/// (401 without a token, 403 outside its scope, 404 for a code intake never issued).
struct ReceiptRoutes: Sendable {
    let templates: ConsoleTemplates?
    let authorizer: Authorizer
    let catalog: CatalogCache
    let directory: DossierDirectory
    let receipts: ReceiptPage
    let settings: Settings

    func register(on group: RouterGroup<IntakeContext>) {
        group.get("dossiers/:code/receipt") { request, context in
            let snapshot = catalog.current
            let code = try await authorizer.scopedCode(
                context.parameters.get("code") ?? "", token: try context.requireToken(),
                catalog: snapshot, handlingUnit: directory.handlingUnit
            ).description
            guard let templates else { return CitizenRoutes.notInstalled() }
            let base = PublicAddress.base(request, context: context, settings: settings)
            guard let receipt = try await receipts.receipt(code: code, catalog: snapshot, publicURL: base) else {
                throw Problem.notFound("No dossier has code \(code).")
            }
            return ReceiptPage.render(receipt, templates: templates)
        }
    }
}
