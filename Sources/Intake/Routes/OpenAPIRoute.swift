import Foundation
import Hummingbird

/// `GET /openapi.yaml`: the OpenAPI 3.1 document of this surface (`docs/openapi.yaml`), no token.
enum OpenAPIRoute {
    /// The document from the target's resource bundle, found beside the executable (as SwiftPM lays it
    /// out, and as the Docker image copies it). Looked up by hand: `Bundle.module` stops the process when
    /// the bundle is missing, and a missing document is not worth a crash.
    static let document: ByteBuffer? = {
        let beside = Bundle.main.bundleURL.appendingPathComponent("motcua_Intake.resources")
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("motcua_Intake.resources")
        for folder in [beside, executable] {
            let file = folder.appendingPathComponent("openapi.yaml")
            if let data = try? Data(contentsOf: file) { return ByteBuffer(bytes: data) }
        }
        return nil
    }()

    static func register(on router: Router<IntakeContext>) {
        router.get("/openapi.yaml") { _, _ in
            guard let document else { throw Problem.notFound("The OpenAPI document is not installed beside intake.") }
            return Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: document))
        }
    }
}
