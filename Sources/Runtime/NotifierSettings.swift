import Domain
import Foundation

/// The notifier's settings (`MOTCUA_SMS_GATEWAY_URL`, `MOTCUA_SMTP_URL`, `MOTCUA_NOTIFIER_*`,
/// docs/configuration.md). A channel whose URL is unset is off.
public struct NotifierSettings: Sendable {
    /// Where each SMS is POSTed as `{to, text, reference}`; nil: no SMS.
    public var smsGatewayURL: URL?
    /// The SMTP server; nil: no e-mail.
    public var smtp: SMTPEndpoint?
    /// The envelope sender and `From:` address (`MOTCUA_MAIL_FROM`).
    public var mailFrom = "motcua@localhost"
    /// The `From:` display name (`MOTCUA_MAIL_FROM_NAME`).
    public var mailFromName = "Bộ phận Một cửa"
    public var policy = NotifierPolicy()

    public init() {}

    /// The channels that are on.
    public var channels: [NotificationChannel] {
        (smsGatewayURL == nil ? [] : [.sms]) + (smtp == nil ? [] : [.email])
    }

    static func read(_ value: (String) -> String?) throws -> NotifierSettings {
        var settings = NotifierSettings()
        if let text = value("MOTCUA_SMS_GATEWAY_URL") {
            guard let url = URL(string: text), url.scheme == "http" || url.scheme == "https", url.host != nil else {
                throw Settings.Problem(
                    variable: "MOTCUA_SMS_GATEWAY_URL",
                    rule: "must be an http(s)://host:port/path URL, or unset for no SMS")
            }
            settings.smsGatewayURL = url
        }
        if let text = value("MOTCUA_SMTP_URL") {
            guard let endpoint = SMTPEndpoint(url: text) else {
                throw Settings.Problem(
                    variable: "MOTCUA_SMTP_URL",
                    rule: "must be smtp://[user:password@]host:port, or unset for no e-mail")
            }
            settings.smtp = endpoint
        }
        if let from = value("MOTCUA_MAIL_FROM") {
            guard from.split(separator: "@").count == 2, !from.contains(where: { $0 == "<" || $0 == ">" || $0 == " " })
            else {
                throw Settings.Problem(variable: "MOTCUA_MAIL_FROM", rule: "must be an address like motcua@example.vn")
            }
            settings.mailFrom = from
        }
        if let name = value("MOTCUA_MAIL_FROM_NAME") { settings.mailFromName = name }
        func number(_ name: String, _ fallback: Double, _ range: ClosedRange<Double>) throws -> Double {
            guard let text = value(name) else { return fallback }
            guard let number = Double(text), number.isFinite, range.contains(number) else {
                throw Settings.Problem(
                    variable: name, rule: "must be a number from \(range.lowerBound) to \(Int(range.upperBound))")
            }
            return number
        }
        let defaults = NotifierPolicy()
        let attempts = try number("MOTCUA_NOTIFIER_MAX_ATTEMPTS", Double(defaults.maxAttempts), 1...100)
        guard attempts == attempts.rounded() else {
            throw Settings.Problem(
                variable: "MOTCUA_NOTIFIER_MAX_ATTEMPTS", rule: "must be a whole number from 1 to 100")
        }
        let most = NotifierPolicy.mostAttempts(channels: settings.channels.count)
        guard Int(attempts) <= most else {
            throw Settings.Problem(
                variable: "MOTCUA_NOTIFIER_MAX_ATTEMPTS",
                rule:
                    "must be at most \(most) with \(settings.channels.count) channel(s): each retry redelivers the alert, "
                    + "and \(Topology.notifier.name) dead-letters an alert after \(Topology.deliveryLimit) deliveries")
        }
        let backoff = try number("MOTCUA_NOTIFIER_BACKOFF_SECONDS", defaults.backoffSeconds, 0.01...86_400)
        let maxBackoff = try number("MOTCUA_NOTIFIER_BACKOFF_MAX_SECONDS", defaults.maxBackoffSeconds, 0.01...86_400)
        guard maxBackoff >= backoff else {
            throw Settings.Problem(
                variable: "MOTCUA_NOTIFIER_BACKOFF_MAX_SECONDS",
                rule: "must not be below MOTCUA_NOTIFIER_BACKOFF_SECONDS")
        }
        let timeout = try number("MOTCUA_NOTIFIER_SEND_TIMEOUT_SECONDS", defaults.sendTimeoutSeconds, 0.1...300)
        let lease = try number("MOTCUA_NOTIFIER_LEASE_SECONDS", Double(defaults.leaseSeconds), 1...3600)
        guard lease == lease.rounded(), lease > timeout else {
            throw Settings.Problem(
                variable: "MOTCUA_NOTIFIER_LEASE_SECONDS",
                rule: "must be a whole number of seconds above MOTCUA_NOTIFIER_SEND_TIMEOUT_SECONDS")
        }
        settings.policy = NotifierPolicy(
            maxAttempts: Int(attempts), backoffSeconds: backoff, maxBackoffSeconds: maxBackoff,
            sendTimeoutSeconds: timeout, leaseSeconds: Int(lease))
        return settings
    }
}

/// `smtp://[user:password@]host:port` (`MOTCUA_SMTP_URL`); the user and password percent-decoded.
public struct SMTPEndpoint: Sendable, Equatable {
    public let host: String
    public let port: Int
    public let username: String?
    public let password: String?

    public init?(url text: String) {
        guard let url = URLComponents(string: text), url.scheme == "smtp", let host = url.host, !host.isEmpty
        else { return nil }
        self.host = host
        self.port = url.port ?? 25
        guard (1...65535).contains(port) else { return nil }
        username = url.user
        password = url.password
    }
}
