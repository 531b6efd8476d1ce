import Domain
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The SMS channel: one POST of `{to, text, reference}` per message to `MOTCUA_SMS_GATEWAY_URL`. The
/// gateway deduplicates on `reference`, so a message sent again after a crash is delivered once.
struct SMSGateway: Sendable {
    let url: URL
    let timeout: Double

    struct Message: Encodable {
        let to: String
        let text: String
        let reference: String
    }

    func send(to phone: String, text: String, reference: String) async -> SendOutcome {
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(reference, forHTTPHeaderField: "Idempotency-Key")
        do {
            request.httpBody = try JSONEncoder().encode(Message(to: phone, text: text, reference: reference))
            let (data, response) = try await URLSession.shared.data(for: request)
            guard let http = response as? HTTPURLResponse else { return .transient("no HTTP answer") }
            return .http(status: http.statusCode, body: String(decoding: data.prefix(300), as: UTF8.self))
        } catch let error as URLError {
            // A timeout, a refused connection, a reset: the gateway may come back.
            return .transient("gateway unreachable: URLError \(error.code.rawValue)")
        } catch {
            return .transient("gateway unreachable: \(type(of: error))")
        }
    }
}
