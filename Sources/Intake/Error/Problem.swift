import Domain
import Foundation
import Hummingbird

/// An RFC 9457 problem (`application/problem+json`): every refusal intake gives is one of these.
struct Problem: HTTPResponseError {
    var status: HTTPResponse.Status
    var slug: String
    var title: String
    var detail: String
    var errors: [FieldError]?
    var headers: HTTPFields = [:]

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = Body(
            type: "https://motcua.gov.vn/problems/\(slug)", title: title, status: Int(status.code),
            detail: detail, errors: errors)
        var fields = headers
        fields[.contentType] = "application/problem+json"
        let data = try JSONCoding.encode(body)
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
        Problem(
            status: .unauthorized, slug: "unauthorized", title: "Unauthorized",
            detail: "A valid Authorization: Bearer <token> header is required.",
            headers: [.wwwAuthenticate: "Bearer"])
    }

    static func forbidden(unit: String) -> Problem {
        Problem(
            status: .forbidden, slug: "forbidden", title: "Forbidden",
            detail: "This token may not act for unit \(unit).")
    }

    static func validation(_ errors: [FieldError]) -> Problem {
        Problem(
            status: .unprocessableContent, slug: "validation", title: "Validation failed",
            detail: errors.map(\.description).joined(separator: "; "), errors: errors)
    }

    static func malformed(_ detail: String) -> Problem {
        Problem(status: .badRequest, slug: "malformed", title: "Malformed request", detail: detail)
    }

    static let tooLarge = Problem(
        status: .contentTooLarge, slug: "too-large", title: "Body too large",
        detail: "The body must be at most 1 MiB.")

    static func notFound(_ detail: String) -> Problem {
        Problem(status: .notFound, slug: "not-found", title: "Not found", detail: detail)
    }

    static func conflict(_ detail: String) -> Problem {
        Problem(status: .conflict, slug: "conflict", title: "Conflict", detail: detail)
    }

    /// The broker may or may not have taken it (no confirm came): a retry resolves it without doubling.
    static let uncertain = Problem(
        status: .serviceUnavailable, slug: "outcome-unknown", title: "Outcome unknown",
        detail: "The message broker did not confirm in time, so it may or may not have taken the request. Retry "
            + "the identical request (with the same idempotencyKey, if it had one): it will not be recorded twice.",
        headers: [.retryAfter: "2"])

    static let internalError = Problem(
        status: .internalServerError, slug: "internal", title: "Internal error",
        detail: "The request could not be completed; nothing was accepted.")

    static func unavailable(_ what: String) -> Problem {
        Problem(
            status: .serviceUnavailable, slug: "unavailable", title: "Service unavailable",
            detail: "\(what) is unreachable; nothing was accepted. Retry later.", headers: [.retryAfter: "2"])
    }

    static let tooManyRequests = Problem(
        status: .tooManyRequests, slug: "rate-limited", title: "Too many requests",
        detail: "Slow down: one more lookup is allowed every 3 seconds.",
        headers: [.retryAfter: "3"])
}
