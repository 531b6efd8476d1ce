import Domain
import Foundation
import HummingbirdTesting
import Store
import TestSupport
import Testing

@testable import Intake

/// Regression tests of the review's defect classes, at the HTTP edge, in process.
@Suite(.serialized) struct HardeningTests {
    let edge = Edge()

    @Test func anAmountThatWouldOverflowIsRefusedNamingTheField() async throws {
        try await edge.run { client in
            let code = try await submit(client)
            for amount in [Int.max, Limits.maxAmountVnd + 1, -1] {
                let answer = try await client.send(.post, "/v1/payments", json: payment(code, amount: amount))
                #expect(answer.status == 422)
                #expect(answer.errorFields == ["amountVnd"])
            }
            let fine = try await client.send(.post, "/v1/payments", json: payment(code, amount: Limits.maxAmountVnd))
            #expect(fine.status == 202)
            #expect(try await client.send(.get, "/v1/dossiers/\(code)").status == 200)
        }
    }

    @Test func aTransferToAnEndedUnitIsRefusedNamingTheFieldAndItsSuccessor() async throws {
        try await edge.run { client in
            let code = try await submit(client)
            // Bình Khương ended on 30/6/2025 into the new xã Bình Minh (DOMAIN.md §11, the default catalog).
            let ended = try await client.send(
                .post, "/v1/dossiers/\(code)/actions", json: ["type": "transfer", "toUnit": "000.15.02.H56"])
            #expect(ended.status == 422)
            #expect(ended.errorFields == ["toUnit"])
            let messages = (ended.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
            #expect(
                messages == [
                    "unit 000.15.02.H56 ended on 2025-06-30; its successor is 000.30.01.H56, which receives its dossiers"
                ])
            #expect(edge.publisher.messages.filter { $0.routingKey == "dossier.action.transfer" }.isEmpty)
            // The successor takes it.
            let successor = try await client.send(
                .post, "/v1/dossiers/\(code)/actions", json: ["type": "transfer", "toUnit": "000.30.01.H56"])
            #expect(successor.status == 202)
        }
    }

