import AMQPDriver
import Domain
import Foundation
import Logging
import Store

/// Configuration from the environment (CONTRACT.md), with defaults that work on one machine.
public struct Settings: Sendable {
    public var databaseURL: String
    public var amqpURL: String
    public var amqp: AMQPEndpoint
    /// The management API of each node that has one (`MOTCUA_RABBITMQ_API_URL`, comma-separated): `motcua
    /// queues` asks them in turn.
    public var rabbitAPIURLs: [URL]
    public var httpPort: Int
    public var apiTokens: [APIToken]
    public var logLevel: Logger.Level
    /// Seconds a payment or action waits for its dossier before it is dead-lettered.
    public var orphanWaitSeconds: Int
    /// Working days before the receipt's due moment that the due-soon alert goes
    /// (`MOTCUA_DUE_SOON_LEAD_WORKING_DAYS`, default 1, DOMAIN.md §5).
    public var dueSoonLeadWorkingDays = 1
    /// The port workers serve `/metrics` on (`MOTCUA_METRICS_PORT`, default 9464); nil when set to 0.
    public var metricsPort: Int? = 9464
    /// Seconds a database statement or lock wait may take (`MOTCUA_STATEMENT_TIMEOUT_SECONDS`, default 15).
    public var statementTimeoutSeconds = 15
    /// Reverse proxies whose `X-Forwarded-For` intake believes (`MOTCUA_TRUSTED_PROXIES`); none by default.
    public var trustedProxies: [IPNetwork] = []
    /// How the chains role treats partner agencies (`MOTCUA_PARTNER_TIMEOUT_SECONDS`, `…_MAX_ATTEMPTS`,
    /// `…_BACKOFF_SECONDS`, `…_BACKOFF_MAX_SECONDS`).
    public var partner = LinkedPolicy()
    /// How long a stopped deadlines or chains worker keeps the due timers it claimed
    /// (`MOTCUA_TIMER_LEASE_SECONDS`, default 30).
    public var timerLease = ClaimLease()
    /// The partner simulator's fault file (`MOTCUA_PARTNER_SIM_CONFIG`), re-read when it changes; none: no faults.
    public var partnerSimConfig: String?
    /// Where reports and the console read (`MOTCUA_DATABASE_READ_URL`, a replica); nil: the primary.
    public var databaseReadURL: String?
    /// Where citizens reach intake's public pages (`MOTCUA_PUBLIC_URL`): the receipt's QR code opens
    /// `<it>/tra-cuu`; nil: the address the request came to.
    public var publicURL: String?
    /// The notifier's channels and retries (`NotifierSettings`).
    public var notifier = NotifierSettings()

    /// A setting that is malformed; its description is the one line the process prints before stopping.
    public struct Problem: Error, CustomStringConvertible {
        public let variable: String
        public let rule: String
        public var description: String { "\(variable): \(rule)" }
    }

