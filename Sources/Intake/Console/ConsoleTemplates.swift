import Domain
import Foundation
import Hummingbird
import Mustache

/// The console's Mustache templates and stylesheet, from intake's resource bundle
/// (`Sources/Intake/Resources/console`). Values are HTML-escaped by `{{name}}`; no template uses `{{{…}}}`.
struct ConsoleTemplates: Sendable {
    let library: MustacheLibrary
    let stylesheet: ByteBuffer

    static func load() async -> ConsoleTemplates? {
        guard let folder = InstalledResource.folder(named: "console", target: "Intake"),
            let library = try? await MustacheLibrary(directory: folder.path),
            let css = try? Data(contentsOf: folder.appendingPathComponent("console.css"))
        else { return nil }
        return ConsoleTemplates(library: library, stylesheet: ByteBuffer(bytes: css))
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
