import Domain
import Foundation
import Hummingbird
import Mustache

/// The console's Mustache templates and stylesheet, and the citizens' pages and theirs, from intake's
/// resource bundle (`Sources/Intake/Resources/console`). Values are HTML-escaped by `{{name}}`; the one
/// `{{{…}}}` is the receipt's QR code, an SVG intake draws itself (`QRCode.svg`).
struct ConsoleTemplates: Sendable {
    let library: MustacheLibrary
    let stylesheet: ByteBuffer
    /// `citizen.css`: the receipt and the lookup page, on a phone and on A4.
    let citizenStylesheet: ByteBuffer

    static func load() async -> ConsoleTemplates? {
        guard let folder = InstalledResource.folder(named: "console", target: "Intake"),
            let library = try? await MustacheLibrary(directory: folder.path),
            let css = try? Data(contentsOf: folder.appendingPathComponent("console.css")),
            let citizenCSS = try? Data(contentsOf: folder.appendingPathComponent("citizen.css"))
        else { return nil }
        return ConsoleTemplates(
            library: library, stylesheet: ByteBuffer(bytes: css), citizenStylesheet: ByteBuffer(bytes: citizenCSS))
    }

    /// A citizens' page: as `page`, but it sends no referrer anywhere (its address may hold a dossier code
    /// and four digits).
    func citizenPage(_ name: String, _ context: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        var response = page(name, context, status: status)
        response.headers[.init("Referrer-Policy")!] = "no-referrer"
        return response
    }

    /// A page as a response, with the headers every console page carries.
    func page(
        _ name: String, _ context: [String: Any], status: HTTPResponse.Status = .ok,
        cookies: [String] = []
    ) -> Response {
        let html = library.render(context, withTemplate: name) ?? "<!doctype html><p>Template \(name) is missing.</p>"
        var headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8",
            .cacheControl: "no-store",
            .init("Content-Security-Policy")!:
                "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            .init("X-Content-Type-Options")!: "nosniff",
            .init("Referrer-Policy")!: "same-origin",
        ]
        for cookie in cookies { headers.append(.init(name: .setCookie, value: cookie)) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
