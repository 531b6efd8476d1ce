import AMQPDriver
import Domain
import Foundation
import Runtime
import Store
import TestSupport
import Testing

/// The notifier (`--role notifier`, docs/notifier.md) on the real servers: PostgreSQL, RabbitMQ, the
/// test SMTP server (aiosmtpd) and `motcua-sms-sim`, with real processes killed with SIGKILL.
@Suite(.serialized) struct NotifierTests {
    let database = TestEnvironment.database()
    static let personalId = "051095001234"

    /// The notifier's environment: the SMS gateway and, when asked, the SMTP server; quick retries.
    static func notifierEnvironment(sms: SMSGatewayUnderTest?, smtp: Bool, extra: [String: String] = [:]) throws
        -> [String: String]
    {
        var environment = [
            "MOTCUA_NOTIFIER_BACKOFF_SECONDS": "0.2", "MOTCUA_NOTIFIER_BACKOFF_MAX_SECONDS": "1",
            "MOTCUA_NOTIFIER_SEND_TIMEOUT_SECONDS": "2", "MOTCUA_NOTIFIER_LEASE_SECONDS": "3",
            "MOTCUA_MAIL_FROM": "motcua@notifier.test",
        ]
        if let sms { environment["MOTCUA_SMS_GATEWAY_URL"] = sms.url }
        if smtp { environment["MOTCUA_SMTP_URL"] = try NotifierServers.smtpURL }
        environment.merge(extra) { _, new in new }
        return environment
    }

    /// A recorded dossier (the recorder only: no deadline fires for it) with this contact.
    static func recordedDossier(_ intake: IntakeUnderTest, phone: String?, email: String?, database: PostgresClient)
        async throws -> String
    {
        var body = plainDossier(receivedAt: VietnamTime.rfc3339(Date().addingTimeInterval(-60)))
        var applicant = body["applicant"] as! [String: Any]
        applicant.removeValue(forKey: "phone")
        applicant.removeValue(forKey: "email")
        if let phone { applicant["phone"] = phone }
        if let email { applicant["email"] = email }
        body["applicant"] = applicant
        let code = try await intake.submit(body)
        try await eventually("the dossier is recorded") {
            try await database.count("SELECT count(*) FROM dossiers WHERE code = $1", [code]) == 1
        }
        return code
    }

    /// An apology alert as the outbox relay publishes it, with an id of its own.
    static func apologyAlert(_ code: String, id: String = "test-apology-\(UUID().uuidString.lowercased())") throws
        -> OutgoingMessage
    {
        let data: [String: Any] = [
            "dossierCode": code, "unitCode": "000.00.19.H56", "procedureCode": "2.000575",
            "procedureName": "Đăng ký thành lập hộ kinh doanh", "channel": "direct",
            "applicant": ["fullName": "Nguyễn Văn A", "phone": NSNull(), "email": NSNull()],
            "receivedAt": "2026-11-16T09:00:00+07:00", "dueAt": "2026-11-24T17:00:00+07:00",
            "originalDueAt": "2026-11-19T17:00:00+07:00", "overdueSeconds": 10,
            "apology": [
                "number": "9/2026/XL-000.00.19.H56", "reason": "Cần xác minh thêm.",
                "newDueAt": "2026-11-24T17:00:00+07:00", "issuedAt": "2026-11-19T17:00:00+07:00", "timely": false,
            ],
        ]
        let body = try JSONSerialization.data(withJSONObject: [
            "specversion": "1.0", "id": id, "source": "/motcua/workers/deadlines",
            "type": "vn.motcua.deadline.apology_issued", "time": "2026-11-19T17:00:00+07:00", "subject": code,
            "datacontenttype": "application/json", "data": data,
        ])
        return OutgoingMessage(
            exchange: Topology.alerts, routingKey: "deadline.apology_issued.000.00.19.H56", body: body, messageId: id)
    }

