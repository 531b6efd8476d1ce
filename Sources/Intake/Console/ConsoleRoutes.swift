import AMQPDriver
import Domain
import Foundation
import Hummingbird
import Runtime
import Store

/// The operators' console at `/console`: server-rendered pages over what the pipeline recorded, for
/// the signed-in token's unit subtree. Pages: queues (`/console/queues`), deadlines
/// (`/console/deadlines`), a dossier (`/console/dossiers/{code}`) and its printable letter
/// (`…/letter`). Every POST checks the anti-forgery token (`ConsoleSession`).
struct ConsoleRoutes: Sendable {
    let templates: ConsoleTemplates?
    let authorizer: Authorizer
    let catalog: CatalogCache
    let settings: Settings
    let publisher: any EventPublishing
    /// The primary, for what the console changes (a step re-armed).
    let database: PostgresClient
    /// Where its pages read: a replica when `MOTCUA_DATABASE_READ_URL` names one, else the primary.
    let reads: PostgresClient
    /// The citizen's receipt, printed from the dossier's page.
    let receipts: ReceiptPage
    /// Sign-in attempts per client: 20 at once, then one every 6 seconds, so tokens cannot be guessed
    /// at speed.
    let signIns = RateLimiter(capacity: 20, perSecond: 1.0 / 6)

    /// Who is signed in, and what every page's layout needs.
    struct Session {
        let token: APIToken
        let csrf: String
        let catalog: CatalogSnapshot

        func context(_ title: String, nav: String) -> [String: Any] {
            let scope = token.isGlobal ? "toàn hệ thống" : (catalog.units[token.scope]?.name ?? token.scope)
            return ["title": title, "signedIn": true, "csrf": csrf, "scopeName": scope, nav: true]
        }

        func sees(unit: String) -> Bool { token.isGlobal || catalog.unit(unit, isWithin: token.scope) }

        /// The units of the token's subtree, by code.
        var units: [Domain.Unit] { catalog.units.values.filter { sees(unit: $0.code) }.sorted { $0.code < $1.code } }
    }

    func register(on router: Router<IntakeContext>) {
        router.get("console") { request, _ in
            ConsoleSession.token(request, authorizer: authorizer) == nil
                ? redirect("/console/login")
                : redirect("/console/deadlines")
        }
        let console = router.group("console").add(middleware: SecureCookies(trustedProxies: settings.trustedProxies))
        console.get("console.css") { _, _ in
            guard let templates else { return Response(status: .notFound) }
            return Response(
                status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=300"],
                body: .init(byteBuffer: templates.stylesheet))
        }
        console.get("login") { request, _ in try await loginPage(request) }
        console.post("login") { request, context in
            let client = ClientAddress.key(
                peer: context.remoteAddress?.ipAddress,
                forwardedFor: request.headers.first { $0.name.canonicalName == "x-forwarded-for" }?.value,
                trusted: settings.trustedProxies)
            guard signIns.allow(client) else {
                return try await loginPage(
                    request, problem: "Quá nhiều lần đăng nhập từ máy này; hãy thử lại sau ít phút.",
                    status: .tooManyRequests)
            }
            return try await signIn(request)
        }
        console.post("logout") { request, _ in
            try await acting(request) { _, _ in
                redirect(
                    "/console/login", cookies: [ConsoleSession.setCookie(ConsoleSession.tokenCookie, "", maxAge: 0)])
            }
        }
        let queues = QueuesPage(settings: settings, publisher: publisher)
        console.get("queues") { request, _ in
            try await showing(request) { session, templates in
                try await queues.show(session: session, templates: templates, request: request)
            }
        }
        console.post("queues/:queue/replay") { request, context in
            let name = context.parameters.get("queue") ?? ""
            return try await acting(request) { session, templates in
                try await queues.replay(name, session: session, templates: templates)
            }
        }
        let deadlines = DeadlinesPage(
            openDossiers: OpenDossiers(database: reads), leadWorkingDays: settings.dueSoonLeadWorkingDays)
        console.get("deadlines") { request, _ in
            try await showing(request) { session, templates in
                try await deadlines.show(session: session, templates: templates, query: request.uri.queryParameters)
            }
        }
        let dossiers = DossierPage(readModel: DossierReadModel(database: reads), database: reads)
        console.get("dossiers/:code") { request, context in
            let code = context.parameters.get("code") ?? ""
            return try await showing(request) { session, templates in
                try await dossiers.show(code, session: session, templates: templates)
            }
        }
        let linked = LinkedPage(
            database: database, reads: reads, policy: settings.partner,
            leadWorkingDays: settings.dueSoonLeadWorkingDays)
        console.get("linked") { request, _ in
            try await showing(request) { session, templates in
                try await linked.show(session: session, templates: templates, query: request.uri.queryParameters)
            }
        }
        console.post("linked/:code/:step/retry") { request, context in
            let (code, step) = (context.parameters.get("code") ?? "", context.parameters.get("step") ?? "")
            return try await acting(request) { session, templates in
                try await linked.retry(code: code, step: step, session: session, templates: templates)
            }
        }
        let reportsPage = ReportsPage(reports: UnitReports(database: reads))
        console.get("reports") { request, _ in
            try await showing(request) { session, templates in
                try await reportsPage.show(session: session, templates: templates, query: request.uri.queryParameters)
            }
        }
        console.get("reports.csv") { request, _ in
            try await showing(request) { session, templates in
                try await reportsPage.csv(session: session, templates: templates, query: request.uri.queryParameters)
            }
        }
        console.get("dossiers/:code/receipt") { request, context in
            let code = context.parameters.get("code") ?? ""
            let base = PublicAddress.base(request, context: context, settings: settings)
            return try await showing(request) { session, templates in
                try await dossiers.receipt(code, session: session, templates: templates, receipts: receipts, base: base)
            }
        }
        console.get("dossiers/:code/letter") { request, context in
            let code = context.parameters.get("code") ?? ""
            return try await showing(request) { session, templates in
                try await dossiers.letter(code, session: session, templates: templates)
            }
        }
    }

