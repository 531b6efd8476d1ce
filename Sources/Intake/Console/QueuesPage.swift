import AMQPDriver
import Domain
import Foundation
import Hummingbird
import Runtime

/// Hàng đợi: each work queue's figures (refreshed every few seconds), its dead letters with their
/// reason, and the button that replays them. Dead letters can be about any unit, so only a token of
/// the whole system sees and replays them; unit tokens see the figures.
struct QueuesPage: Sendable {
    let settings: Settings
    let publisher: any EventPublishing
    static let refreshSeconds = 5

    func show(session: ConsoleRoutes.Session, templates: ConsoleTemplates, request: Request) async throws -> Response {
        var context = session.context("Hàng đợi", nav: "navQueues")
        let (rows, note): ([QueueRow], String?)
        do {
            (rows, note) = try await QueueFigures.collect(settings: settings)
        } catch {
            (rows, note) = ([], "RabbitMQ không trả lời")
        }
        func cell(_ value: Int?) -> String { value.map(ConsoleFormat.number) ?? "—" }
        func rate(_ value: Double?) -> String { value.map { String(format: "%.1f", $0) } ?? "—" }
        context["queues"] = rows.map { row -> [String: Any] in
            [
                "name": row.name, "ready": cell(row.ready), "unacked": cell(row.unacked),
                "consumers": cell(row.consumers),
                "publishRate": rate(row.publishRate), "deliverRate": rate(row.deliverRate),
                "oldest": row.oldestReadyAgeSeconds.map { String(Int($0)) } ?? "—",
                "deadLetters": cell(row.deadLetters),
                "leader": row.leader ?? "—", "online": QueueFigures.replicas(row) ?? "—",
                "noMajority": row.majority == false,
            ]
        }
        context["refresh"] = String(Self.refreshSeconds)
        context["updatedAt"] = ConsoleFormat.dateTime(Date())
        if let note {
            context["note"] =
                note == QueueFigures.amqpOnlyNote
                ? "không có API quản trị RabbitMQ: chỉ hiện số tin chờ, tiến trình nhận và thư lỗi" : note
        }
        if session.token.isGlobal {
            context["canReplay"] = true
            var dead: [[String: Any]] = []
            for row in rows where (row.deadLetters ?? 0) > 0 {
                guard let queue = Topology.workQueue(named: row.name) else { continue }
                let letters = (try? await DeadLetters(endpoint: settings.amqp, queue: queue).list(limit: 50)) ?? []
                dead.append([
                    "name": row.name, "count": ConsoleFormat.number(row.deadLetters ?? letters.count),
                    "canReplay": true, "csrf": session.csrf,
                    "letters": letters.map { letter -> [String: Any] in
                        [
                            "messageId": letter.messageId ?? "—", "routingKey": letter.routingKey,
                            "reason": ConsoleFormat.deadLetterReason(letter.error),
                        ]
                    },
                ])
            }
            context["deadQueues"] = dead
        }
        let query = request.uri.queryParameters
        if let replayed = query["replayed"].flatMap({ Int(String($0)) }), let queue = query["queue"] {
            context["flash"] = "Đã gửi lại \(ConsoleFormat.number(replayed)) thư lỗi của \(queue)."
        }
        return templates.page("queues", context)
    }

    func replay(_ name: String, session: ConsoleRoutes.Session, templates: ConsoleTemplates) async throws -> Response {
        guard let queue = Topology.workQueue(named: name) else {
            return templates.message(
                session, heading: "Không có hàng đợi này", "Không có hàng đợi \(name).", status: .notFound)
        }
        guard session.token.isGlobal else {
            return templates.message(
                session, heading: "Không được phép",
                "Chỉ tài khoản toàn hệ thống được gửi lại thư lỗi.", status: .forbidden)
        }
        let count = try await DeadLetters(endpoint: settings.amqp, queue: queue).replay(
            limit: 1000, publisher: publisher)
        return redirect("/console/queues?replayed=\(count)&queue=\(queue.name)")
    }
}
