import AMQPDriver
import Hummingbird
import NIOCore
import Store

/// The one place where every error becomes an answer: domain refusals, the framework's own errors
/// (unknown route, wrong method, 413), outages, and anything unforeseen, each as problem+json.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            throw problem
        } catch is NIOTooManyBytesError {
            throw Problem.tooLarge
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw Problem.tooLarge
        } catch let error as HTTPError {
            throw Problem(
                status: error.status, slug: "http-\(error.status.code)", title: error.status.reasonPhrase,
                detail: error.status.reasonPhrase)
        } catch let error as PostgresError where error.kind == .connection || error.isRetryable {
            context.logger.error("database unavailable", metadata: ["error": "\(error)"])
            throw Problem.unavailable("The database")
        } catch let error as AMQPError where error.outcomeUnknown {
            context.logger.error("broker outcome unknown", metadata: ["error": "\(error)"])
            throw Problem.uncertain
        } catch let error as AMQPError {
            context.logger.error("broker failure", metadata: ["error": "\(error)"])
            throw Problem.unavailable("The message broker")
        } catch {
            // A refused statement or anything unforeseen is our fault, not the caller's: 500, and the log
            // names the error's type (never its values: they may hold personal data).
            context.logger.error(
                "internal error",
                metadata: [
                    "error": "\(String(reflecting: type(of: error)))",
                    "detail": "\(error is PostgresError ? "\(error)" : "-")",
                ])
            throw Problem.internalError
        }
    }
}
