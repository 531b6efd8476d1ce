import Foundation
import Logging
import ServiceLifecycle
import Store

/// Republishes, once, every event whose publish was left uncertain a minute ago and that no client
/// retry has confirmed since: the broker then surely holds it, and the workers drop it if the first
/// attempt had arrived (a receipt by its dossier's row, the rest by the inbox). Any number of intakes may run it; a double republish is harmless.
struct UncertainRepair: Service {
    let store: UncertainPublishes
    let intake: DossierIntake
    let logger: Logger
    /// How long a client has to retry before intake repairs the publish itself.
    var graceSeconds = 60

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            _ = try? await repairDue(olderThan: graceSeconds)
            _ = try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(10)) }
        }
    }

    /// Republishes what is due; returns how many were confirmed.
    func repairDue(olderThan age: Int) async throws -> Int {
        var repaired = 0
        for pending in try await store.due(olderThan: age) {
            do {
                try await intake.publish(pending.event, routingKey: pending.routingKey)
                try await store.markRepublished(pending.origin)
                repaired += 1
            } catch {
                logger.warning("uncertain publish not repaired yet", metadata: ["error": "\(error)"])
                break  // the broker is still away: the next round tries again
            }
        }
        if repaired > 0 { logger.info("republished uncertain events", metadata: ["count": "\(repaired)"]) }
        return repaired
    }
}
