import Hummingbird

/// `Authorization: Bearer <token>` on every `/v1` route but citizen lookup: 401 without a known token.
struct BearerAuthentication: RouterMiddleware {
    typealias Context = IntakeContext
    let authorizer: Authorizer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        var context = context
        context.token = try authorizer.authenticate(request)
        return try await next(request, context)
    }
}