    // MARK: - Signing in

    private func loginPage(_ request: Request, problem: String? = nil, status: HTTPResponse.Status = .ok) async throws
        -> Response
    {
        guard let templates else { return notInstalled() }
        if problem == nil, ConsoleSession.token(request, authorizer: authorizer) != nil {
            return redirect("/console/deadlines")
        }
        let csrf = ConsoleSession.csrf(request)
        var context: [String: Any] = ["title": "Đăng nhập", "csrf": csrf.value]
        if let problem { context["problem"] = problem }
        return templates.page(
            "login", context, status: status,
            cookies: csrf.isNew ? [ConsoleSession.setCookie(ConsoleSession.csrfCookie, csrf.value)] : [])
    }

    private func signIn(_ request: Request) async throws -> Response {
        let form = try await ConsoleSession.form(request)
        guard ConsoleSession.isGenuine(request, form: form) else {
            return try await loginPage(
                request, problem: "Yêu cầu bị từ chối: thiếu hoặc sai mã chống giả mạo (CSRF). Hãy tải lại trang.",
                status: .forbidden)
        }
        guard let presented = form["token"]?.trimmingCharacters(in: .whitespaces), authorizer.tokens[presented] != nil
        else {
            return try await loginPage(request, problem: "Mã truy cập không đúng.", status: .unauthorized)
        }
        // A session cookie (no Max-Age): it ends with the browser.
        return redirect(
            "/console/deadlines", cookies: [ConsoleSession.setCookie(ConsoleSession.tokenCookie, presented)])
    }

    // MARK: - Pages behind the sign-in

    /// A GET page: signed in, or sent to the sign-in page.
    private func showing(
        _ request: Request,
        _ body: (Session, ConsoleTemplates) async throws -> Response
    ) async throws -> Response {
        guard let templates else { return notInstalled() }
        guard let token = ConsoleSession.token(request, authorizer: authorizer) else {
            return redirect("/console/login")
        }
        let csrf = ConsoleSession.csrf(request)
        var response = try await body(Session(token: token, csrf: csrf.value, catalog: catalog.current), templates)
        if csrf.isNew {
            response.headers.append(
                .init(name: .setCookie, value: ConsoleSession.setCookie(ConsoleSession.csrfCookie, csrf.value)))
        }
        return response
    }

    /// A POST: signed in AND carrying the anti-forgery token, or refused with 403 and nothing done.
    private func acting(
        _ request: Request,
        _ body: (Session, ConsoleTemplates) async throws -> Response
    ) async throws -> Response {
        guard let templates else { return notInstalled() }
        let form = try await ConsoleSession.form(request)
        guard let token = ConsoleSession.token(request, authorizer: authorizer) else {
            return redirect("/console/login")
        }
        let session = Session(token: token, csrf: ConsoleSession.csrf(request).value, catalog: catalog.current)
        guard ConsoleSession.isGenuine(request, form: form) else {
            var context = session.context("Yêu cầu bị từ chối", nav: "")
            context["heading"] = "Yêu cầu bị từ chối"
            context["message"] =
                "Biểu mẫu không mang mã chống giả mạo (CSRF) hợp lệ; không có gì được thực hiện. Hãy tải lại trang rồi thử lại."
            return templates.page("message", context, status: .forbidden)
        }
        return try await body(session, templates)
    }

    private func notInstalled() -> Response {
        Response(
            status: .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: "The console's templates are not installed beside intake.\n")))
    }
}

/// A 303 to `path` (after a POST, the browser GETs it).
func redirect(_ path: String, cookies: [String] = []) -> Response {
    var headers: HTTPFields = [.location: path, .cacheControl: "no-store"]
    for cookie in cookies { headers.append(.init(name: .setCookie, value: cookie)) }
    return Response(status: .seeOther, headers: headers)
}

extension ConsoleTemplates {
    /// A page with one message (not found, not allowed).
    func message(_ session: ConsoleRoutes.Session, heading: String, _ text: String, status: HTTPResponse.Status)
        -> Response
    {
        var context = session.context(heading, nav: "")
        context["heading"] = heading
        context["message"] = text
        return page("message", context, status: status)
    }
}
