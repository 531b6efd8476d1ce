import Domain
import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Store

/// Part of the deadlines role: when `motcua catalog load` brings a year's holiday decision (the catalog
/// cache hears its NOTIFY), counts again the provisional due moments of open dossiers that crossed that year
/// (`DueRecomputations`), batch by batch, each in one transaction with its journal entries. It also looks
/// every `quiet` without a change, for a dossier recorded with years decided meanwhile. Any number run
/// side by side: the dossiers' locks serialise them, and a dossier done is not picked again.
struct DueRecomputer: Service {
    let database: PostgresClient
    let catalog: CatalogCache
    let leadWorkingDays: Int
    let lease: ClaimLease
    let logger: Logger
    var batchSize = 500
    /// How often the catalog's decided years are compared with those of the last pass (in memory).
    var poll: Duration = .milliseconds(500)
    /// How long the same decided years go without a pass.
    var quiet: Duration = .seconds(10)

    func run() async throws {
        var done: Set<Int>? = nil
        var last = ContinuousClock.now
        await PollingLoop.run(
            batchSize: batchSize, counter: Counter(label: "motcua_provisional_dossiers_rechecked_total"),
            logger: logger, failure: "provisional due moments not recomputed",
            wait: { await PollingLoop.sleep(poll) },
            batch: {
                let snapshot = catalog.current
                let decided = snapshot.calendar.decidedYears
                guard decided != done || last.duration(to: .now) >= quiet else { return 0 }
                let (limit, lead, lease) = (batchSize, leadWorkingDays, lease)
                let count = try await database.withTransaction { connection in
                    try DueRecomputations.recompute(
                        catalog: snapshot, leadWorkingDays: lead, limit: limit, lease: lease, on: connection)
                }
                if count < limit { (done, last) = (decided, .now) }
                return count
            })
    }
}
