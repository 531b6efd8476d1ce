import Domain
import Foundation
import Hummingbird
import Runtime

/// The citizens' pages, no token: `GET /tra-cuu` (the lookup page) and its stylesheet `GET /citizen.css`.
struct CitizenRoutes: Sendable {
    let templates: ConsoleTemplates?
    let page: LookupPage

    func register(on router: Router<IntakeContext>) {
        router.get("tra-cuu") { request, context in
            guard let templates else { return CitizenRoutes.notInstalled() }
            return try await page.show(request, context: context, templates: templates)
        }
        router.get("citizen.css") { _, _ in
            guard let templates else { return CitizenRoutes.notInstalled() }
            return Response(
                status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=300"],
                body: .init(byteBuffer: templates.citizenStylesheet))
        }
    }

    static func notInstalled() -> Response {
        Response(
            status: .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: "The pages' templates are not installed beside intake.\n")))
    }
}
