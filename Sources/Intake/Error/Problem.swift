import Foundation
import Hummingbird
import Shared

/// An RFC 9457 problem (`application/problem+json`): every refusal intake gives is one of these.
struct Problem: HTTPResponseError {
    var status: HTTPResponse.Status
    var slug: String
    var title: String
    var detail: String
    var errors: [FieldError]?
    var headers: HTTPFields = [:]

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = Body(type: "https://motcua.gov.vn/problems/\(slug)", title: title, status: Int(status.code),
                        detail: detail, errors: errors)
        var fields = headers
        fields[.contentType] = "application/problem+json"
        let data = try JSONCoding.encode(body, sortedKeys: true)
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    private struct Body: Encodable {
        var type: String
        var title: String
        var status: Int
        var detail: String
        var errors: [FieldError]?
    }

    static func unauthorized() -> Problem {
        Problem(status: .unauthorized, slug: "unauthorized", title: "Unauthorized",
                detail: "A valid Authorization: Bearer <token> header is required.",
                headers: [.wwwAuthenticate: "Bearer"])
    }

    static func forbidden(unit: String) -> Problem {
        Problem(status: .forbidden, slug: "forbidden", title: "Forbidden",
                detail: "This token may not act for unit \(unit).")
    }

    static func validation(_ errors: [FieldError]) -> Problem {
        Problem(status: .unprocessableContent, slug: "validation", title: "Validation failed",
                detail: errors.map(\.description).joined(separator: "; "), errors: errors)
    }

    static func malformed(_ detail: String) -> Problem {
        Problem(status: .badRequest, slug: "malformed", title: "Malformed request", detail: detail)
    }

    static let tooLarge = Problem(status: .contentTooLarge, slug: "too-large", title: "Body too large",
                                  detail: "The body must be at most 1 MiB.")

    static func notFound(_ detail: String) -> Problem {
        Problem(status: .notFound, slug: "not-found", title: "Not found", detail: detail)
    }

    static func conflict(_ detail: String) -> Problem {
        Problem(status: .conflict, slug: "conflict", title: "Conflict", detail: detail)
    }

    static func unavailable(_ what: String) -> Problem {
        Problem(status: .serviceUnavailable, slug: "unavailable", title: "Service unavailable",
                detail: "\(what) is unreachable; nothing was accepted. Retry later.", headers: [.retryAfter: "2"])
    }

    static let tooManyRequests = Problem(status: .tooManyRequests, slug: "rate-limited", title: "Too many requests",
                                         detail: "Slow down and retry in a minute.", headers: [.retryAfter: "60"])
}

/// Turns the framework's own errors (unknown route, wrong method…) into problems too.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            throw problem
        } catch let error as HTTPError {
            throw Problem(status: error.status, slug: "http-\(error.status.code)", title: error.status.reasonPhrase,
                          detail: error.body ?? error.status.reasonPhrase)
        } catch let error as PostgresError where error.isTransient {
            context.logger.error("database unreachable", metadata: ["error": "\(error)"])
            throw Problem.unavailable("The database")
        } catch let error as PostgresError {
            // A refused statement is our fault, not an outage: 500, and the log says which.
            context.logger.error("database refused a statement", metadata: ["error": "\(error)"])
            throw Problem(status: .internalServerError, slug: "internal", title: "Internal error",
                          detail: "The request could not be completed; nothing was accepted.")
        } catch let error as AMQPError {
            context.logger.error("broker failure", metadata: ["error": "\(error)"])
            throw Problem.unavailable("The message broker")
        }
    }
}