    /// Publishes an alert once the notifier's queue is there to take it (alerts go out `mandatory` here:
    /// a publish before the notifier declared its queue is refused, and tried again).
    static func publishRouted(_ message: OutgoingMessage, with publisher: EventPublisher) async throws {
        try await eventually(within: 30, "the notifier's queue takes the alert") {
            (try? await publisher.publish(message)) != nil
        }
    }

    /// Waits until a notifier consumes `motcua.notifier` (the outbox relay publishes alerts without
    /// `mandatory`: one published before the queue exists reaches nobody).
    static func notifierConsumes() async throws {
        try await eventually(within: 30, "a notifier consumes motcua.notifier") {
            let depths = try QueueInspection.depths(endpoint: TestEnvironment.amqp, queues: [Topology.notifier.name])
            return ((depths[Topology.notifier.name] ?? nil)?.consumers ?? 0) >= 1
        }
    }

    func notificationRows(_ code: String) async throws -> [Notifications.Row] {
        try await database.withConnection { connection in
            try Notifications.list(failedOnly: false, dossier: code, limit: 10_000, on: connection)
        }
    }

    @Test func aLateDossiersLetterReachesTheCitizenOnceBySMSAndOnceByEmail() async throws {
        try await withStack { stack in
            let sms = try await stack.smsGateway(0)
            let intake = try await stack.intake()
            let email = "late-\(UUID().uuidString.prefix(8).lowercased())@example.vn"
            _ = try stack.worker(
                ["--role", "notifier"], environment: try Self.notifierEnvironment(sms: sms, smtp: true))
            try await Self.notifierConsumes()
            _ = try stack.worker(["--role", "all"])
            // Received Monday 16/11 09:00, 3 working days: due 19/11 17:00, long past: the pipeline's own
            // letter, and due-soon, overdue and escalation alerts, which are the agency's, not the citizen's.
            var body = plainDossier(receivedAt: "2026-11-16T09:00:00+07:00")
            var applicant = body["applicant"] as! [String: Any]
            applicant["email"] = email
            body["applicant"] = applicant
            let code = try await intake.submit(body)
            try await eventually(within: 60, "the letter is sent on both channels") {
                let rows = try await notificationRows(code)
                return rows.count == 2 && rows.allSatisfy { $0.status == .sent }
            }
            let view = try await intake.read(code)
            let number = try #require((view["apology"] as? [String: Any])?["number"] as? String)
            let texts = try await sms.received().messages.filter { $0.text.contains(code) }
            #expect(texts.count == 1)
            let text = try #require(texts.first)
            #expect(
                text.to == "+84905000000" && text.text.contains(number) && text.text.contains("17:00 ngày 24/11/2026"))
            #expect(text.reference.hasSuffix(":sms"))
            var mails: [String] = []
            try await eventually("the mail is in the SMTP server's folder") {
                mails = try NotifierServers.mails(to: email)
                return !mails.isEmpty
            }
            #expect(mails.count == 1)
            let mail = try #require(mails.first)
            let rows = try await notificationRows(code)
            let emailRow = try #require(rows.first { $0.key.channel == .email })
            let messageId = MailMessage(
                from: "motcua@notifier.test", fromName: "", to: email, subject: "", body: "",
                reference: NotificationChannel.email.reference(alertId: emailRow.key.alertId), date: Date()
            ).messageId
            #expect(mail.contains("Message-ID: \(messageId)\r\n") && messageId.hasSuffix("=email@notifier.test>"))
            #expect(mail.contains("Subject: =?UTF-8?B?"))
            let smsRow = try #require(rows.first { $0.key.channel == .sms })
            #expect(smsRow.parts == SMSSegments(text.text).parts && smsRow.parts! > 1 && smsRow.attempts == 1)
            #expect(rows.allSatisfy { $0.kind == "apology" }, "due-soon, overdue and escalated are not sent")
            // No personal ID in anything the citizen received: the SMS, the mail's headers and its body.
            let bodyText = Self.decodedBody(mail)
            #expect(bodyText.contains(number) && bodyText.contains("Kính gửi Ông/Bà Nguyễn Văn A"))
            for received in [text.text, mail, bodyText] {
                #expect(!received.contains(Self.personalId) && !received.contains("001234"))
            }
            let listed = try await motcua(["notifications", "list", "--dossier", code])
            #expect(listed.status == 0 && listed.output.contains("sms") && listed.output.contains("email"))
        }
    }

    /// The base64 body of a mail the notifier sent, decoded.
    static func decodedBody(_ mail: String) -> String {
        let normalized = mail.replacingOccurrences(of: "\r\n", with: "\n")
        guard let split = normalized.range(of: "\n\n") else { return "" }
        let encoded = normalized[split.upperBound...].filter { !$0.isWhitespace }
        return String(decoding: Data(base64Encoded: String(encoded)) ?? Data(), as: UTF8.self)
    }

    @Test func aGatewayThatFailsThreeTimesIsRetriedAndAcceptsOnce() async throws {
        try await withStack { stack in
            let sms = try await stack.smsGateway(1)
            try await sms.faults(["fail": 3])
            let intake = try await stack.intake()
            _ = try stack.worker(["--role", "recorder"])
            _ = try stack.worker(
                ["--role", "notifier"], environment: try Self.notifierEnvironment(sms: sms, smtp: false))
            let code = try await Self.recordedDossier(intake, phone: "0905111222", email: nil, database: database)
            let publisher = EventPublisher(endpoint: TestEnvironment.amqp, logger: TestEnvironment.logger)
            defer { Task { await publisher.close() } }
            try await Self.publishRouted(try Self.apologyAlert(code), with: publisher)
            try await eventually(within: 30, "the SMS is sent") {
                try await notificationRows(code).first?.status == .sent
            }
            let row = try #require(try await notificationRows(code).first)
            #expect(row.attempts == 4 && row.lastError == nil)
            let received = try await sms.received()
            #expect(received.requests == 4 && received.accepted == 1 && received.duplicates == 0)
        }
    }

    @Test func aPermanentRefusalEndsAsADeadLetterWithTheReason() async throws {
        try await withStack { stack in
            let sms = try await stack.smsGateway(2)
            try await sms.faults(["refuseAll": true])
            let intake = try await stack.intake()
            _ = try stack.worker(["--role", "recorder"])
            _ = try stack.worker(
                ["--role", "notifier"], environment: try Self.notifierEnvironment(sms: sms, smtp: false))
            let code = try await Self.recordedDossier(intake, phone: "0905333444", email: nil, database: database)
            let publisher = EventPublisher(endpoint: TestEnvironment.amqp, logger: TestEnvironment.logger)
            defer { Task { await publisher.close() } }
            let alert = try Self.apologyAlert(code)
            try await Self.publishRouted(alert, with: publisher)
            var letter: DeadLetters.Letter?
            try await eventually(within: 30, "the alert is in motcua.notifier.dlq") {
                letter = try await DeadLetters(endpoint: TestEnvironment.amqp, queue: Topology.notifier).list()
                    .first { $0.messageId == alert.messageId }
                return letter != nil
            }
            #expect(letter?.error?.contains("sms: HTTP 422") == true)
            #expect(letter?.routingKey == "deadline.apology_issued.000.00.19.H56")
            let row = try #require(try await notificationRows(code).first)
            #expect(row.status == .failed && row.attempts == 1 && row.lastError?.contains("HTTP 422") == true)
            #expect(try await sms.received().accepted == 0)
            let failed = try await motcua(["notifications", "list", "--failed", "--json"])
            #expect(failed.status == 0 && failed.output.contains(alert.messageId))
        }
    }

    @Test func aCitizenWithoutContactIsSkippedAndCounted() async throws {
        try await withStack { stack in
            let sms = try await stack.smsGateway(3)
            let intake = try await stack.intake()
            _ = try stack.worker(["--role", "recorder"])
            let port = NotifierServers.metricsPort(0)
            _ = try stack.worker(
                ["--role", "notifier"],
                environment: try Self.notifierEnvironment(
                    sms: sms, smtp: true, extra: ["MOTCUA_METRICS_PORT": String(port)]))
            let code = try await Self.recordedDossier(intake, phone: nil, email: nil, database: database)
            let publisher = EventPublisher(endpoint: TestEnvironment.amqp, logger: TestEnvironment.logger)
            defer { Task { await publisher.close() } }
            try await Self.publishRouted(try Self.apologyAlert(code), with: publisher)
            try await eventually(within: 30, "both channels are skipped") {
                let rows = try await notificationRows(code)
                return rows.count == 2 && rows.allSatisfy { $0.status == .skipped }
            }
            let rows = try await notificationRows(code)
            #expect(Set(rows.compactMap(\.lastError)) == ["no_phone", "no_email"])
            var text = ""
            try await eventually("the metrics count them") {
                text = String(
                    decoding: try await HTTP.send("GET", "http://127.0.0.1:\(port)/metrics").body, as: UTF8.self)
                return text.contains("motcua_notifier_skipped_total")
            }
            for (channel, reason) in [("sms", "no_phone"), ("email", "no_email")] {
                #expect(
                    text.contains(#"motcua_notifier_skipped_total{channel="\#(channel)",reason="\#(reason)"} 1"#)
                        || text.contains(#"motcua_notifier_skipped_total{reason="\#(reason)",channel="\#(channel)"} 1"#),
                    "\(text)")
            }
            #expect(try await sms.received().requests == 0)
        }
    }

    @Test func aNotifierKilledInABurstOf1000AlertsSendsEachExactlyOnce() async throws {
        try await withStack { stack in
            let sms = try await stack.smsGateway(4)
            // A little slow, so the burst lasts long enough to be interrupted.
            try await sms.faults(["delaySeconds": 0.004])
            let intake = try await stack.intake()
            _ = try stack.worker(["--role", "recorder"])
            let code = try await Self.recordedDossier(intake, phone: "0905555666", email: nil, database: database)
            let environment = try Self.notifierEnvironment(sms: sms, smtp: false)
            let first = try stack.worker(["--role", "notifier"], environment: environment)
            let publisher = EventPublisher(endpoint: TestEnvironment.amqp, logger: TestEnvironment.logger)
            defer { Task { await publisher.close() } }
            let alerts = try (0..<1000).map { _ in try Self.apologyAlert(code) }
            try await Self.publishRouted(alerts[0], with: publisher)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for chunk in stride(from: 0, to: alerts.count, by: 100) {
                    group.addTask {
                        for alert in alerts[max(1, chunk)..<chunk + 100] { try await publisher.publish(alert) }
                    }
                }
                try await group.waitForAll()
            }
            try await eventually(within: 60, "the burst is under way") { try await sms.received().accepted >= 150 }
            await first.kill()
            let atKill = try await sms.received().accepted
            #expect(atKill < 1000, "killed in the middle of the burst (\(atKill) sent)")
            _ = try stack.worker(["--role", "notifier"], environment: environment)
            try await eventually(within: 120, "every alert is sent") {
                try await database.count(
                    "SELECT count(*) FROM notifications WHERE dossier_code = $1 AND status = 'sent'", [code]) == 1000
            }
            let received = try await sms.received()
            let references = Set(received.messages.map(\.reference))
            let expected = Set(alerts.map { NotificationChannel.sms.reference(alertId: $0.messageId) })
            #expect(received.accepted == 1000 && received.messages.count == 1000 && references == expected)
            let rows = try await notificationRows(code)
            #expect(rows.count == 1000 && rows.allSatisfy { $0.status == .sent && $0.key.channel == .sms })
            #expect(Set(rows.map { $0.key.channel.reference(alertId: $0.key.alertId) }) == references)
            // What the kill cost: sends repeated under the same reference, which the gateway dropped.
            print(
                "notifier burst: killed after \(atKill) accepted; \(received.duplicates) repeats dropped by the gateway"
            )
            #expect(received.duplicates <= 1, "only the send in flight at the kill may come again")
        }
    }
}