    /// Reads every setting, stopping at the first bad one.
    /// - Parameter requireTokens: intake needs `MOTCUA_API_TOKENS`; workers and the CLI do not.
    public static func fromEnvironment(
        _ env: [String: String] = ProcessInfo.processInfo.environment,
        requireTokens: Bool = false
    ) throws -> Settings {
        func value(_ name: String) -> String? {
            guard let text = env[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            return text
        }
        let databaseURL = value("MOTCUA_DATABASE_URL") ?? "postgres://motcua:motcua@127.0.0.1:5432/motcua"
        // libpq's own reading: several hosts are a primary and its standbys (CONTRACT.md "Past one machine").
        guard databaseURL.hasPrefix("postgres://") || databaseURL.hasPrefix("postgresql://"),
            PostgresConnection.uriProblem(databaseURL) == nil
        else {
            throw Problem(
                variable: "MOTCUA_DATABASE_URL",
                rule: "must be a postgres://user:password@host:port/db URL (several servers: host1:port,host2:port, "
                    + "with ?target_session_attrs=read-write)")
        }
        let readURL = value("MOTCUA_DATABASE_READ_URL")
        if let readURL,
            !(readURL.hasPrefix("postgres://") || readURL.hasPrefix("postgresql://"))
                || PostgresConnection.uriProblem(readURL) != nil
        {
            throw Problem(
                variable: "MOTCUA_DATABASE_READ_URL",
                rule: "must be a postgres://user:password@host:port/db URL, or unset to read the primary")
        }
        let amqpURL = value("MOTCUA_AMQP_URL") ?? "amqp://guest:guest@127.0.0.1:5672/%2f"
        guard var amqp = AMQPEndpoint(url: amqpURL, topology: .motcua) else {
            throw Problem(
                variable: "MOTCUA_AMQP_URL",
                rule: "must be an amqp://user:password@host:port/vhost URL, or several comma-separated "
                    + "(the nodes of one cluster, one vhost)")
        }
        // A queue created on a cluster is replicated on as many nodes as the URL lists, unless told.
        let groupText = value("MOTCUA_QUORUM_INITIAL_GROUP_SIZE") ?? String(amqp.nodes.count > 1 ? amqp.nodes.count : 0)
        guard let groupSize = Int(groupText), (0...255).contains(groupSize) else {
            throw Problem(
                variable: "MOTCUA_QUORUM_INITIAL_GROUP_SIZE",
                rule: "must be a whole number of broker nodes from 1 to 255, or 0 for the broker's default")
        }
        amqp.topology.initialGroupSize = groupSize
        let apiText = value("MOTCUA_RABBITMQ_API_URL") ?? "http://guest:guest@127.0.0.1:15672"
        let apis = apiText.split(separator: ",", omittingEmptySubsequences: false).map {
            URL(string: String($0.trimmingCharacters(in: .whitespaces)))
        }
        guard
            apis.allSatisfy({ api in
                guard let api else { return false }
                return (api.scheme == "http" || api.scheme == "https") && api.host != nil
            })
        else {
            throw Problem(
                variable: "MOTCUA_RABBITMQ_API_URL",
                rule: "must be an http(s)://user:password@host:port URL, or several comma-separated (one per node)")
        }
        let portText = value("MOTCUA_HTTP_PORT") ?? "8080"
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw Problem(variable: "MOTCUA_HTTP_PORT", rule: "must be a port number from 1 to 65535")
        }
        let tokens: [APIToken]
        if let text = value("MOTCUA_API_TOKENS") {
            tokens = try APIToken.parseList(text)
        } else if requireTokens {
            throw Problem(
                variable: "MOTCUA_API_TOKENS",
                rule: "is not set: give comma-separated token=scope pairs (scope a unit code or *)")
        } else {
            tokens = []
        }
        let levelText = value("MOTCUA_LOG_LEVEL") ?? "info"
        guard let level = Logger.Level(rawValue: levelText.lowercased()) else {
            throw Problem(
                variable: "MOTCUA_LOG_LEVEL",
                rule: "must be one of trace, debug, info, notice, warning, error, critical")
        }
        let waitText = value("MOTCUA_ORPHAN_WAIT_SECONDS") ?? "120"
        guard let wait = Int(waitText), wait > 0 else {
            throw Problem(variable: "MOTCUA_ORPHAN_WAIT_SECONDS", rule: "must be a whole number of seconds above 0")
        }
        let timeoutText = value("MOTCUA_STATEMENT_TIMEOUT_SECONDS") ?? "15"
        guard let statementTimeout = Int(timeoutText), (1...3600).contains(statementTimeout) else {
            throw Problem(
                variable: "MOTCUA_STATEMENT_TIMEOUT_SECONDS", rule: "must be a whole number of seconds from 1 to 3600")
        }
        let metricsText = value("MOTCUA_METRICS_PORT") ?? "9464"
        guard let metricsPort = Int(metricsText), (0...65535).contains(metricsPort) else {
            throw Problem(variable: "MOTCUA_METRICS_PORT", rule: "must be a port number from 1 to 65535, or 0 for none")
        }
        let leadText = value("MOTCUA_DUE_SOON_LEAD_WORKING_DAYS") ?? "1"
        guard let lead = Int(leadText), (0...30).contains(lead) else {
            throw Problem(
                variable: "MOTCUA_DUE_SOON_LEAD_WORKING_DAYS",
                rule: "must be a whole number of working days from 0 to 30")
        }
        var proxies: [IPNetwork] = []
        for entry in (value("MOTCUA_TRUSTED_PROXIES") ?? "").split(separator: ",")
        where !entry.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let network = IPNetwork(entry.trimmingCharacters(in: .whitespaces)) else {
                throw Problem(
                    variable: "MOTCUA_TRUSTED_PROXIES",
                    rule: "must be comma-separated IP addresses or CIDR blocks, e.g. 10.0.0.5,fd00::/8")
            }
            proxies.append(network)
        }
        func seconds(_ name: String, _ fallback: String, _ range: ClosedRange<Double>) throws -> Double {
            guard let number = Double(value(name) ?? fallback), number.isFinite, range.contains(number) else {
                throw Problem(
                    variable: name,
                    rule: "must be a number of seconds from \(range.lowerBound) to \(Int(range.upperBound))")
            }
            return number
        }
        let partnerTimeout = try seconds("MOTCUA_PARTNER_TIMEOUT_SECONDS", "60", 0.1...86_400)
        let attemptsText = value("MOTCUA_PARTNER_MAX_ATTEMPTS") ?? "5"
        guard let attempts = Int(attemptsText), (1...100).contains(attempts) else {
            throw Problem(
                variable: "MOTCUA_PARTNER_MAX_ATTEMPTS", rule: "must be a whole number of attempts from 1 to 100")
        }
        let backoff = try seconds("MOTCUA_PARTNER_BACKOFF_SECONDS", "5", 0.01...86_400)
        let maxBackoff = try seconds("MOTCUA_PARTNER_BACKOFF_MAX_SECONDS", "300", 0.01...604_800)
        guard maxBackoff >= backoff else {
            throw Problem(
                variable: "MOTCUA_PARTNER_BACKOFF_MAX_SECONDS", rule: "must not be below MOTCUA_PARTNER_BACKOFF_SECONDS"
            )
        }
        let inFlightText = value("MOTCUA_PARTNER_MAX_IN_FLIGHT") ?? "500"
        guard let inFlight = Int(inFlightText), (1...100_000).contains(inFlight) else {
            throw Problem(
                variable: "MOTCUA_PARTNER_MAX_IN_FLIGHT", rule: "must be a whole number of commands from 1 to 100000")
        }
        let leaseText = value("MOTCUA_TIMER_LEASE_SECONDS") ?? "30"
        guard let lease = Int(leaseText), (1...3600).contains(lease) else {
            throw Problem(
                variable: "MOTCUA_TIMER_LEASE_SECONDS", rule: "must be a whole number of seconds from 1 to 3600")
        }
        var settings = Settings(
            databaseURL: databaseURL, amqpURL: amqpURL, amqp: amqp, rabbitAPIURLs: apis.compactMap { $0 },
            httpPort: port,
            apiTokens: tokens, logLevel: level, orphanWaitSeconds: wait,
            metricsPort: metricsPort == 0 ? nil : metricsPort,
            statementTimeoutSeconds: statementTimeout, trustedProxies: proxies)
        settings.databaseReadURL = readURL
        settings.dueSoonLeadWorkingDays = lead
        settings.partner = LinkedPolicy(
            maxAttempts: attempts, timeoutSeconds: partnerTimeout, backoffSeconds: backoff,
            maxBackoffSeconds: maxBackoff, maxInFlight: inFlight)
        settings.timerLease = ClaimLease(seconds: lease)
        settings.partnerSimConfig = value("MOTCUA_PARTNER_SIM_CONFIG")
        settings.publicURL = try publicURL(value("MOTCUA_PUBLIC_URL"))
        settings.notifier = try NotifierSettings.read(value)
        return settings
    }
}

