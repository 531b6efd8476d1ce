import Domain
import Foundation
import Testing

/// What the notifier tells the citizen, and how (docs/notifier.md): the alerts it keeps, the texts, the
/// SMS parts, the e-mail's headers.
@Suite struct NotifierTextTests {
    static func alert(_ type: String, _ data: [String: Any], id: String = "a-1") -> Data {
        try! JSONSerialization.data(withJSONObject: [
            "specversion": "1.0", "id": id, "source": "/motcua/workers/deadlines", "type": type,
            "time": "2026-11-19T17:00:05+07:00", "subject": data["dossierCode"] ?? "",
            "datacontenttype": "application/json",
            "data": data,
        ])
    }

    static var apology: [String: Any] {
        [
            "dossierCode": "000.00.19.H56-261116-0001", "unitCode": "000.00.19.H56", "procedureCode": "2.000575",
            "procedureName": "Đăng ký thành lập hộ kinh doanh", "channel": "direct",
            "applicant": ["fullName": "Nguyễn Văn A", "phone": "0905000000", "email": "a@example.vn"],
            "receivedAt": "2026-11-16T09:00:00+07:00", "dueAt": "2026-11-24T17:00:00+07:00",
            "originalDueAt": "2026-11-19T17:00:00+07:00", "overdueSeconds": 5,
            "apology": [
                "number": "7/2026/XL-000.00.19.H56", "reason": "Cần xác minh thêm.",
                "newDueAt": "2026-11-24T17:00:00+07:00", "issuedAt": "2026-11-19T17:00:00+07:00", "timely": false,
            ],
        ]
    }