    @Test func aTimeOutsideTheWindowIsRefusedAndTheDossierStaysReadable() async throws {
        try await edge.run { client in
            let code = try await submit(client)
            for at in ["0226-11-20T09:00:00+07:00", "1899-01-01T00:00:00+07:00", "2099-01-01T00:00:00+07:00"] {
                let answer = try await client.send(
                    .post, "/v1/dossiers/\(code)/actions",
                    json: ["type": "transfer", "toUnit": "000.30.01.H56", "at": at])
                #expect(answer.status == 422)
                #expect(answer.errorFields == ["at"])
            }
            // Before the dossier's receipt, though within five years.
            let early = try await client.send(
                .post, "/v1/dossiers/\(code)/actions",
                json: [
                    "type": "transfer", "toUnit": "000.30.01.H56",
                    "at": "2026-01-28T10:00:00+07:00",
                ])
            #expect(early.status == 422)
            #expect(early.errorFields == ["at"])
            #expect(
                try await client.send(
                    .post, "/v1/payments",
                    json: payment(code, paidAt: "0226-01-29T10:05:00+07:00")
                ).errorFields
                    == ["paidAt"])
            #expect(try await client.send(.get, "/v1/dossiers/\(code)").status == 200)
            let later = try await client.send(
                .post, "/v1/dossiers/\(code)/actions",
                json: ["type": "transfer", "toUnit": "000.30.01.H56"])
            #expect(later.status == 202)
        }
    }

    @Test func controlCharactersAreRefusedInEveryTextField() async throws {
        try await edge.run { client in
            let nul = try await client.send(
                .post, "/v1/dossiers",
                json: dossierBody([
                    "applicant": ["personalId": "051095001234", "fullName": "A\u{0}B"]
                ]))
            #expect(nul.status == 422)
            #expect(nul.errorFields == ["applicant.fullName"])
            let key = try await client.send(.post, "/v1/dossiers", json: dossierBody(["idempotencyKey": "a\u{0}b"]))
            #expect(key.errorFields == ["idempotencyKey"])
            let escape = try await client.send(
                .post, "/v1/dossiers",
                json: dossierBody([
                    "components": [["name": "T\u{1B}[31m", "digitized": false]]
                ]))
            #expect(escape.errorFields == ["components[0].name"])
            // A reason may keep its line breaks.
            let code = try await submit(client)
            let reason = try await client.send(
                .post, "/v1/dossiers/\(code)/actions",
                json: ["type": "request_supplement", "reason": "Thiếu:\n- giấy chứng sinh"])
            #expect(reason.status == 202)
        }
    }

    @Test func anUncertainPublishKeepsTheCodeAndARetryResolvesItWithoutDoubling() async throws {
        try await edge.run { client in
            let body = plainDossier(receivedAt: "2026-01-29T10:00:00+07:00", key: "")
                .filter { $0.key != "idempotencyKey" }
            edge.publisher.fail(with: .unknownOutcome)
            let first = try await client.send(.post, "/v1/dossiers", json: body)
            #expect(first.status == 503)
            #expect(first.headers[.retryAfter] != nil)
            #expect(first.json["type"] as? String == "https://motcua.gov.vn/problems/outcome-unknown")
            let retry = try await client.send(.post, "/v1/dossiers", json: body)
            #expect(retry.status == 200)
            let code = try #require(retry.json["code"] as? String)
            let ids = edge.publisher.messages.filter { $0.routingKey == "dossier.received" }.map(\.messageId)
            #expect(ids.count == 2 && Set(ids).count == 1)
            // A retry of the retry (its answer was lost too) still finds the same dossier.
            let third = try await client.send(.post, "/v1/dossiers", json: body)
            #expect(third.status == 200)
            #expect(third.json["code"] as? String == code)

            // An action whose outcome was left uncertain: the identical request republishes the same event.
            edge.publisher.fail(with: .unknownOutcome)
            let transfer: [String: Any] = ["type": "transfer", "toUnit": "000.30.01.H56"]
            #expect(try await client.send(.post, "/v1/dossiers/\(code)/actions", json: transfer).status == 503)
            let again = try await client.send(.post, "/v1/dossiers/\(code)/actions", json: transfer)
            #expect(again.status == 202)  // an action answers 202, the first time and on a retry
            let actionIds = edge.publisher.messages.filter { $0.routingKey == "dossier.action.transfer" }.map(
                \.messageId)
            #expect(actionIds.count == 2 && Set(actionIds).count == 1)
        }
    }

    @Test func anUncertainPublishNoClientRetriesIsRepublishedOnceByIntake() async throws {
        try await edge.run { client in
            let body = plainDossier(receivedAt: VietnamTime.rfc3339(Date().addingTimeInterval(-600)))
            edge.publisher.fail(with: .unknownOutcome)
            #expect(try await client.send(.post, "/v1/dossiers", json: body).status == 503)
            let code = try await submitCode(client)
            edge.publisher.fail(with: .unknownOutcome)
            #expect(
                try await client.send(
                    .post, "/v1/dossiers/\(code)/actions",
                    json: ["type": "transfer", "toUnit": "000.30.01.H56"]
                ).status == 503)
            edge.publisher.fail(with: .unknownOutcome)
            #expect(try await client.send(.post, "/v1/payments", json: payment(code)).status == 503)

            let catalog = try await CatalogCache.load(
                store: CatalogStore(database: edge.database),
                logger: TestEnvironment.logger)
            let repair = UncertainRepair(
                store: UncertainPublishes(database: edge.database),
                intake: DossierIntake(
                    issued: IssuedDossiers(database: edge.database),
                    publisher: edge.publisher, catalog: catalog),
                logger: TestEnvironment.logger)
            // The three attempts whose outcome was left unknown (the in-memory broker kept them, as a broker
            // that stored them before the connection broke would).
            let uncertainIds = Set(
                edge.publisher.messages.filter { message in
                    message.routingKey == "dossier.received"
                        && String(decoding: message.body, as: UTF8.self)
                            .contains(#""receivedAt":"\#(body["receivedAt"] as? String ?? "")""#)
                        || message.routingKey == "dossier.action.transfer" || message.routingKey == "payment.succeeded"
                }.map(\.messageId))
            #expect(uncertainIds.count == 3)
            let before = edge.publisher.messages.count
            _ = try await repair.repairDue(olderThan: 0)
            // Republished with the same event ids: the workers' inbox drops any that had arrived.
            let again = edge.publisher.messages.dropFirst(before).map(\.messageId)
            #expect(uncertainIds.isSubset(of: Set(again)))
            // Once each.
            let after = edge.publisher.messages.count
            _ = try await repair.repairDue(olderThan: 0)
            #expect(edge.publisher.messages.dropFirst(after).filter { uncertainIds.contains($0.messageId) }.isEmpty)
        }
    }

    @Test func aCertainFailureAcceptsNothing() async throws {
        try await edge.run { client in
            // A body of its own: an identical one left uncertain by another test would be found (that is the point).
            let body = plainDossier(
                receivedAt: VietnamTime.rfc3339(Date().addingTimeInterval(-Double.random(in: 0..<86_400)))
            )
            .filter { $0.key != "idempotencyKey" }
            edge.publisher.fail(with: .unreachable)
            let first = try await client.send(.post, "/v1/dossiers", json: body)
            #expect(first.status == 503)
            #expect(first.json["type"] as? String == "https://motcua.gov.vn/problems/unavailable")
            #expect(try await client.send(.post, "/v1/dossiers", json: body).status == 202)
        }
    }

    @Test func admissionDecidesAsTheReplayWill() async throws {
        try await edge.run { client in
            let code = try await submit(client)
            let resolve = try await client.send(.post, "/v1/dossiers/\(code)/actions", json: ["type": "resolve"])
            #expect(resolve.status == 202)
            let backdated = VietnamTime.rfc3339(Date().addingTimeInterval(-3600))
            let returned = try await client.send(
                .post, "/v1/dossiers/\(code)/actions",
                json: ["type": "return", "at": backdated])
            #expect(returned.status == 409)

            let other = try await submit(client)
            let extend: [String: Any] = [
                "type": "extend", "reason": "Chờ xác minh",
                "newDueAt": VietnamTime.rfc3339(Date().addingTimeInterval(30 * 86_400)),
            ]
            let extendBody = try JSONSerialization.data(withJSONObject: extend)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<5 {
                    group.addTask {
                        try await client.send(.post, "/v1/dossiers/\(other)/actions", raw: extendBody).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.sorted() == [202, 409, 409, 409, 409])
        }
    }

    @Test func scopeIsCheckedBeforeExistence() async throws {
        try await edge.run { client in
            let code = try await submit(client)
            let missing = "000.00.19.H56-260129-9999"
            // Another unit's token: 403 whether the code exists or not.
            for target in [code, missing] {
                #expect(try await client.send(.get, "/v1/dossiers/\(target)", token: "dongson-token").status == 403)
                #expect(
                    try await client.send(
                        .post, "/v1/dossiers/\(target)/actions", token: "dongson-token",
                        json: ["type": "withdraw"]
                    ).status == 403)
                #expect(
                    try await client.send(
                        .post, "/v1/payments", token: "dongson-token",
                        json: payment(target, amount: 0)
                    ).status == 403)
            }
            #expect(try await client.send(.get, "/v1/dossiers/\(missing)", token: "binhphuoc-token").status == 404)
        }
    }

    @Test func idempotencyKeysBelongToTheirUnit() async throws {
        try await edge.run { client in
            let key = "shared-\(UUID().uuidString)"
            let binhPhuoc = try await client.send(
                .post, "/v1/dossiers", token: "binhphuoc-token",
                json: plainDossier(receivedAt: "2026-01-29T10:00:00+07:00", key: key))
            #expect(binhPhuoc.status == 202)
            var dongSonBody = plainDossier(receivedAt: "2026-01-29T10:00:00+07:00", key: key)
            dongSonBody["unitCode"] = "000.21.07.H06"
            let dongSon = try await client.send(.post, "/v1/dossiers", token: "dongson-token", json: dongSonBody)
            #expect(dongSon.status == 202)
            #expect(dongSon.json["code"] as? String != binhPhuoc.json["code"] as? String)
            var changed = plainDossier(receivedAt: "2026-01-29T11:00:00+07:00", key: key)
            changed["unitCode"] = "000.21.07.H06"
            let conflict = try await client.send(.post, "/v1/dossiers", token: "dongson-token", json: changed)
            #expect(conflict.status == 409)
            let text = String(decoding: conflict.body, as: UTF8.self)
            #expect(!text.contains(binhPhuoc.json["code"] as? String ?? "-"))
        }
    }

    @Test func hugeListsAndErrorsAreBoundedAndEveryErrorIsAProblem() async throws {
        try await edge.run { client in
            let many = Array(repeating: 1, count: 500_000)  // the review's half a million bad entries, under 1 MiB
            let answer = try await client.send(.post, "/v1/dossiers", json: dossierBody(["components": many]))
            #expect(answer.status == 422)
            #expect(answer.body.count < 20_000)
            #expect(answer.errorFields.contains("components"))
            let fields = (1...200).map { _ in ["digitized": 1] }
            let capped = try await client.send(.post, "/v1/dossiers", json: dossierBody(["components": fields]))
            #expect((capped.json["errors"] as? [Any])?.count ?? 0 <= FieldReader.maxErrors + 1)

            let big = try await client.send(.post, "/v1/dossiers", raw: Data(repeating: 0x20, count: (1 << 20) + 10))
            #expect(big.status == 413)
            #expect(big.contentType == "application/problem+json")
            let unknown = try await client.send(.get, "/v1/nothing-here")
            #expect(unknown.status == 404)
            #expect(unknown.contentType == "application/problem+json")
            let deep = Data((String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)).utf8)
            #expect(try await client.send(.post, "/v1/dossiers", raw: deep).status == 400)
        }
    }

    @Test func theSameNoticeAtOnceIsOneNoticeAndNeverA500() async throws {
        try await edge.run { client in
            let code = try await submit(client)
            let notice = try JSONSerialization.data(withJSONObject: payment(code, amount: 100_000))
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<10 { group.addTask { try await client.send(.post, "/v1/payments", raw: notice).status } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.sorted() == [200, 200, 200, 200, 200, 200, 200, 200, 200, 202])
        }
    }

    @Test func theDocumentIsServedAndNamesEveryRoute() async throws {
        try await edge.run { client in
            let answer = try await client.send(.get, "/openapi.yaml", token: nil)
            #expect(answer.status == 200)
            let text = String(decoding: answer.body, as: UTF8.self)
            #expect(text.hasPrefix("openapi: 3.1"))
            let documented = OpenAPIPaths.parse(text)
            let catalog = try await CatalogCache.load(
                store: CatalogStore(database: edge.database),
                logger: TestEnvironment.logger)
            let intake = DossierIntake(
                issued: IssuedDossiers(database: edge.database), publisher: edge.publisher,
                catalog: catalog)
            let router = IntakeApplication.buildRouter(
                settings: Edge.settings, database: edge.database,
                catalog: catalog, intake: intake, registry: .init(),
                logger: TestEnvironment.logger)
            // The console's pages are HTML for people (docs/console.md), not part of the API.
            let registered = Set(
                router.routes.filter { !$0.path.description.hasPrefix("/console") }.map { route in
                    "\(route.method.rawValue) " + route.path.description.replacing(/:([A-Za-z0-9]+)/) { "{\($0.1)}" }
                })
            #expect(registered == documented)
        }
    }
}

