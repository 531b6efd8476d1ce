import Foundation
import Hummingbird

/// `GET /openapi.yaml`: the OpenAPI 3.1 document of this surface (`docs/openapi.yaml`), no token.
enum OpenAPIRoute {
    static let document: ByteBuffer = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
            let data = try? Data(contentsOf: url)
        else { return ByteBuffer(string: "openapi: 3.1.0\n") }
        return ByteBuffer(bytes: data)
    }()

    static func register(on router: Router<IntakeContext>) {
        router.get("/openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: document))
        }
    }
}
