import Domain
import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Store

/// The deadlines role: fires due timers (`deadline_timers`). Any number of deadline workers run side
/// by side: each claims up to `batchSize` due timers with `FOR UPDATE SKIP LOCKED` and fires them in
/// the same transaction that marks them fired, writes their alerts to the outbox and their automatic
/// letters to the journal. The claim is the transaction's row lock: a worker that dies holding it
/// loses its connection, the transaction rolls back, and the next worker fires those timers; one that
/// stops holding it loses its session after the lease (`ClaimLease`), with the same result.
struct Deadlines: Service {
    let database: PostgresClient
    let catalog: CatalogCache
    let leadWorkingDays: Int
    /// How long a worker that stops holding claims keeps them.
    let lease: ClaimLease
    /// Wakes the worker when a timer is written already due.
    let wakeups: PostgresListener
    let logger: Logger
    var batchSize = 500
    /// How long an idle worker waits before looking again, unless woken: a timer that comes due while
    /// nothing is written fires within this of its moment; one written already due fires at once.
    var poll: Duration = .milliseconds(500)

    /// How long a handover pass that found nothing stands for the same endings (a dossier recorded or
    /// transferred to an ended unit later is handed over within it).
    static let handoverQuiet: Duration = .seconds(10)

    func run() async throws {
        var idle: (endings: [UnitHandover.Ending], since: ContinuousClock.Instant)? = nil
        await PollingLoop.run(
            batchSize: batchSize, counter: Counter(label: "motcua_deadline_timers_fired_total"),
            logger: logger, failure: "deadline timers not fired",
            wait: { await wakeups.wait(upTo: poll) },
            batch: {
                let fired = try await fireDue()
                // A pass that found nothing to hand over is not repeated for the same endings within
                // `handoverQuiet`: a new resolution changes them and is handled at once.
                let endings = UnitHandover.endings(catalog: catalog.current, now: Date())
                if let idle, idle.endings == endings, idle.since.duration(to: .now) < Self.handoverQuiet {
                    return fired
                }
                let handed = try await handOver(endings)
                idle = handed == 0 ? (endings, .now) : nil
                return fired + handed
            })
        await wakeups.close()
    }

    /// Fires one batch of due timers; returns how many it took.
    func fireDue(now: Date = Date()) async throws -> Int {
        let catalog = self.catalog.current
        let (limit, lead, lease) = (batchSize, leadWorkingDays, lease)
        return try await database.withTransaction { connection in
            try lease.take(on: connection)
            let due = try DueTimers.claim(now: now, limit: limit, on: connection)
            guard !due.isEmpty else { return 0 }
            let codes = Array(Set(due.map(\.code))).sorted()
            // The whole record of each dossier, actions intake accepted but no recorder wrote yet
            // included: intake admits none meanwhile, and a letter never goes out over a dossier an
            // accepted action closed or paused before its due moment.
            try DossierLocks.lockAdmission(codes, on: connection)
            let decision = try DeadlineFiring.decide(
                due,
                dossiers: try DueTimers.dossiers(
                    codes, catalog: catalog,
                    on: connection),
                catalog: catalog, now: now)
            try DueTimers.markFired(due, on: connection)
            try EffectWriter.write(
                Effects(journal: decision.letters, outbox: decision.alerts, project: decision.project),
                catalog: catalog, leadWorkingDays: lead, on: connection)
            return due.count
        }
    }

    /// Hands one batch of open dossiers of units ended by a merger to their successors (`UnitHandover`);
    /// returns how many. Nothing to do costs one index probe per ended unit.
    func handOver(_ endings: [UnitHandover.Ending]) async throws -> Int {
        let catalog = self.catalog.current
        guard !endings.isEmpty else { return 0 }
        let (limit, lead, lease) = (batchSize, leadWorkingDays, lease)
        let byUnit = Dictionary(endings.map { ($0.unit, $0) }, uniquingKeysWith: { first, _ in first })
        return try await database.withTransaction { connection in
            try lease.take(on: connection)
            let held = try UnitHandovers.claim(endings, limit: limit, on: connection)
            guard !held.isEmpty else { return 0 }
            let codes = held.map(\.code).sorted()
            try DossierLocks.lockAdmission(codes, on: connection)
            let records = try DossierRecords.load(codes, catalog: catalog, on: connection)
            let entries = try held.compactMap { dossier -> JournalEntry? in
                guard let ending = byUnit[dossier.unit] else { return nil }
                let handover = UnitHandover(
                    from: ending.unit, to: ending.successor,
                    at: UnitHandover.moment(ending, after: records[dossier.code]?.steps ?? []))
                return JournalEntry(
                    dossierCode: dossier.code, type: UnitHandover.journalType, at: handover.at,
                    actor: UnitHandover.actor, reason: handover.reason(catalog: catalog),
                    data: try JSONCoding.encodeString(handover), source: DeadlineFiring.source,
                    eventId: "handover.\(dossier.code).\(ending.successor).\(Int(handover.at.timeIntervalSince1970))")
            }
            try EffectWriter.write(
                Effects(journal: entries, project: Set(entries.map(\.dossierCode))),
                catalog: catalog, leadWorkingDays: lead, on: connection)
            return entries.count
        }
    }
}
