import Hummingbird
import Prometheus

/// Records `motcua_http_request_duration_seconds{route, method, status}`: how long intake took to answer
/// each request, from reaching the router to its answer being ready, refusals included.
///
/// `route` is the route's template (`/v1/dossiers/{code}`; `NotFound` for no route), never the path, so
/// no dossier code or other value of a request becomes a label. Hummingbird's `MetricsMiddleware` keeps
/// `http_server_request_duration` for answered requests only (a thrown refusal has no duration there)
/// and with its default buckets, which start at 5 ms.
struct RequestDuration<Context: RequestContext>: RouterMiddleware {
    let histograms: RequestHistograms

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            histograms.record(
                route: context.endpointPath, method: request.method, status: response.status,
                duration: ContinuousClock.now - start)
            return response
        } catch {
            // ProblemMiddleware, inside this one, has made every error a problem that knows its status.
            let status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            histograms.record(
                route: context.endpointPath, method: request.method, status: status,
                duration: ContinuousClock.now - start)
            throw error
        }
    }
}
