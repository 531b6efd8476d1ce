import Domain
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Runtime
import TestSupport
import Testing

@testable import Intake

/// The console's sign-in, anti-forgery and scope rules in process (the pages in a real browser are
/// Tests/Browser, run by ops/browser-test).
@Suite struct ConsoleTests {
    /// A form POST with the given cookies.
    static func post(
        _ client: some TestClientProtocol, _ uri: String, form: String, cookies: [String: String],
        origin: String? = nil
    ) async throws -> EdgeAnswer {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        if let origin { headers[.origin] = origin }
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: form)) {
            EdgeAnswer(status: Int($0.status.code), headers: $0.headers, body: Data(buffer: $0.body))
        }
    }

    static func get(_ client: some TestClientProtocol, _ uri: String, cookies: [String: String]) async throws
        -> EdgeAnswer
    {
        var headers: HTTPFields = [:]
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        return try await client.execute(uri: uri, method: .get, headers: headers) {
            EdgeAnswer(status: Int($0.status.code), headers: $0.headers, body: Data(buffer: $0.body))
        }
    }

    static func setCookies(_ answer: EdgeAnswer) -> [String: String] {
        var found: [String: String] = [:]
        for value in answer.headers[values: .setCookie] {
            let pair = value.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            found[String(pair[0])] = pair.count > 1 ? String(pair[1]) : ""
        }
        return found
    }

    @Test func cookiesAreSecureWhenATrustedProxySaysTheBrowserUsedHTTPS() async throws {
        try await Edge().run(mode: .live) { client in
            let plain = try await Self.get(client, "/console/login", cookies: [:])
            let plainCookies = plain.headers[values: .setCookie]
            #expect(
                !plainCookies.isEmpty && plainCookies.allSatisfy { !$0.contains("Secure") }, "plain HTTP: never Secure")
            // The test's peer is 127.0.0.1, a trusted proxy in Edge's settings.
            let proxied = try await client.execute(
                uri: "/console/login", method: .get,
                headers: [HTTPField.Name("X-Forwarded-Proto")!: "https"]
            ) {
                $0.headers[values: .setCookie]
            }
            #expect(!proxied.isEmpty && proxied.allSatisfy { $0.hasSuffix("; Secure") && $0.contains("HttpOnly") })
        }
        func proxied(_ proto: String) -> Request {
            Request(
                head: HTTPRequest(
                    method: .get, scheme: nil, authority: nil, path: "/console/login",
                    headerFields: [HTTPField.Name("X-Forwarded-Proto")!: proto]),
                body: RequestBody(buffer: ByteBuffer()))
        }
        let trusted = [IPNetwork("10.0.0.0/8")!]
        #expect(SecureCookies.overHTTPS(proxied("https"), peer: "10.1.2.3", trusted: trusted))
        #expect(
            !SecureCookies.overHTTPS(proxied("https"), peer: "192.0.2.7", trusted: trusted),
            "only a trusted proxy may say so")
        #expect(!SecureCookies.overHTTPS(proxied("https"), peer: nil, trusted: trusted))
        // A proxy that appends: the value before its own is the client's, and does not count.
        #expect(SecureCookies.overHTTPS(proxied("http, https"), peer: "10.1.2.3", trusted: trusted))
        #expect(!SecureCookies.overHTTPS(proxied("https, http"), peer: "10.1.2.3", trusted: trusted))
    }

    @Test func signingInSetsAnHttpOnlyStrictCookieAndRefusesForgedForms() async throws {
        try await Edge().run { client in
            let unsigned = try await Self.get(client, "/console/deadlines", cookies: [:])
            #expect(unsigned.status == 303 && unsigned.headers[.location] == "/console/login")

            let login = try await Self.get(client, "/console/login", cookies: [:])
            #expect(login.status == 200 && login.contentType == "text/html; charset=utf-8")
            #expect(login.headers[HTTPField.Name("Content-Security-Policy")!]?.contains("default-src 'none'") == true)
            let csrf = try #require(Self.setCookies(login)["motcua_csrf"])
            #expect(
                login.headers[values: .setCookie].allSatisfy {
                    $0.contains("HttpOnly") && $0.contains("SameSite=Strict")
                })
            #expect(String(decoding: login.body, as: UTF8.self).contains("value=\"\(csrf)\""))

            // Without the anti-forgery token, or with another one, a right token signs nobody in.
            let forged = try await Self.post(
                client, "/console/login", form: "token=all-token", cookies: ["motcua_csrf": csrf])
            #expect(forged.status == 403 && Self.setCookies(forged)["motcua_console"] == nil)
            let other = String(repeating: "a", count: 64)
            let mismatched = try await Self.post(
                client, "/console/login", form: "csrf=\(other)&token=all-token",
                cookies: ["motcua_csrf": csrf])
            #expect(mismatched.status == 403)
            let crossSite = try await Self.post(
                client, "/console/login", form: "csrf=\(csrf)&token=all-token",
                cookies: ["motcua_csrf": csrf], origin: "https://evil.example")
            #expect(crossSite.status == 403)
            let wrong = try await Self.post(
                client, "/console/login", form: "csrf=\(csrf)&token=nope",
                cookies: ["motcua_csrf": csrf])
            #expect(wrong.status == 401 && Self.setCookies(wrong)["motcua_console"] == nil)

            let signedIn = try await Self.post(
                client, "/console/login", form: "csrf=\(csrf)&token=binhphuoc-token",
                cookies: ["motcua_csrf": csrf])
            #expect(signedIn.status == 303 && signedIn.headers[.location] == "/console/deadlines")
            let cookie = try #require(signedIn.headers[values: .setCookie].first { $0.hasPrefix("motcua_console=") })
            #expect(
                cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/console"))
            #expect(signedIn.headers[.location]?.contains("token") == false)

            let session = ["motcua_csrf": csrf, "motcua_console": "binhphuoc-token"]
            let page = try await Self.get(client, "/console/deadlines", cookies: session)
            #expect(page.status == 200 && String(decoding: page.body, as: UTF8.self).contains("UBND xã Bình Phước"))
            // Signing out is a form too: refused without the token, done with it.
            let forgedOut = try await Self.post(client, "/console/logout", form: "", cookies: session)
            #expect(forgedOut.status == 403 && Self.setCookies(forgedOut)["motcua_console"] == nil)
            let out = try await Self.post(client, "/console/logout", form: "csrf=\(csrf)", cookies: session)
            #expect(out.status == 303 && Self.setCookies(out)["motcua_console"] == "")
        }
    }

    @Test func aUnitTokenSeesOnlyItsSubtreeAndOnlyAGlobalTokenReplays() async throws {
        try await Edge().run { client in
            let csrf = String(repeating: "b", count: 64)
            let dongSon = ["motcua_csrf": csrf, "motcua_console": "dongson-token"]
            let other = try await Self.get(client, "/console/dossiers/000.00.19.H56-261116-0001", cookies: dongSon)
            #expect(other.status == 403)
            let letter = try await Self.get(
                client, "/console/dossiers/000.00.19.H56-261116-0001/letter", cookies: dongSon)
            #expect(letter.status == 403)
            let malformed = try await Self.get(client, "/console/dossiers/nope", cookies: dongSon)
            #expect(malformed.status == 404)
            let replay = try await Self.post(
                client, "/console/queues/motcua.payments/replay", form: "csrf=\(csrf)",
                cookies: dongSon)
            #expect(replay.status == 403)
            let deadlines = try await Self.get(client, "/console/deadlines?unit=000.00.19.H56", cookies: dongSon)
            let html = String(decoding: deadlines.body, as: UTF8.self)
            #expect(
                deadlines.status == 200 && !html.contains("000.00.19.H56-"),
                "another unit's filter falls back to its own")
        }
    }

    @Test func signInAttemptsAreLimitedPerClient() async throws {
        try await Edge().run { client in
            let csrf = String(repeating: "c", count: 64)
            var statuses: [Int] = []
            for _ in 0..<22 {
                statuses.append(
                    try await Self.post(
                        client, "/console/login", form: "csrf=\(csrf)&token=guess",
                        cookies: ["motcua_csrf": csrf]
                    ).status)
            }
            #expect(statuses.prefix(20).allSatisfy { $0 == 401 } && statuses.suffix(2).allSatisfy { $0 == 429 })
            let right = try await Self.post(
                client, "/console/login", form: "csrf=\(csrf)&token=all-token",
                cookies: ["motcua_csrf": csrf])
            #expect(right.status == 429 && Self.setCookies(right)["motcua_console"] == nil, "even a right token waits")
        }
    }

    @Test func formsAndCookiesParse() {
        #expect(
            ConsoleSession.parseForm("csrf=ab%20c&token=x+y&empty=&csrf=second") == [
                "csrf": "ab c", "token": "x y", "empty": "",
            ])
        #expect(ConsoleSession.parseForm("") == [:])
    }

    @Test func timesAndNumbersAreWrittenTheVietnameseWay() {
        let due = Date(timeIntervalSince1970: 1_795_514_400)  // 24/11/2026 17:00 +07:00
        #expect(ConsoleFormat.dateTime(due) == "24/11/2026 17:00")
        #expect(ConsoleFormat.date(due) == "24/11/2026")
        #expect(
            ConsoleFormat.timeLeft(until: due, now: due.addingTimeInterval(-(2 * 86_400 + 3 * 3600)))
                == "còn 2 ngày 3 giờ")
        #expect(
            ConsoleFormat.timeLeft(until: due, now: due.addingTimeInterval(5 * 3600 + 600)) == "quá hạn 5 giờ 10 phút")
        #expect(ConsoleFormat.timeLeft(until: due, now: due.addingTimeInterval(30)) == "quá hạn 0 phút")
        #expect(
            ConsoleFormat.number(1_234_567) == "1.234.567" && ConsoleFormat.number(-5) == "-5"
                && ConsoleFormat.number(0) == "0")
    }

    @Test func linkedStepsAreNamedInVietnameseBesideTheirIdentifiers() {
        // Every step and agency of both groups has a name.
        for step in [LinkedGroupKind.birth, .death].flatMap(\.allSteps) {
            #expect(ConsoleFormat.step(step) != step)
            #expect(ConsoleFormat.agency(LinkedGroupKind.agency(of: step)) != LinkedGroupKind.agency(of: step))
        }
        let timedOut = ConsoleFormat.stepCells(
            step: "permanent_residence", agency: "police",
            lastError: "no answer within 1.5 s (attempt 2)")
        #expect(
            timedOut["stepName"] as? String == "Đăng ký thường trú"
                && timedOut["step"] as? String == "permanent_residence")
        #expect(timedOut["agencyName"] as? String == "Công an" && timedOut["agency"] as? String == "police")
        let timedOutError = timedOut["lastError"] as? [String: Any]
        #expect(timedOutError?["said"] as? String == "không có trả lời trong 1.5 giây (lần gửi thứ 2)")
        #expect(timedOutError?["recorded"] as? String == "no answer within 1.5 s (attempt 2)")
        #expect(ConsoleFormat.linkedError("missing fields: childPersonalId") == "thiếu trường: childPersonalId")
        #expect(ConsoleFormat.linkedError("error from social_insurance") == "lỗi từ hệ thống Bảo hiểm xã hội")
        // A partner's own reason is its words.
        let partner = ConsoleFormat.stepCells(
            step: "funeral_allowance", agency: "labour_social_affairs",
            lastError: "hồ sơ thiếu giấy chứng tử")
        let partnerError = partner["lastError"] as? [String: Any]
        #expect(partnerError?["said"] as? String == "hồ sơ thiếu giấy chứng tử" && partnerError?["recorded"] == nil)
        #expect(
            ConsoleFormat.stepCells(step: "birth_registration", agency: "justice", lastError: nil)["lastError"] == nil)
        #expect(ConsoleFormat.outcome("partial") == "hoàn thành một phần")
    }

    @Test func deadLetterReasonsAreSaidInVietnameseAboveTheRecordedText() {
        func reason(_ raw: String?) -> (said: String?, recorded: String?) {
            let shown = ConsoleFormat.deadLetterReason(raw)
            return (shown["said"] as? String, shown["recorded"] as? String)
        }
        let orphan = reason("dossier 000.00.19.H56-200101-12345 was not recorded within 120 s")
        #expect(orphan.said == "hồ sơ 000.00.19.H56-200101-12345 chưa được ghi nhận sau 120 giây chờ")
        #expect(orphan.recorded == "dossier 000.00.19.H56-200101-12345 was not recorded within 120 s")
        #expect(
            reason("routing key payment.lost is not handled by the recorder").said
                == "khóa định tuyến payment.lost không thuộc hàng đợi này")
        #expect(
            reason("the message is not a CloudEvent this queue understands").said
                == "tin không phải CloudEvent mà hàng đợi này đọc được")
        #expect(reason(nil) == ("quá số lần giao tối đa", nil), "the broker's delivery limit")
        let other = reason("something new")
        #expect(other.said == "something new" && other.recorded == nil, "an unknown reason is shown once, as it came")
    }
}