    @Test func theApologyLetterGivesItsNumberReasonAndNewAppointment() throws {
        let alert = try #require(
            try CitizenAlert.read(
                routingKey: "deadline.apology_issued.000.00.19.H56",
                body: Self.alert("vn.motcua.deadline.apology_issued", Self.apology)))
        let notice = CitizenNotice(alert, applicantName: "Nguyễn Văn A")
        for text in [notice.sms, notice.body] {
            #expect(text.contains("7/2026/XL-000.00.19.H56") && text.contains("Cần xác minh thêm."))
            #expect(text.contains("17:00 ngày 24/11/2026") && text.contains("000.00.19.H56-261116-0001"))
        }
        #expect(notice.body.hasPrefix("Kính gửi Ông/Bà Nguyễn Văn A,"))
        #expect(notice.subject.contains("xin lỗi"))
    }

    @Test func onlyTheAlertsThatNeedTheCitizenAreKept() throws {
        for type in ["vn.motcua.deadline.due_soon", "vn.motcua.deadline.overdue", "vn.motcua.deadline.escalated"] {
            #expect(try CitizenAlert.read(routingKey: "x", body: Self.alert(type, Self.apology)) == nil, "\(type)")
        }
        var failed: [String: Any] = [
            "dossierCode": "000.00.19.H56-261116-0002", "unitCode": "000.00.19.H56", "group": "birth",
            "step": "permanent_residence", "agency": "police", "attempts": 5, "lastError": "timeout",
            "missingFields": NSNull(),
        ]
        #expect(
            try CitizenAlert.read(
                routingKey: "linked.step_failed.birth", body: Self.alert("vn.motcua.linked.step_failed", failed)) == nil
        )
        failed["missingFields"] = ["childPersonalId"]
        let stuck = try #require(
            try CitizenAlert.read(
                routingKey: "linked.step_failed.birth", body: Self.alert("vn.motcua.linked.step_failed", failed)))
        let notice = CitizenNotice(stuck, applicantName: "B")
        #expect(notice.sms.contains("số định danh cá nhân của trẻ") && notice.sms.contains("đăng ký thường trú"))
        let completed = try #require(
            try CitizenAlert.read(
                routingKey: "linked.completed.birth",
                body: Self.alert(
                    "vn.motcua.linked.completed",
                    [
                        "dossierCode": "000.00.19.H56-261116-0003", "unitCode": "000.00.19.H56", "group": "birth",
                        "outcome": "completed", "steps": [],
                    ])))
        #expect(CitizenNotice(completed, applicantName: "C").sms.contains("đã có kết quả"))
        #expect(throws: (any Error).self) { try CitizenAlert.read(routingKey: "x", body: Data("not json".utf8)) }
    }

    @Test func smsPartsAreCountedHonestly() {
        #expect(SMSSegments(String(repeating: "a", count: 160)) == SMSSegments(String(repeating: "a", count: 160)))
        #expect(SMSSegments(String(repeating: "a", count: 160)).parts == 1)
        #expect(SMSSegments(String(repeating: "a", count: 161)).parts == 2)
        #expect(SMSSegments(String(repeating: "a", count: 306)).parts == 2)
        #expect(SMSSegments(String(repeating: "a", count: 307)).parts == 3)
        // An extension character takes two septets.
        #expect(SMSSegments(String(repeating: "€", count: 80)).parts == 1)
        #expect(SMSSegments(String(repeating: "€", count: 81)).encoding == .gsm7)
        #expect(SMSSegments(String(repeating: "€", count: 81)).parts == 2)
        // One Vietnamese diacritic makes the whole text UCS-2.
        let vietnamese = "Hồ sơ" + String(repeating: "a", count: 65)
        #expect(SMSSegments(vietnamese).encoding == .ucs2 && SMSSegments(vietnamese).parts == 1)
        #expect(SMSSegments(vietnamese + "a").parts == 2)
        #expect(SMSSegments("Hồ sơ" + String(repeating: "a", count: 129)).parts == 2)
        #expect(SMSSegments("Hồ sơ" + String(repeating: "a", count: 130)).parts == 3)
    }

    @Test func theMailHasAnEncodedSubjectAndAMessageIdFromTheReference() {
        let mail = MailMessage(
            from: "motcua@example.vn", fromName: "Bộ phận Một cửa", to: "a@example.vn",
            subject: "Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ 000.00.19.H56-261116-0001",
            body: "Kính gửi Ông/Bà\n.\nmột dòng", reference: "deadline-000:sms",
            date: Timestamp.parse("2026-12-07T23:59:00+07:00")!)
        let rendered = mail.rendered
        #expect(rendered.contains("Message-ID: <deadline-000=sms@example.vn>\r\n"))
        #expect(rendered.contains("Date: Mon, 07 Dec 2026 23:59:00 +0700\r\n"))
        #expect(rendered.contains("Subject: =?UTF-8?B?"))
        let sevenBit = rendered.unicodeScalars.allSatisfy { $0.isASCII }
        #expect(sevenBit, "headers and body travel as 7-bit")
        // Every encoded word decodes back, and the words together are the subject.
        let words = rendered.split(separator: "\r\n").drop { !$0.hasPrefix("Subject:") }
            .prefix { $0.hasPrefix("Subject:") || $0.hasPrefix(" ") }
            .map { $0.replacingOccurrences(of: "Subject: ", with: "").trimmingCharacters(in: .whitespaces) }
        #expect(words.allSatisfy { $0.count <= 75 })
        let decoded = words.map { word -> String in
            String(decoding: Data(base64Encoded: String(word.dropFirst(10).dropLast(2)))!, as: UTF8.self)
        }.joined()
        #expect(decoded == mail.subject)
        #expect(MailMessage.encodedWord("plain") == "plain")
        #expect(SMTPReply.dataSection("a\r\n.b\r\n") == "a\r\n..b\r\n.\r\n")
    }

    @Test func smtpRepliesAreReadLineByLine() {
        let first = SMTPReply.parseLine("250-mail.example.vn")
        #expect(first?.code == 250 && first?.last == false && first?.text == "mail.example.vn")
        let last = SMTPReply.parseLine("250 OK")
        #expect(last?.code == 250 && last?.last == true && last?.text == "OK")
        #expect(SMTPReply.parseLine("hello") == nil)
        let ehlo = SMTPReply(code: 250, lines: ["mail.example.vn", "AUTH LOGIN PLAIN", "SIZE 1000"])
        #expect(ehlo.authMechanisms == ["LOGIN", "PLAIN"])
        #expect(SMTPReply(code: 451, lines: ["later"]).failure(during: "DATA") == .transient("SMTP DATA: 451 later"))
        #expect(
            SMTPReply(code: 550, lines: ["no such user"]).failure(during: "RCPT TO")
                == .refused("SMTP RCPT TO: 550 no such user"))
    }

    @Test func contactsAreNormalisedOrSkippedWithAReason() throws {
        #expect(try ContactAddress.phone("0905 000 000").get() == "+84905000000")
        #expect(try ContactAddress.phone("+84905000000").get() == "+84905000000")
        #expect(try ContactAddress.phone("84905000000").get() == "+84905000000")
        #expect(ContactAddress.phone(nil) == .failure(.init(.noPhone)))
        #expect(ContactAddress.phone("12ab") == .failure(.init(.invalidPhone)))
        #expect(ContactAddress.phone("090500") == .failure(.init(.invalidPhone)))
        #expect(try ContactAddress.email("a@example.vn").get() == "a@example.vn")
        #expect(ContactAddress.email("") == .failure(.init(.noEmail)))
        #expect(ContactAddress.email("a@example.vn\r\nBcc: x@y.z") == .failure(.init(.invalidEmail)))
        #expect(ContactAddress.email("a b@example.vn") == .failure(.init(.invalidEmail)))
    }

    @Test func retriesBackOffWithJitterAndGatewayAnswersAreClassified() {
        let policy = NotifierPolicy(maxAttempts: 6, backoffSeconds: 2, maxBackoffSeconds: 60)
        #expect(policy.backoff(afterAttempts: 1, random: 0.5) == 2)
        #expect(policy.backoff(afterAttempts: 3, random: 0.5) == 8)
        #expect(
            policy.backoff(afterAttempts: 3, random: 0) == 4 && policy.backoff(afterAttempts: 3, random: 0.999) < 12)
        #expect(policy.backoff(afterAttempts: 20, random: 0.5) == 60)
        #expect(SendOutcome.http(status: 202, body: "") == .accepted)
        #expect(SendOutcome.http(status: 422, body: "no") == .refused("HTTP 422: no"))
        #expect(SendOutcome.http(status: 429, body: "") == .transient("HTTP 429"))
        #expect(SendOutcome.http(status: 503, body: "") == .transient("HTTP 503"))
        #expect(Redaction.scrub("number +84905000000 refused for a@example.vn") == "number +… refused for …")
        #expect(NotificationChannel.sms.reference(alertId: "x") == "x:sms")
    }

    @Test func noPersonalIdReachesAnyText() throws {
        // The notice is made from the alert and the name only; the alert carries no personal ID, and
        // nothing the notice is given could carry one.
        var data = Self.apology
        data["applicant"] = ["fullName": "Nguyễn Văn A", "phone": "0905000000", "email": "a@example.vn"]
        let alert = try #require(
            try CitizenAlert.read(routingKey: "k", body: Self.alert("vn.motcua.deadline.apology_issued", data)))
        let notice = CitizenNotice(alert, applicantName: "Nguyễn Văn A")
        for text in [notice.sms, notice.subject, notice.body] {
            #expect(text.range(of: #"\d{9,12}"#, options: .regularExpression) == nil)
        }
    }
}
