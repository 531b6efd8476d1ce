import Domain
import Runtime
import Testing

/// `MOTCUA_SMS_GATEWAY_URL`, `MOTCUA_SMTP_URL` and `MOTCUA_NOTIFIER_*` (docs/notifier.md).
@Suite struct NotifierSettingsTests {
    @Test func unsetURLsTurnTheChannelsOff() throws {
        #expect(try Settings.fromEnvironment([:]).notifier.channels.isEmpty)
        let both = try Settings.fromEnvironment([
            "MOTCUA_SMS_GATEWAY_URL": "http://127.0.0.1:9590/messages",
            "MOTCUA_SMTP_URL": "smtp://mail%40user:p%3Ass@mail.example.vn:587",
        ]).notifier
        #expect(both.channels == [.sms, .email])
        #expect(both.smtp == SMTPEndpoint(url: "smtp://mail%40user:p%3Ass@mail.example.vn:587"))
        #expect(both.smtp?.host == "mail.example.vn" && both.smtp?.port == 587)
        #expect(both.smtp?.username == "mail@user" && both.smtp?.password == "p:ss")
        let anonymous = try #require(SMTPEndpoint(url: "smtp://127.0.0.1:2525"))
        #expect(anonymous.username == nil && anonymous.password == nil)
    }

    @Test func aBadNotifierSettingIsNamed() {
        for (name, value) in [
            ("MOTCUA_SMS_GATEWAY_URL", "gateway"), ("MOTCUA_SMS_GATEWAY_URL", "ftp://h/x"),
            ("MOTCUA_SMTP_URL", "http://mail:25"), ("MOTCUA_SMTP_URL", "smtp://"),
            ("MOTCUA_MAIL_FROM", "not an address"), ("MOTCUA_NOTIFIER_MAX_ATTEMPTS", "0"),
            ("MOTCUA_NOTIFIER_MAX_ATTEMPTS", "2.5"), ("MOTCUA_NOTIFIER_BACKOFF_SECONDS", "-1"),
            ("MOTCUA_NOTIFIER_LEASE_SECONDS", "5"),  // not above the 10 s send timeout
        ] {
            #expect(throws: Settings.Problem.self, "\(name)=\(value)") { try Settings.fromEnvironment([name: value]) }
        }
    }

    /// Each retry redelivers the alert: with both channels, 5 attempts each fit the queue's 10 deliveries
    /// (4 + 4 retries, the first delivery, one spare), 6 do not; with one channel, 9 do.
    @Test func attemptsMustFitTheQueuesDeliveryLimit() throws {
        let both = [
            "MOTCUA_SMS_GATEWAY_URL": "http://127.0.0.1:9590/messages", "MOTCUA_SMTP_URL": "smtp://127.0.0.1:2525",
        ]
        #expect(try Settings.fromEnvironment(both).notifier.policy.maxAttempts == 5)
        #expect(throws: Settings.Problem.self) {
            try Settings.fromEnvironment(both.merging(["MOTCUA_NOTIFIER_MAX_ATTEMPTS": "6"]) { $1 })
        }
        let sms = ["MOTCUA_SMS_GATEWAY_URL": "http://127.0.0.1:9590/messages", "MOTCUA_NOTIFIER_MAX_ATTEMPTS": "9"]
        #expect(try Settings.fromEnvironment(sms).notifier.policy.maxAttempts == 9)
        #expect(throws: Settings.Problem.self) {
            try Settings.fromEnvironment(sms.merging(["MOTCUA_NOTIFIER_MAX_ATTEMPTS": "10"]) { $1 })
        }
        #expect(
            throws: Settings.Problem.self,
            performing: {
                try Settings.fromEnvironment([
                    "MOTCUA_NOTIFIER_BACKOFF_SECONDS": "10", "MOTCUA_NOTIFIER_BACKOFF_MAX_SECONDS": "5",
                ])
            })
    }
}
