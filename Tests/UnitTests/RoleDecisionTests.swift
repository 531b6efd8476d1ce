import Foundation
import Testing

@testable import AMQPDriver
@testable import Domain
@testable import Store
@testable import Workers

/// The roles as pure decisions over a batch, run through the same `BatchPlan` the workers run, with
/// dictionaries for the inbox and the dossiers instead of PostgreSQL.
@Suite struct RoleDecisionTests {
    static let unit = "000.00.19.H56"
    static let code = "000.00.19.H56-261120-0001"
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    static func delivery<Data: Codable & Sendable>(
        _ routingKey: String, id: String, subject: String, _ data: Data,
        time: Date = t0, deliveryCount: Int = 0
    ) -> Delivery {
        let event = CloudEvent(
            id: id, source: EventSource.intake, routingKey: routingKey, time: time, subject: subject,
            data: data)
        return .unconnected(routingKey: routingKey, body: try! JSONCoding.encode(event), deliveryCount: deliveryCount)
    }

    static func received(_ code: String, id: String) -> Delivery {
        let dossier = DossierReceived(
            code: code, procedureCode: "1.004222", unitCode: unit, channel: .online,
            onlineLevel: .full, applicant: Applicant(personalId: "051095001234", fullName: "A"),
            components: [], receivedAt: t0, dueAt: t0.addingTimeInterval(300_000),
            idempotencyKey: nil, linkedGroup: nil)
        return delivery(RoutingKey.dossierReceived, id: id, subject: code, dossier)
    }

    static func action(_ code: String, id: String, _ type: ActionType, at: Date) -> Delivery {
        delivery(
            "dossier.action.\(type.rawValue)", id: id, subject: code,
            DossierActionEvent(code: code, action: DossierAction(type: type, at: at, by: "cb01")))
    }

    static func payment(_ code: String, id: String, transaction: String, amount: Int, time: Date = t0) -> Delivery {
        delivery(
            "payment.succeeded", id: id, subject: code,
            PaymentNotice(
                transactionId: transaction, dossierCode: code, amountVnd: amount, status: .succeeded,
                gateway: .national, paidAt: t0), time: time)
    }

    /// Runs `role` over `batch` as the workers do; `applied` is the inbox before the batch.
    static func run<Role: BatchRole>(
        _ role: Role, _ batch: [Delivery], known: KnownDossiers,
        applied: Set<MessageKey> = [], loaded: Role.Loaded, now: Date = t0
    )
        throws -> BatchPlan<Role>.Outcome
    {
        var locked: [String] = []
        let outcome = try BatchPlan(role: role, orphanWait: 600).run(
            batch, now: now,
            steps: .init(
                lock: { locked = $0 },
                dossiers: { codes in known.filter { codes.contains($0.key) } },
                claim: { keys in Set(keys).subtracting(applied) },
                load: { _, _ in loaded }))
        #expect(locked == locked.sorted(), "dossiers are locked in one order")
        return outcome
    }

    static let issued = KnownDossier(unitCode: unit, procedureCode: "1.004222", recorded: false)
    static let recorded = KnownDossier(unitCode: unit, procedureCode: "1.004222", recorded: true)

    @Test func recorderDropsRepeatsInsideTheBatchAndAcrossBatches() throws {
        let other = "000.00.19.H56-261120-0002"
        let batch = [
            Self.received(Self.code, id: "a"), Self.received(Self.code, id: "a"),
            Self.received(other, id: "b"), Self.received(Self.code, id: "c"),
        ]
        let outcome = try Self.run(
            Recorder(), batch, known: [Self.code: Self.issued, other: Self.recorded], loaded: ())
        // a: new; a again: the same message; b: recorded in an earlier batch; c: the same dossier, another id.
        #expect(outcome.dispositions == [.applied, .duplicate, .duplicate, .duplicate])
        #expect(outcome.effects.received.map(\.dossier.code) == [Self.code])
        #expect(outcome.effects.journal.isEmpty)
    }

