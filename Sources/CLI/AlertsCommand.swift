import AMQPDriver
import ArgumentParser
import Domain
import Foundation
import Logging

struct AlertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts", abstract: "Alerts on motcua.alerts.", subcommands: [Tail.self])

    struct Tail: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print alerts as they come, one CloudEvent (JSON) per line, until interrupted.")

        @Option(help: "Routing-key pattern, e.g. 'payment.mismatch.#' or 'deadline.*.000.00.19.H56'.")
        var key: String = "#"

        func run() async throws {
            try await reporting {
                var logger = Logger(label: "motcua.cli")
                logger.logLevel = .critical
                // A private queue, gone when this command stops: a downstream consumer like any other.
                let consumer = QueueConsumer(
                    endpoint: try CLIContext.settings().amqp,
                    queue: "motcua.tail.\(UUID().uuidString.prefix(8).lowercased())",
                    prefetch: 100, subscription: (Topology.alerts, key), logger: logger)
                for await batch in consumer.deliveries {
                    for delivery in batch {
                        // Unbuffered, so a pipe (| jq, | tee) sees each alert as it comes.
                        FileHandle.standardOutput.write(delivery.body + Data("\n".utf8))
                        consumer.ack(delivery)
                    }
                }
            }
        }
    }
}
