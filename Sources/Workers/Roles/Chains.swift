import AMQPDriver
import Domain
import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Store

/// The chains role, part one: partners' answers (`linked.step_result`, queue `motcua.chains`), each with
/// its inbox row, moving its step in the batch's transaction (`LinkedSaga` decides; `LinkedWork` turns
/// the transitions into rows, commands, alerts and journal entries). An answer for no group, or whose
/// `requestId` is not the attempt in flight, changes nothing.
struct Chains: BatchRole {
    let policy: LinkedPolicy
    let catalog: @Sendable () -> CatalogSnapshot
    var clock: @Sendable () -> Date = { Date() }
    var newRequestId: @Sendable () -> String = { UUID().uuidString.lowercased() }
    var random: @Sendable () -> Double = { Double.random(in: 0...1) }

    struct Loaded: Sendable {
        var groups: [String: LinkedGroup]
        var dossiers: [String: LinkedDossier]
    }

    func decode(_ delivery: Delivery) throws -> Decoded<LinkedStepResult> {
        guard delivery.routingKey == "linked.step_result" else {
            throw PoisonMessage("routing key \(delivery.routingKey) is not handled by the chains role")
        }
        let event = try JSONCoding.decode(CloudEvent<LinkedStepResult>.self, from: delivery.body)
        return Decoded(event, dossierCode: event.data.dossierCode, payload: event.data)
    }

    /// An answer about no known group changes nothing; it never waits.
    func waitsForDossier(_ payload: LinkedStepResult) -> Bool { false }

    func load(_ messages: [Message<LinkedStepResult>], dossiers: KnownDossiers, on connection: PostgresConnection)
        throws -> Loaded
    {
        let (groups, found) = try LinkedStore.load(messages.map(\.dossierCode), catalog: catalog(), on: connection)
        return Loaded(groups: groups, dossiers: found)
    }

    func decide(_ messages: [Message<LinkedStepResult>], dossiers: KnownDossiers, loaded: Loaded) throws -> Decision {
        var work = LinkedWork(
            policy: policy, environment: environment(), groups: loaded.groups,
            dossiers: loaded.dossiers)
        var decision = Decision()
        for message in messages {
            let answer = message.payload
            let transition = try work.apply(
                .answer(answer), to: message.dossierCode, source: message.event.source,
                eventId: message.event.id, actor: LinkedGroupKind.agency(of: answer.step))
            if transition == nil || transition?.ignored != nil { decision.unchanged.insert(message.index) }
        }
        decision.effects.add(work.effects)
        return decision
    }

    func environment() -> LinkedEnvironment {
        LinkedEnvironment(now: clock(), newRequestId: newRequestId, random: random)
    }
}

extension Effects {
    mutating func add(_ linked: LinkedEffects) {
        self.linked += Array(linked.changes.values)
        journal += linked.journal
        closures += linked.closures
        outbox += linked.outbox
        project.formUnion(linked.project)
    }
}

/// The chains role, part two: the steps' durable timers (`linked_timers`). Any number of chains workers
/// run side by side: each claims up to `batchSize` due timers with `FOR UPDATE SKIP LOCKED` and deletes
/// them in the same transaction that applies them (a due send: the attempt's command goes to the outbox;
/// a due timeout: the attempt failed, so a retry after the backoff, or the step is stuck and alerted).
/// A worker that dies holding claims loses its connection, its transaction rolls back, and the next
/// worker fires those timers: none is lost, none fires twice. One that stops holding them loses them
/// after the lease (`ClaimLease`).
struct ChainTimers: Service {
    let database: PostgresClient
    let catalog: CatalogCache
    let policy: LinkedPolicy
    let leadWorkingDays: Int
    /// How long a worker that stops holding claims keeps them.
    let lease: ClaimLease
    let logger: Logger
    var batchSize = 500
    /// How long an idle worker waits before looking again.
    var poll: Duration = .milliseconds(250)

    func run() async throws {
        await PollingLoop.run(
            batchSize: batchSize, counter: Counter(label: "motcua_linked_timers_fired_total"),
            logger: logger, failure: "linked timers not fired",
            wait: { await PollingLoop.sleep(poll) }, batch: { try await fireDue() })
        logger.info("stopped", metadata: ["role": "chains-timers"])
    }

    /// Fires one batch of due timers; returns how many it took.
    func fireDue(now: Date = Date()) async throws -> Int {
        let catalog = self.catalog.current
        let (limit, lead, policy, lease) = (batchSize, leadWorkingDays, self.policy, lease)
        return try await database.withTransaction { connection in
            try lease.take(on: connection)
            let due = try LinkedStore.claimDue(now: now, limit: limit, maxInFlight: policy.maxInFlight, on: connection)
            guard !due.isEmpty else { return 0 }
            let (groups, dossiers) = try LinkedStore.load(due.map(\.dossierCode), catalog: catalog, on: connection)
            var work = LinkedWork(
                policy: policy, environment: LinkedEnvironment(now: now), groups: groups,
                dossiers: dossiers)
            for timer in due {
                try work.apply(
                    .timer(step: timer.step, requestId: timer.requestId, kind: timer.kind),
                    to: timer.dossierCode, eventId: "\(timer.kind.rawValue):\(timer.requestId)")
            }
            try EffectWriter.write(
                Effects(work.effects), catalog: catalog, leadWorkingDays: lead,
                partnerTimeoutSeconds: policy.timeoutSeconds, on: connection)
            return due.count
        }
    }
}
