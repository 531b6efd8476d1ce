import ArgumentParser
import Foundation
import Hummingbird
import Logging

/// `motcua-sms-sim`: an SMS gateway's stand-in for tests and demonstrations (docs/notifier.md). It takes
/// `POST /messages` with `{to, text, reference}` as the notifier sends them, accepts each `reference`
/// once (a repeat answers 200 `duplicate` and is counted, not sent), and injects faults on request.
/// `GET /received` tells what it accepted; `POST /faults` and `POST /reset` steer it.
@main
struct SMSGatewaySimulator: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "motcua-sms-sim", abstract: "A simulated SMS gateway with fault injection.")

    @Option(name: .long, help: "The port to listen on (loopback).")
    var port: Int = 9590

    @Option(name: .long, help: "How long a `timeout` fault holds a request before answering 504.")
    var hangSeconds: Double = 30

    func run() async throws {
        var logger = Logger(label: "motcua.sms-sim")
        logger.logLevel = .warning
        let state = SMSGatewayState()
        let router = Router()
        let hang = hangSeconds
        router.post("messages") { request, context -> Response in
            struct Incoming: Decodable {
                let to: String
                let text: String
                let reference: String
            }
            guard let message = try? await request.decode(as: Incoming.self, context: context),
                !message.to.isEmpty, !message.text.isEmpty, !message.reference.isEmpty
            else {
                return Self.answer(.badRequest, ["status": "invalid", "error": "to, text and reference are required"])
            }
            let delay = await state.delay
            if delay > 0 { try await Task.sleep(for: .seconds(delay)) }
            switch await state.receive(to: message.to, text: message.text, reference: message.reference) {
            case .accepted(let duplicate):
                return Self.answer(
                    duplicate ? .ok : .accepted,
                    ["status": duplicate ? "duplicate" : "accepted", "reference": message.reference])
            case .serverError:
                return Self.answer(.serviceUnavailable, ["status": "unavailable", "error": "injected failure"])
            case .refused:
                return Self.answer(
                    .unprocessableContent, ["status": "refused", "error": "number not reachable (injected)"])
            case .hang:
                try await Task.sleep(for: .seconds(hang))
                return Self.answer(.gatewayTimeout, ["status": "timeout"])
            case .acceptedButLost:
                return Self.answer(.serviceUnavailable, ["status": "unavailable", "error": "answer lost (injected)"])
            }
        }
        router.get("received") { _, _ -> Response in
            struct Received: Encodable {
                let accepted: Int
                let duplicates: Int
                let requests: Int
                let messages: [SMSGatewayState.Message]
            }
            let received = Received(
                accepted: await state.messages.count, duplicates: await state.duplicates,
                requests: await state.requests, messages: await state.messages)
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(received))))
        }
        router.post("faults") { request, context -> Response in
            let faults = try await request.decode(as: SMSGatewayState.Faults.self, context: context)
            await state.configure(faults)
            return Self.answer(.ok, ["status": "configured"])
        }
        router.post("reset") { _, _ -> Response in
            await state.reset()
            return Self.answer(.ok, ["status": "reset"])
        }
        router.get("healthz") { _, _ in "ok" }
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "motcua-sms-sim"),
            logger: logger)
        try await app.runService()
    }

    static func answer(_ status: HTTPResponse.Status, _ fields: [String: String]) -> Response {
        let body = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data()
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