    /// A receipt is found again by its dossier's row, so it takes no inbox row; an action takes one.
    @Test func theRecorderClaimsTheInboxForActionsOnly() throws {
        var claimed: [MessageKey] = []
        let batch = [Self.received(Self.code, id: "a"), Self.action(Self.code, id: "x", .transfer, at: Self.t0)]
        let outcome = try BatchPlan(role: Recorder(), orphanWait: 600).run(
            batch, now: Self.t0,
            steps: .init(
                lock: { _ in }, dossiers: { _ in [:] },
                claim: { keys in
                    claimed += keys
                    return Set(keys)
                }, load: { _, _ in () }))
        #expect(claimed.map(\.id) == ["x"])
        #expect(outcome.dispositions == [.applied, .applied])
    }

    @Test func anActionBeforeItsDossierIsJournalledWhenIntakeIssuedIt() throws {
        let batch = [Self.action(Self.code, id: "x", .transfer, at: Self.t0.addingTimeInterval(60))]
        let outcome = try Self.run(Recorder(), batch, known: [Self.code: Self.issued], loaded: ())
        #expect(outcome.dispositions == [.applied])
        #expect(outcome.effects.journal.map(\.type) == ["transfer"])
        #expect(outcome.effects.project == [Self.code])
    }

    @Test func anActionAfterItsDossierInTheSameBatchNeedNotWait() throws {
        let batch = [Self.received(Self.code, id: "a"), Self.action(Self.code, id: "x", .transfer, at: Self.t0)]
        let outcome = try Self.run(Recorder(), batch, known: [:], loaded: ())
        #expect(outcome.dispositions == [.applied, .applied])
        #expect(outcome.effects.received.count == 1 && outcome.effects.journal.map(\.type) == ["transfer"])
    }

    @Test func anActionForAnUnknownDossierWaitsThenIsPoison() throws {
        let early = [Self.action(Self.code, id: "x", .transfer, at: Self.t0)]
        let waiting = try Self.run(Recorder(), early, known: [:], loaded: (), now: Self.t0.addingTimeInterval(5))
        guard case .retryLater = waiting.dispositions[0] else {
            Issue.record("an orphan action did not wait: \(waiting.dispositions)")
            return
        }
        #expect(waiting.effects.isEmpty)
        let late = try Self.run(Recorder(), early, known: [:], loaded: (), now: Self.t0.addingTimeInterval(601))
        guard case .poison(let reason) = late.dispositions[0] else {
            Issue.record("an orphan past the wait was not poison: \(late.dispositions)")
            return
        }
        #expect(reason.contains("not recorded within 600 s"))
    }

    @Test func twoActionsOutOfOrderEndInTheStateTheirTimesDescribe() throws {
        // Resolve (later) arrives before transfer (earlier): both are journalled in arrival order...
        let batch = [
            Self.action(Self.code, id: "r", .resolve, at: Self.t0.addingTimeInterval(7200)),
            Self.action(Self.code, id: "t", .transfer, at: Self.t0.addingTimeInterval(3600)),
        ]
        let outcome = try Self.run(Recorder(), batch, known: [Self.code: Self.recorded], loaded: ())
        #expect(outcome.dispositions == [.applied, .applied])
        #expect(outcome.effects.journal.map(\.type) == ["resolve", "transfer"])
        // ...and the projection replays them by `at`: transferred, then resolved, nothing refused.
        let initial = DossierState(
            code: Self.code, unitCode: Self.unit, receivedAt: Self.t0,
            dueAt: Self.t0.addingTimeInterval(300_000))
        var record = DossierRecord(
            initial: initial,
            steps: try outcome.effects.journal.map {
                .action(try JSONCoding.decode(DossierAction.self, from: $0.data))
            }, restart: { $0 })
        record.journal = outcome.effects.journal.indices.map { (id: String($0), refused: nil) }
        let plan = DossierProjection.plan(record)
        #expect(plan.state.status == .resolved)
        #expect(plan.state.timing == .early)
        #expect(plan.refusals.isEmpty)
    }

