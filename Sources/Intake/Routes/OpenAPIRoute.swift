import Domain
import Foundation
import Hummingbird

/// `GET /openapi.yaml`: the OpenAPI 3.1 document of this surface (`docs/openapi.yaml`), no token.
enum OpenAPIRoute {
    /// The document from the target's resource bundle (`InstalledResource`).
    static let document: ByteBuffer? = InstalledResource.data(named: "openapi.yaml", target: "Intake").map {
        ByteBuffer(bytes: $0)
    }

    static func register(on router: Router<IntakeContext>) {
        router.get("/openapi.yaml") { _, _ in
            guard let document else { throw Problem.notFound("The OpenAPI document is not installed beside intake.") }
            return Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: document))
        }
    }
}
