import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@testable import Intake

/// `GET /tra-cuu`: the citizens' lookup as a page, with the limits and answers of `GET /v1/lookup`.
@Suite struct LookupPageTests {
    static func text(_ answer: EdgeAnswer) -> String { String(decoding: answer.body, as: UTF8.self) }

    /// A client address of its own (intake believes 127.0.0.1's X-Forwarded-For), so its limit is fresh.
    static func client() -> HTTPFields {
        [
            .init("X-Forwarded-For")!:
                "10.\(Int.random(in: 0...255)).\(Int.random(in: 0...255)).\(Int.random(in: 1...254))"
        ]
    }

    @Test func theRightPairAnswersAndAWrongPairReadsAsAnUnknownCode() async throws {
        try await Edge().run(mode: .live) { client in
            let (code, _) = try await CitizenPagesTests.submit(client)
            let me = Self.client()
            let form = try await client.send(.get, "/tra-cuu", token: nil, headers: me)
            #expect(form.status == 200 && form.contentType == "text/html; charset=utf-8")
            #expect(Self.text(form).contains("name=\"viewport\"") && !Self.text(form).contains("<script"))
            // From the QR code: the code filled in, nothing looked up.
            let filled = Self.text(try await client.send(.get, "/tra-cuu?ma=\(code)", token: nil, headers: me))
            #expect(filled.contains("value=\"\(code)\"") && !filled.contains("id=\"answer\""))

            let right = try await client.send(.get, "/tra-cuu?ma=\(code)&so4=1234", token: nil, headers: me)
            #expect(right.status == 200)
            let page = Self.text(right)
            #expect(page.contains("Đã tiếp nhận") && page.contains("Hẹn trả kết quả") && page.contains("Trong hạn"))
            #expect(
                !page.contains("Nguyễn Văn A") && !page.contains("051095001234"), "nothing the citizen did not type")
            #expect(right.headers[.init("Referrer-Policy")!] == "no-referrer")

            let wrong = try await client.send(.get, "/tra-cuu?ma=\(code)&so4=9999", token: nil, headers: me)
            let unknownCode = String(code.dropLast(4)) + "9999"
            let unknown = try await client.send(.get, "/tra-cuu?ma=\(unknownCode)&so4=1234", token: nil, headers: me)
            #expect(wrong.status == 404 && unknown.status == 404)
            #expect(Self.text(wrong).contains(LookupPage.notFound))
            // The same page, but for the code the citizen typed.
            #expect(
                Self.text(wrong).replacingOccurrences(of: code, with: "CODE")
                    == Self.text(unknown).replacingOccurrences(of: unknownCode, with: "CODE"))
        }
    }

    @Test func badInputIsNamedFieldByField() async throws {
        try await Edge().run(mode: .live) { client in
            let me = Self.client()
            let both = try await client.send(.get, "/tra-cuu?ma=abc&so4=12a", token: nil, headers: me)
            #expect(both.status == 400)
            let page = Self.text(both)
            #expect(page.contains("data-field=\"ma\">Mã hồ sơ: không đúng dạng"))
            #expect(page.contains("data-field=\"so4\">4 số cuối số định danh cá nhân: hãy nhập đúng 4 chữ số"))
            let empty = try await client.send(
                .get, "/tra-cuu?ma=000.00.19.H56-260129-0001&so4=", token: nil, headers: me)
            #expect(empty.status == 400 && !Self.text(empty).contains("data-field=\"ma\""))
            let onlyCode = try await client.send(.get, "/tra-cuu?ma=%3Cb%3E", token: nil, headers: me)
            #expect(onlyCode.status == 400 && Self.text(onlyCode).contains("value=\"&lt;b&gt;\""))
        }
    }

    /// One limit for the API and the page: 20 lookups at once, then one every 3 seconds.
    @Test func thePageSharesTheLookupsRateLimit() async throws {
        try await Edge().run(mode: .live) { client in
            let me = Self.client()
            for _ in 0..<20 {
                _ = try await client.send(
                    .get, "/v1/lookup/000.00.19.H56-200101-0001?personalIdLast4=1234", token: nil, headers: me)
            }
            let limited = try await client.send(
                .get, "/tra-cuu?ma=000.00.19.H56-200101-0001&so4=1234", token: nil, headers: me)
            #expect(limited.status == 429 && limited.headers[.retryAfter] == "3")
            #expect(Self.text(limited).contains("quá nhiều lần"))
            // Filling the form in from the QR code looks nothing up and is not limited.
            #expect(
                try await client.send(.get, "/tra-cuu?ma=000.00.19.H56-200101-0001", token: nil, headers: me).status
                    == 200)
        }
    }
}
