import Domain
import Foundation
import Synchronization

/// A linked group and its dossier at a fixed moment, with request ids in order: what the saga's, the
/// chain's and the decision path's tests build on.
public enum LinkedFixtures {
    public static let applicant = Applicant(personalId: "051095001234", fullName: "Nguyễn Văn A", phone: "0905000000")
    /// The group's dossier, open.
    public static let openDossier = LinkedDossier(status: .received, applicant: applicant)
    public static let code = "000.00.19.H56-261202-0001"
    public static let unit = "000.00.19.H56"
    public static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    public static let catalog = CatalogSnapshot(try! Catalog.parse(DefaultCatalog.data()))
    public static let policy = LinkedPolicy(
        maxAttempts: 3, timeoutSeconds: 60, backoffSeconds: 10, maxBackoffSeconds: 100)
    public static let birthOutputs: [String: JSONValue] = [
        "birthCertificateNo": .string("KS-2026-000123"),
        "childPersonalId": .string("051226000123"),
        "registryBook": .string("01/2026"),
    ]

    /// Request ids r1, r2, … in the order the saga asks for them; jitter fixed at `random`.
    public final class Ids: Sendable {
        let next = Atomic<Int>(0)
        public init() {}
        public func make() -> String { "r\(next.add(1, ordering: .relaxed).newValue)" }
    }

    public static func environment(_ ids: Ids, at seconds: Double = 0, random: Double = 0.5) -> LinkedEnvironment {
        LinkedEnvironment(now: t0.addingTimeInterval(seconds), newRequestId: { ids.make() }, random: { random })
    }

    public static func open(_ group: LinkedGroupKind = .birth, _ steps: [String]? = nil, ids: Ids) -> LinkedGroup {
        LinkedSaga.open(
            LinkedGroupChoice(group: group, steps: steps ?? group.optionalSteps), dossierCode: code,
            unitCode: unit, environment: environment(ids))
    }

    public static func handle(
        _ group: LinkedGroup, _ event: LinkedEvent, ids: Ids, at seconds: Double = 1,
        random: Double = 0.5, policy: LinkedPolicy = policy
    ) -> LinkedTransition {
        LinkedSaga.handle(group, event, policy: policy, environment: environment(ids, at: seconds, random: random))
    }

    public static func answer(
        _ group: LinkedGroup, _ step: String, _ outcome: LinkedStepResult.Outcome,
        requestId: String? = nil, reason: String? = nil, outputs: [String: JSONValue]? = nil,
        missing: [String]? = nil
    ) -> LinkedEvent {
        .answer(
            LinkedStepResult(
                requestId: requestId ?? group.step(step)!.requestId!, dossierCode: code, step: step,
                outcome: outcome, reason: reason, outputs: outputs, missingFields: missing))
    }

    /// Sends the first step (its send timer fires).
    public static func started(_ group: LinkedGroupKind = .birth, _ steps: [String]? = nil, ids: Ids) -> LinkedGroup {
        let group = open(group, steps, ids: ids)
        return handle(
            group, .timer(step: group.steps[0].name, requestId: group.steps[0].requestId!, kind: .send),
            ids: ids
        ).group
    }

    /// The first step done: the others are out.
    public static func branched(_ steps: [String]? = nil, ids: Ids) -> LinkedGroup {
        let group = started(.birth, steps, ids: ids)
        return handle(group, answer(group, "birth_registration", .done, outputs: birthOutputs), ids: ids).group
    }
}
