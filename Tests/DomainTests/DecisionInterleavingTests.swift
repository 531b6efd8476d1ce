import Fixtures
import Foundation
import Testing

@testable import Domain

/// The one decision path under every order: random dossiers with random officers' actions (supplement
/// requests and withdrawals among them), deadline firings, partner answers (done, error, rejected,
/// late, repeated), timers and operators' retries are fed to the roles' pure decisions — intake's
/// admission, the deadline worker's firing, the chain's saga and closing, the recorder's replay — in
/// many orders: every permutation of a short history, seeded random ones of a long one, each with
/// repeats (a retry after a crash, a redelivery). Each role decides over the dossier's whole record,
/// as the stores load it under the dossier's lock. After every step and at the end:
/// - the recorder's replay ends in the same state whatever order the facts are recorded in;
/// - an issued letter never disappears or changes;
/// - a dossier that read closed never reopens (the projection replays the same whole record, so the
///   read model shows what the record shows, whatever order the recorder writes facts in);
/// - a group's places are free once it ended, it ended once its dossier closed, and its end closed
///   its dossier;
/// - the report facts say what the state says.
/// `MOTCUA_INTERLEAVING_SEED` replays a run; `MOTCUA_INTERLEAVING_HISTORIES` sets its size.
@Suite struct DecisionInterleavingTests {
    static let catalog = LinkedFixtures.catalog
    static let code = "000.00.19.H56-260302-0001"
    static let unit = "000.00.19.H56"
    static let procedure = "1.001193"
    /// Monday 2 March 2026, 09:00 in Hà Nội.
    static let t0 = Date(timeIntervalSince1970: 1_772_416_800)
    static let restart = DueRestart.rule(
        procedure: procedure, unit: unit, channel: .online, receivedAt: Date(timeIntervalSince1970: 1_700_000_000),
        catalog: catalog)
    static let applicant = Applicant(personalId: "051095001234", fullName: "Nguyễn Văn A", phone: "0905000000")
    static let facts = DossierFacts(
        code: code, unitCode: unit, procedureCode: procedure, channel: .online,
        applicant: applicant)
    static let policy = LinkedPolicy(maxAttempts: 2, timeoutSeconds: 60, backoffSeconds: 10, maxBackoffSeconds: 40)