    @Test func aPoisonMessageIsRefusedAloneAndClaimsNothing() throws {
        var claimed: [MessageKey] = []
        let batch = [
            Self.action(Self.code, id: "a", .transfer, at: Self.t0),
            Delivery.unconnected(routingKey: RoutingKey.dossierReceived, body: Data("not json".utf8)),
            Self.delivery("dossier.unknown", id: "u", subject: Self.code, ["x": 1]),
        ]
        let outcome = try BatchPlan(role: Recorder(), orphanWait: 600).run(
            batch,
            steps: .init(
                lock: { _ in }, dossiers: { _ in [Self.code: Self.issued] },
                claim: {
                    claimed = $0
                    return Set($0)
                }, load: { _, _ in () }))
        #expect(outcome.dispositions[0] == .applied)
        guard case .poison(let unreadable) = outcome.dispositions[1],
            case .poison(let unrouted) = outcome.dispositions[2]
        else {
            Issue.record("poison not refused: \(outcome.dispositions)")
            return
        }
        #expect(unreadable.contains("not a CloudEvent"))
        #expect(unrouted.contains("dossier.unknown"))
        // Only the good message is in the inbox: a poison message replayed after a fix is not a duplicate.
        #expect(claimed.map(\.id) == ["a"])
    }

    static func paymentsLoaded(recorded: Set<PaymentLedger.Key> = []) throws -> Payments.Loaded {
        Payments.Loaded(
            recorded: recorded,
            catalog: CatalogSnapshot(try Catalog.parse(DefaultCatalog.data())))
    }

    @Test func anOrphanPaymentWaitsAndAWrongAmountIsFlaggedAndAnnounced() throws {
        let snapshot = try Self.paymentsLoaded().catalog
        let catalog: @Sendable () -> CatalogSnapshot = { snapshot }
        let orphan = try Self.run(
            Payments(catalog: catalog),
            [
                Self.payment(
                    "000.00.19.H56-261120-0099", id: "p0",
                    transaction: "T0", amount: 20_000)
            ],
            known: [:], loaded: try Self.paymentsLoaded())
        guard case .retryLater = orphan.dispositions[0] else {
            Issue.record("an orphan payment did not wait: \(orphan.dispositions)")
            return
        }
        let batch = [
            Self.payment(Self.code, id: "p1", transaction: "T1", amount: 20_000),
            Self.payment(Self.code, id: "p2", transaction: "T2", amount: 15_000),
            Self.payment(Self.code, id: "p3", transaction: "T1", amount: 20_000),  // T1 under another id
            Self.payment(Self.code, id: "p4", transaction: "T9", amount: 20_000),
        ]
        let before: Set = [PaymentLedger.Key(unitCode: Self.unit, transactionId: "T9", status: .succeeded)]
        let outcome = try Self.run(
            Payments(catalog: catalog), batch, known: [Self.code: Self.recorded],
            loaded: try Self.paymentsLoaded(recorded: before))
        #expect(outcome.dispositions == [.applied, .applied, .duplicate, .duplicate])
        #expect(outcome.effects.payments.map(\.notice.transactionId) == ["T1", "T2"])
        #expect(outcome.effects.payments.map(\.mismatch) == [false, true])
        #expect(outcome.effects.payments.map(\.expectedFeeVnd) == [20_000, 20_000])
        #expect(outcome.effects.journal.map(\.type) == ["payment_succeeded", "payment_succeeded"])
        #expect(outcome.effects.outbox.map(\.routingKey) == ["payment.mismatch.\(Self.unit)"])
        let alert = try JSONCoding.decode(CloudEvent<PaymentMismatch>.self, from: outcome.effects.outbox[0].body)
        #expect(alert.data.amountVnd == 15_000 && alert.data.expectedVnd == 20_000 && alert.subject == Self.code)
    }

    @Test func digitizationReplacesOnceAndIgnoresTheSameFile() throws {
        func record(_ sha: String) -> DigitizationRecord {
            DigitizationRecord(
                dossierCode: Self.code, target: .component, name: "Tờ khai", sha256: sha, bytes: 10,
                mediaType: "application/pdf", signed: true, reused: false)
        }
        let first = record(String(repeating: "a", count: 64))
        let second = record(String(repeating: "b", count: 64))
        let batch = [
            Self.delivery("dossier.digitized", id: "d1", subject: Self.code, first),
            Self.delivery("dossier.digitized", id: "d2", subject: Self.code, second),
            Self.delivery("dossier.digitized", id: "d3", subject: Self.code, second),
        ]
        let outcome = try Self.run(Digitization(), batch, known: [Self.code: Self.recorded], loaded: DigitizedFiles())
        #expect(outcome.dispositions == [.applied, .applied, .duplicate])
        #expect(outcome.effects.journal.map(\.type) == ["digitized", "digitization_replaced"])
        #expect(outcome.effects.files == [second], "one row per file: the last one")
    }
}
