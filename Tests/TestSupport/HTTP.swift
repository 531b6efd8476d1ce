import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A minimal HTTP client for the tests, speaking to intake as any client would.
public enum HTTP {
    public struct Answer: Sendable {
        public let status: Int
        public let headers: [String: String]
        public let body: Data

        public var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
        /// The `field`s of a problem's `errors`.
        public var errorFields: [String] {
            (json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
        }
    }

    public static func send(
        _ method: String, _ url: String, token: String? = nil, body: Data? = nil,
        headers extra: [String: String] = [:]
    ) async throws -> Answer {
        var request = URLRequest(url: URL(string: url)!, timeoutInterval: 30)
        request.httpMethod = method
        for (name, value) in extra { request.setValue(value, forHTTPHeaderField: name) }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields { headers["\(key)".lowercased()] = "\(value)" }
        return Answer(status: http.statusCode, headers: headers, body: data)
    }

    public static func json(_ object: Any) -> Data { try! JSONSerialization.data(withJSONObject: object) }
}

/// A dossier body as CONTRACT.md shows it, with changes.
public func dossierBody(_ changes: [String: Any] = [:]) -> [String: Any] {
    var body: [String: Any] = [
        "procedureCode": "1.001193", "unitCode": "000.00.19.H56", "channel": "online", "onlineLevel": "full",
        "applicant": [
            "personalId": "051095001234", "fullName": "Nguyễn Văn A", "phone": "0905000000",
            "email": "a@example.vn", "birthYear": 1995, "sex": "male",
        ],
        "components": [
            [
                "name": "Tờ khai", "digitized": true, "sha256": String(repeating: "ab", count: 32),
                "bytes": 120000, "mediaType": "application/pdf", "signed": true, "reused": false,
            ]
        ],
        "linkedGroup": ["group": "birth", "steps": ["permanent_residence", "health_insurance_card"]],
    ]
    for (key, value) in changes { if value is NSNull { body.removeValue(forKey: key) } else { body[key] = value } }
    return body
}

/// A direct-channel dossier received `receivedAt`, for lifecycle tests (household business registration:
/// 3 working days, fee 100 000 VND, paper result).
public func plainDossier(receivedAt: String, key: String = UUID().uuidString) -> [String: Any] {
    dossierBody([
        "procedureCode": "2.000575", "channel": "direct", "onlineLevel": NSNull(), "linkedGroup": NSNull(),
        "receivedAt": receivedAt, "idempotencyKey": key,
        "components": [["name": "Giấy đề nghị", "digitized": false]],
    ])
}

extension IntakeUnderTest {
    /// Submits a dossier and returns its code.
    public func submit(_ body: [String: Any], token: String = "all-token") async throws -> String {
        let answer = try await HTTP.send("POST", base + "/v1/dossiers", token: token, body: HTTP.json(body))
        guard answer.status == 202, let code = answer.json["code"] as? String else {
            throw TestFailure("submission answered \(answer.status)")
        }
        return code
    }

    /// Posts an action; returns the HTTP status.
    @discardableResult
    public func act(_ code: String, _ action: [String: Any]) async throws -> HTTP.Answer {
        try await HTTP.send("POST", base + "/v1/dossiers/\(code)/actions", token: "all-token", body: HTTP.json(action))
    }

    public func read(_ code: String) async throws -> [String: Any] {
        try await HTTP.send("GET", base + "/v1/dossiers/\(code)", token: "all-token").json
    }

    /// Waits until the read model shows `count` journal entries, then returns the dossier.
    public func settled(_ code: String, entries count: Int) async throws -> [String: Any] {
        var view: [String: Any] = [:]
        try await eventually("\(code) shows \(count) journal entries") {
            view = try await read(code)
            return (view["history"] as? [Any])?.count == count
        }
        return view
    }
}
