import Domain
import Foundation
import Hummingbird
import HummingbirdTesting
import Runtime
import TestSupport
import Testing

@testable import Intake

/// The receipt (`GET /v1/dossiers/{code}/receipt`) and the lookup page (`GET /tra-cuu`) in process, on the
/// real PostgreSQL, over dossiers intake accepted (the pages in Chromium, the QR code decoded, are
/// Tests/Browser).
@Suite struct CitizenPagesTests {
    static func text(_ answer: EdgeAnswer) -> String { String(decoding: answer.body, as: UTF8.self) }

    /// A fresh dossier through intake; its code and the answer's `provisional`.
    static func submit(
        _ client: some TestClientProtocol, receivedAt: Date = Date().addingTimeInterval(-60)
    ) async throws -> (code: String, provisional: Bool) {
        var body = plainDossier(receivedAt: VietnamTime.rfc3339(receivedAt))
        body["components"] = [
            ["name": "Giấy đề nghị", "digitized": false], ["name": "Bản sao CCCD", "digitized": false],
        ]
        let answer = try await client.send(.post, "/v1/dossiers", json: body)
        #expect(answer.status == 202)
        return (try #require(answer.json["code"] as? String), try #require(answer.json["provisional"] as? Bool))
    }

    @Test func theReceiptPrintsMau01OfTodaysRegimeWithTheQRCodeOfTheLookupPage() async throws {
        try await Edge().run { client in
            let (code, provisional) = try await Self.submit(client)
            let answer = try await client.send(.get, "/v1/dossiers/\(code)/receipt")
            #expect(answer.status == 200)
            #expect(answer.contentType == "text/html; charset=utf-8")
            let page = Self.text(answer)
            for field in [
                "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "Mẫu số 01 (Thông tư 03/2025/TT-VPCP)",
                "Căn cứ Nghị định số 118/2025/NĐ-CP", "UBND XÃ BÌNH PHƯỚC", code, "Nguyễn Văn A",
                "Đăng ký thành lập hộ kinh doanh", "<li>Giấy đề nghị</li>", "<li>Bản sao CCCD</li>",
                "3 ngày làm việc", "Trực tiếp", "/tra-cuu?ma=\(code)</span>", "<svg ", "shape-rendering=\"crispEdges\"",
            ] {
                #expect(page.contains(field), "\(field)")
            }
            #expect(page.contains("id=\"provisional\"") == provisional)
            // No personal ID, no phone, no e-mail: Mẫu 01 asks for the name.
            for personal in ["051095001234", "0905000000", "a@example.vn"] { #expect(!page.contains(personal)) }
        }
    }

    /// A dossier received in 2023 prints Circular 01/2018's form and Decree 61/2018, and its due moment,
    /// counted over a year whose holiday decision is not loaded, is marked tạm tính.
    @Test func aReceiptOf2023PrintsTheOldRegimeAndAProvisionalDueMoment() async throws {
        try await Edge().run { client in
            let (code, provisional) = try await Self.submit(
                client, receivedAt: Timestamp.parse("2023-06-15T09:00:00+07:00")!)
            #expect(provisional)
            let page = Self.text(try await client.send(.get, "/v1/dossiers/\(code)/receipt"))
            #expect(page.contains("Mẫu số 01 (Thông tư 01/2018/TT-VPCP)"))
            #expect(page.contains("Căn cứ Nghị định số 61/2018/NĐ-CP"))
            #expect(!page.contains("118/2025"))
            #expect(page.contains("09 giờ 00 phút, ngày 15/06/2023"))
            #expect(page.contains("id=\"provisional\""))
        }
    }

    @Test func theReceiptIsAuthorisedAsTheDossierIs() async throws {
        try await Edge().run { client in
            let (code, _) = try await Self.submit(client)
            let anonymous = try await client.send(.get, "/v1/dossiers/\(code)/receipt", token: nil)
            #expect(anonymous.status == 401 && anonymous.contentType == "application/problem+json")
            #expect(try await client.send(.get, "/v1/dossiers/\(code)/receipt", token: "dongson-token").status == 403)
            #expect(try await client.send(.get, "/v1/dossiers/\(code)/receipt", token: "binhphuoc-token").status == 200)
            let unknown = try await client.send(.get, "/v1/dossiers/000.00.19.H56-200101-98765/receipt")
            #expect(unknown.status == 404 && unknown.contentType == "application/problem+json")
            #expect(try await client.send(.get, "/v1/dossiers/nonsense/receipt").status == 404)
        }
    }

    /// `MOTCUA_PUBLIC_URL` names where citizens reach the lookup page, whatever the request's Host.
    @Test func thePublicAddressIsTheSettingOrTheRequestsHost() throws {
        #expect(try Settings.publicURL("https://motcua.example.vn/") == "https://motcua.example.vn")
        #expect(try Settings.publicURL(nil) == nil)
        for bad in ["motcua.example.vn", "ftp://x", "https://x/?a=1", "https://u:p@x"] {
            #expect(throws: Settings.Problem.self) { try Settings.publicURL(bad) }
        }
        #expect(PublicAddress.isPlainHost("[::1]:8080") && PublicAddress.isPlainHost("motcua.example.vn"))
        #expect(!PublicAddress.isPlainHost("x\"><script>") && !PublicAddress.isPlainHost(""))
    }
}
