import Foundation
import Hummingbird
import Shared

enum RequestBody {
    static let limit = 1 << 20

    /// The body as JSON: 413 past 1 MiB, 400 when it is not JSON.
    static func json(_ request: Request) async throws -> JSONValue {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw Problem.tooLarge
        }
        guard buffer.readableBytes > 0 else { throw Problem.malformed("The body must be a JSON object.") }
        do {
            return try JSONDecoder().decode(JSONValue.self, from: Data(buffer: buffer))
        } catch {
            throw Problem.malformed("The body is not valid JSON.")
        }
    }
}

enum JSONResponse {
    static func make<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws
        -> Response
    {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields,
                        body: .init(byteBuffer: ByteBuffer(bytes: try JSONCoding.encode(value))))
    }
}
