import HTTPTypes
import Hummingbird

/// Answers every request, refusals included, with `X-Request-Id`: the id Hummingbird gives the request
/// and every log line about it carries (`hb.request.id`), so what a client reports can be found in the
/// logs. It is the framework's own counter, not a value the client sent.
struct RequestIdentifier<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        do {
            var response = try await next(request, context)
            response.headers[.requestID] = context.id
            return response
        } catch var problem as Problem {
            // ProblemMiddleware, inside this one, has made every error a problem.
            problem.headers[.requestID] = context.id
            throw problem
        }
    }
}

extension HTTPField.Name {
    static let requestID = Self("X-Request-Id")!
}