/// A bearer token and the unit it may act for (with its descendants), or `*` for all.
public struct APIToken: Sendable, Equatable {
    public let token: String
    public let scope: String
    /// Written `CODE+successor`: once unit CODE has ended, the token also acts for its successor's
    /// dossiers (docs/units.md). Without it, a token of an ended unit keeps only that unit's own dossiers.
    public let followsSuccessor: Bool

    public init(token: String, scope: String, followsSuccessor: Bool = false) {
        self.token = token
        self.scope = scope
        self.followsSuccessor = followsSuccessor
    }

    public var isGlobal: Bool { scope == "*" }

    static func parseList(_ text: String) throws -> [APIToken] {
        var tokens: [APIToken] = []
        for entry in text.split(separator: ",") {
            let parts = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            let suffix = "+successor"
            let follows = parts.count == 2 && parts[1].hasSuffix(suffix)
            let scope = parts.count == 2 ? (follows ? String(parts[1].dropLast(suffix.count)) : parts[1]) : ""
            guard parts.count == 2, !parts[0].isEmpty, scope == "*" && !follows || UnitCode.isWellFormed(scope) else {
                throw Settings.Problem(
                    variable: "MOTCUA_API_TOKENS",
                    rule: "each entry must be token=scope, scope a unit code (DDD.DD.DD.LDD), "
                        + "optionally followed by +successor, or *")
            }
            tokens.append(APIToken(token: parts[0], scope: scope, followsSuccessor: follows))
        }
        return tokens
    }
}