    @Test func everyOrderKeepsTheRecordOneStory() throws {
        let environment = ProcessInfo.processInfo.environment
        let seed = environment["MOTCUA_INTERLEAVING_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...UInt64.max)
        let histories = environment["MOTCUA_INTERLEAVING_HISTORIES"].flatMap(Int.init) ?? 10_000
        print(
            "DecisionInterleavingTests: seed \(seed), \(histories) histories "
                + "(MOTCUA_INTERLEAVING_SEED=\(seed) replays this run)")
        var random = SeededGenerator(seed: seed)
        var orders = 0
        for index in 0..<histories {
            let attempts = Self.history(&random)
            for order in Self.orders(of: attempts.count, &random) {
                orders += 1
                var world = World()
                for position in order {
                    try world.process(attempts[position], random: &random)
                    if let broken = world.broken {
                        Issue.record("history \(index), order \(order): \(broken) (seed \(seed))")
                        return
                    }
                }
                if let broken = world.finalCheck(&random) {
                    Issue.record("history \(index), order \(order): \(broken) (seed \(seed))")
                    return
                }
            }
        }
        #expect(orders >= histories)
    }

    // ---- histories ------------------------------------------------------------------------------------

    /// Something that happens to the dossier or its group.
    enum Attempt {
        case officer(DossierAction)
        /// The overdue timer fires (at whatever moment the worker gets to it).
        case deadline
        /// A partner answers the attempt in flight of step `step` (or an earlier one: `stale`).
        case partner(step: Int, outcome: LinkedStepResult.Outcome, stale: Bool, at: Date)
        case timer(step: Int, kind: LinkedTimerKind, at: Date)
        case retry(step: Int, at: Date)
    }

    /// A few moments, so that steps share their time often.
    static func moment(_ random: inout SeededGenerator) -> Date {
        t0.addingTimeInterval(Double(Int.random(in: 1...40, using: &random)) * 6 * 3600)
    }

    static func history(_ random: inout SeededGenerator) -> [Attempt] {
        let count = Int.random(in: 2...9, using: &random)
        return (0..<count).map { _ in
            let at = moment(&random)
            switch Int.random(in: 0..<10, using: &random) {
            case 0...3:
                let type = ActionType.allCases.randomElement(using: &random)!
                return .officer(
                    DossierAction(
                        type: type, at: at, by: "officer", reason: type == .transfer ? nil : "r",
                        toUnit: type == .transfer ? unit : nil,
                        newDueAt: type == .extend
                            ? at.addingTimeInterval(Double(Int.random(in: 1...8, using: &random)) * 86_400)
                            : nil))
            case 4: return .deadline
            case 5...7:
                let outcome: LinkedStepResult.Outcome = [.done, .done, .error, .rejected].randomElement(using: &random)!
                return .partner(
                    step: Int.random(in: 0...1, using: &random), outcome: outcome,
                    stale: Int.random(in: 0..<5, using: &random) == 0, at: at)
            case 8:
                return .timer(
                    step: Int.random(in: 0...1, using: &random), kind: Bool.random(using: &random) ? .send : .timeout,
                    at: at)
            default: return .retry(step: Int.random(in: 0...1, using: &random), at: at)
            }
        }
    }

    /// Every permutation of a short history; seeded random ones of a long one; each order may repeat
    /// an attempt (a client's retry after a crash, a redelivered answer, a timer claimed again).
    static func orders(of count: Int, _ random: inout SeededGenerator) -> [[Int]] {
        var orders =
            count <= 4 ? permutations(Array(0..<count)) : (0..<6).map { _ in Array(0..<count).shuffled(using: &random) }
        for index in orders.indices where Int.random(in: 0..<3, using: &random) == 0 {
            let repeated = orders[index].randomElement(using: &random)!
            orders[index].insert(repeated, at: Int.random(in: 0...orders[index].count, using: &random))
        }
        return orders
    }

    static func permutations(_ items: [Int]) -> [[Int]] {
        guard items.count > 1 else { return [items] }
        return items.indices.flatMap { index -> [[Int]] in
            var rest = items
            let first = rest.remove(at: index)
            return permutations(rest).map { [first] + $0 }
        }
    }

    // ---- the roles, as the workers and intake run them ---------------------------------------------

    struct World {
        var record: DossierRecord
        var group: LinkedGroup
        /// Facts the recorder has not written yet (the last ones): the read model lags by these.
        var lag = 0
        var letter: ApologyLetter?
        var closed = false
        var staleIds: [String] = []
        let ids = LinkedFixtures.Ids()
        var broken: String?

        init() {
            let initial = DossierState(
                code: DecisionInterleavingTests.code, unitCode: DecisionInterleavingTests.unit,
                receivedAt: DecisionInterleavingTests.t0,
                dueAt: DecisionInterleavingTests.restart(DecisionInterleavingTests.t0))
            record = DossierRecord(initial: initial, steps: [], restart: DecisionInterleavingTests.restart)
            group = LinkedSaga.open(
                LinkedGroupChoice(group: .birth, steps: ["permanent_residence"]),
                dossierCode: DecisionInterleavingTests.code, unitCode: DecisionInterleavingTests.unit,
                environment: LinkedEnvironment(
                    now: DecisionInterleavingTests.t0,
                    newRequestId: { "r0" }))
            // The first command goes out with the dossier.
            group =
                LinkedSaga.handle(
                    group, .timer(step: "birth_registration", requestId: "r0", kind: .send),
                    policy: DecisionInterleavingTests.policy,
                    environment: LinkedEnvironment(now: DecisionInterleavingTests.t0)
                ).group
        }

        mutating func process(_ attempt: Attempt, random: inout SeededGenerator) throws {
            switch attempt {
            case .officer(let action):
                // Intake: the admission over the whole record, then the fact.
                if case .success = DossierAdmission.check(action, record: record) {
                    record.steps.append(.action(action))
                    record.unrecorded += 1
                }
            case .deadline:
                try fireDeadline()
            case .partner(let index, let outcome, let stale, let at):
                let step = group.steps[index]
                let requestId = stale ? (staleIds.last ?? "unknown") : (step.requestId ?? "none")
                try chain(
                    .answer(
                        LinkedStepResult(
                            requestId: requestId, dossierCode: DecisionInterleavingTests.code, step: step.name,
                            outcome: outcome, reason: outcome == .done ? nil : "partner says no",
                            outputs: outcome == .done ? LinkedFixtures.birthOutputs : nil)), at: at)
            case .timer(let index, let kind, let at):
                let step = group.steps[index]
                try chain(.timer(step: step.name, requestId: step.requestId ?? "none", kind: kind), at: at)
            case .retry(let index, let at):
                try chain(.retry(step: group.steps[index].name), at: at)
            }
            // The recorder catches up, or lags by one fact.
            lag = Int.random(in: 0...min(1, record.unrecorded), using: &random)
            record.unrecorded = lag
            try recorded()
            check()
        }

        /// The overdue timer of the due moment the read model shows, decided over the whole record.
        mutating func fireDeadline() throws {
            let shown = record.recordedState
            guard
                let timer = DeadlineSchedule.timers(
                    for: shown, leadWorkingDays: 1, calendar: DecisionInterleavingTests.catalog.calendar
                )
                .first(where: { $0.kind == .overdue })
            else { return }
            let decision = try DeadlineFiring.decide(
                [DeadlineFiring.Due(code: DecisionInterleavingTests.code, kind: .overdue, dueAt: timer.dueAt)],
                dossiers: [
                    DecisionInterleavingTests.code: DeadlineFiring.Dossier(
                        facts: DecisionInterleavingTests.facts,
                        state: record.state)
                ],
                catalog: DecisionInterleavingTests.catalog, now: timer.dueAt)
            for entry in decision.letters {
                record.steps.insert(
                    .automaticLetter(try JSONCoding.decode(AutomaticLetter.self, from: entry.data)),
                    at: record.steps.count - record.unrecorded)
            }
        }

        /// The chains role: the event over the group, the dossier's status from its whole record.
        mutating func chain(_ event: LinkedEvent, at: Date) throws {
            if case .answer = event, let id = group.steps.compactMap(\.requestId).last { staleIds.append(id) }
            let ids = self.ids
            var work = LinkedWork(
                policy: DecisionInterleavingTests.policy,
                environment: LinkedEnvironment(now: at, newRequestId: { ids.make() }, random: { 0.5 }),
                groups: [DecisionInterleavingTests.code: group],
                dossiers: [
                    DecisionInterleavingTests.code: LinkedDossier(
                        status: record.state.status,
                        applicant: DecisionInterleavingTests.applicant)
                ])
            try work.apply(event, to: DecisionInterleavingTests.code)
            group = work.groups[DecisionInterleavingTests.code]!
            for closure in work.effects.closures {
                record.steps.insert(
                    .action(try JSONCoding.decode(DossierAction.self, from: closure.data)),
                    at: record.steps.count - record.unrecorded)
            }
        }

        /// The recorder's transaction: a dossier an officer closed stops its group.
        mutating func recorded() throws {
            var work = LinkedWork(
                policy: DecisionInterleavingTests.policy,
                environment: LinkedEnvironment(now: DecisionInterleavingTests.t0),
                groups: [DecisionInterleavingTests.code: group],
                dossiers: [
                    DecisionInterleavingTests.code: LinkedDossier(
                        status: record.recordedState.status, applicant: DecisionInterleavingTests.applicant)
                ])
            try work.stopIfClosed(DecisionInterleavingTests.code)
            group = work.groups[DecisionInterleavingTests.code]!
        }

        mutating func check() {
            let state = record.state
            if let letter {
                if state.apology != letter {
                    broken = "the letter \(letter) became \(String(describing: state.apology))"
                }
            } else if let automatic = record.automaticLetter {
                guard let shown = state.apology, shown.issuedAt == automatic.issuedAt, !shown.timely else {
                    broken = "an automatic letter was issued but the record shows \(String(describing: state.apology))"
                    return
                }
                letter = shown
            }
            if closed && !state.status.isClosed { broken = "a closed dossier reopened as \(state.status)" }
            closed = closed || state.status.isClosed
            if record.recordedState.status.isClosed && !group.isOver {
                broken = "the dossier is \(record.recordedState.status) but its group still runs"
            }
            if group.isOver && !group.placesHeld.isEmpty { broken = "an ended group holds \(group.placesHeld)" }
            if let outcome = group.outcome, !state.status.isClosed {
                broken = "the group ended \(outcome) but its dossier is \(state.status)"
            }
        }

        static func describe(_ steps: [DossierLifecycle.Step]) -> String {
            steps.map { step in
                let hours = Int(step.at.timeIntervalSince(DecisionInterleavingTests.t0) / 3600)
                switch step {
                case .action(let action):
                    return "\(action.type.rawValue)\(action.linked == nil ? "" : "(linked)")@\(hours)h"
                case .automaticLetter: return "letter@\(hours)h"
                case .handover: return "handover@\(hours)h"
                }
            }.joined(separator: ", ")
        }

        /// After the last attempt: the recorder's replay in other orders, and the report facts.
        mutating func finalCheck(_ random: inout SeededGenerator) -> String? {
            let state = record.state
            let (_, refusals) = DossierLifecycle.replay(record.initial, steps: record.steps, restart: record.restart)
            let refused = Set(zip(record.steps, refusals).filter { $0.1 != nil }.map { $0.0.content })
            for _ in 0..<3 {
                let shuffled = record.steps.shuffled(using: &random)
                let (other, otherRefusals) = DossierLifecycle.replay(
                    record.initial, steps: shuffled, restart: record.restart)
                if other != state {
                    return "recorded as \(Self.describe(shuffled)) the dossier reads \(other), not \(state)"
                }
                let otherRefused = Set(zip(shuffled, otherRefusals).filter { $0.1 != nil }.map { $0.0.content })
                if otherRefused != refused { return "another order refuses other steps" }
            }
            let history = DossierHistory(
                code: DecisionInterleavingTests.code, unitCode: DecisionInterleavingTests.unit,
                procedureCode: DecisionInterleavingTests.procedure, channel: .online,
                onlineLevel: .full, receivedAt: record.initial.receivedAt,
                initialDueAt: record.initial.dueAt, linkedGroup: .birth,
                linkedOutcome: group.outcome?.rawValue, steps: record.steps)
            let report = DossierReportFacts.derive(history, catalog: DecisionInterleavingTests.catalog)
            if (report.closing != nil) != state.status.isClosed {
                return "the report's closing \(String(describing: report.closing)) for \(state.status)"
            }
            if [.resolved, .rejected, .withdrawn].contains(state.status),
                report.closing?.rawValue != state.status.rawValue
            {
                return "the report closes as \(String(describing: report.closing)), the state is \(state.status)"
            }
            if report.closing == .resolved, report.timing != state.timing { return "the report's timing differs" }
            if report.apologyAt != state.apology?.issuedAt { return "the report's letter differs from the state's" }
            // An officer's resolve stops the group without an outcome: the resolve is its result.
            let completed = (group.outcome ?? .completed) == .completed && report.closing == .resolved
            if report.linkedCompleted != completed {
                return "the report counts the group completed: \(report.linkedCompleted), outcome "
                    + "\(String(describing: group.outcome))"
            }
            return nil
        }
    }
}