/// The `METHOD /path` pairs of an OpenAPI document's `paths`, read from its YAML layout.
enum OpenAPIPaths {
    static func parse(_ yaml: String) -> Set<String> {
        var result = Set<String>()
        var inPaths = false
        var current: String?
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("paths:") {
                inPaths = true
                continue
            }
            if inPaths, let first = line.first, first != " ", first != "#" { inPaths = false }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":"), !line.hasPrefix("   ") {
                current = String(line.dropFirst(2).dropLast())
            } else if let current, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                let method = line.trimmingCharacters(in: .whitespaces).dropLast().uppercased()
                if ["GET", "POST", "PUT", "PATCH", "DELETE"].contains(method) { result.insert("\(method) \(current)") }
            }
        }
        return result
    }
}

private func submitCode(_ client: some TestClientProtocol) async throws -> String { try await submit(client) }

private func submit(_ client: some TestClientProtocol) async throws -> String {
    let answer = try await client.send(
        .post, "/v1/dossiers",
        json: plainDossier(receivedAt: VietnamTime.rfc3339(Date().addingTimeInterval(-7200))))
    guard answer.status == 202, let code = answer.json["code"] as? String else {
        throw TestFailure("submission answered \(answer.status): \(String(decoding: answer.body, as: UTF8.self))")
    }
    return code
}

private func payment(_ code: String, amount: Int = 100_000, paidAt: String? = nil) -> [String: Any] {
    [
        "transactionId": "TX-\(UUID().uuidString)", "dossierCode": code, "amountVnd": amount, "status": "succeeded",
        "gateway": "national", "paidAt": paidAt ?? VietnamTime.rfc3339(Date().addingTimeInterval(-60)),
    ]
}
