import Domain
import Foundation
import Hummingbird

enum RequestBody {
    static let limit = 1 << 20

    /// The body as JSON, read up to the context's upload size: 413 past it, 400 when it is not JSON.
    static func json(_ request: Request, context: some RequestContext) async throws -> JSONValue {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        guard buffer.readableBytes > 0 else { throw Problem.malformed("The body must be a JSON object.") }
        // Straight from the buffer's bytes, without copying them into `Data` first (`JSONParser`).
        let parsed = buffer.withUnsafeReadableBytes { bytes in
            Result { () throws(JSONParser.Failure) in
                try JSONParser.parse(bytes)
            }
        }
        guard case .success(let value) = parsed else { throw Problem.malformed("The body is not valid JSON.") }
        return value
    }
}

enum JSONResponse {
    static func make<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws
        -> Response
    {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(
            status: status, headers: fields,
            body: .init(byteBuffer: ByteBuffer(bytes: try JSONCoding.encode(value))))
    }
}
