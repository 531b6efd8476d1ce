import Domain
import Foundation

/// What the partner simulator does to each command, by step (`MOTCUA_PARTNER_SIM_CONFIG`, a JSON file):
///
///     { "*":                   { "delaySeconds": 0.05, "errorRate": 0.05, "hangRate": 0.01 },
///       "permanent_residence": { "hangRate": 1 } }
///
/// `"*"` applies to every step; a step's own entry overrides it field by field. The rates are
/// probabilities per command, drawn once: `hangRate` (never answers), `errorRate` (answers `error`),
/// `rejectRate` (answers `rejected`), `missingFieldsRate` (answers `done` without `missingFields`,
/// default the step's main output); the rest is `done`. An answer waits `delaySeconds` (default 0.05),
/// or a uniform time up to `maxDelaySeconds` when that is larger.
struct PartnerFaults: Codable, Sendable, Equatable {
    var delaySeconds: Double?
    var maxDelaySeconds: Double?
    var hangRate: Double?
    var errorRate: Double?
    var rejectRate: Double?
    var missingFieldsRate: Double?
    var missingFields: [String]?

    /// `self` with the fields `other` sets.
    func overridden(by other: PartnerFaults?) -> PartnerFaults {
        guard let other else { return self }
        return PartnerFaults(
            delaySeconds: other.delaySeconds ?? delaySeconds,
            maxDelaySeconds: other.maxDelaySeconds ?? maxDelaySeconds,
            hangRate: other.hangRate ?? hangRate, errorRate: other.errorRate ?? errorRate,
            rejectRate: other.rejectRate ?? rejectRate,
            missingFieldsRate: other.missingFieldsRate ?? missingFieldsRate,
            missingFields: other.missingFields ?? missingFields)
    }
}

struct PartnerSimConfig: Sendable, Equatable {
    var faults: [String: PartnerFaults] = [:]

    /// Why a fault file was refused.
    struct Invalid: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    static let steps = LinkedGroupKind.allCases.flatMap(\.allSteps)

    /// Reads the file's JSON; a bad document is refused whole with the reason.
    static func parse(_ data: Data) throws -> PartnerSimConfig {
        let faults = try JSONCoding.decode([String: PartnerFaults].self, from: data)
        for (key, value) in faults {
            guard key == "*" || steps.contains(key) else {
                throw Invalid("unknown step \(key); use * or one of \(steps.joined(separator: ", "))")
            }
            for (name, rate) in [
                ("hangRate", value.hangRate), ("errorRate", value.errorRate),
                ("rejectRate", value.rejectRate), ("missingFieldsRate", value.missingFieldsRate),
            ]
            where rate.map({ !(0...1).contains($0) }) == true {
                throw Invalid("\(key).\(name) must be from 0 to 1")
            }
            for (name, delay) in [("delaySeconds", value.delaySeconds), ("maxDelaySeconds", value.maxDelaySeconds)]
            where delay.map({ !(0...3600).contains($0) }) == true {
                throw Invalid("\(key).\(name) must be from 0 to 3600 seconds")
            }
        }
        return PartnerSimConfig(faults: faults)
    }

    func faults(for step: String) -> PartnerFaults {
        (faults["*"] ?? PartnerFaults()).overridden(by: faults[step])
    }
}

/// The simulated agencies' answers, decided without I/O.
enum PartnerSimulation {
    enum Fate: String, Sendable, Equatable {
        case done, error, rejected, missingFields = "missing_fields", hang
    }

    struct Plan: Sendable, Equatable {
        let fate: Fate
        /// Seconds before the answer.
        let delay: Double
    }

    static let defaultDelay = 0.05

    /// What becomes of one command: one draw for the fate, one for the delay.
    static func plan(_ faults: PartnerFaults, draw: Double, delayDraw: Double) -> Plan {
        var threshold = 0.0
        var fate = Fate.done
        for (candidate, rate) in [
            (Fate.hang, faults.hangRate), (.error, faults.errorRate),
            (.rejected, faults.rejectRate), (.missingFields, faults.missingFieldsRate),
        ] {
            threshold += rate ?? 0
            if draw < threshold {
                fate = candidate
                break
            }
        }
        let low = faults.delaySeconds ?? defaultDelay
        let high = max(low, faults.maxDelaySeconds ?? low)
        return Plan(fate: fate, delay: low + (high - low) * delayDraw)
    }

    /// What a lossy sync drops by default: the child's new personal ID, the certificate, the decision.
    static func mainOutput(_ step: String, _ registered: [String: JSONValue]) -> String {
        switch step {
        case "birth_registration": return "childPersonalId"
        case "death_registration": return "deathCertificateNo"
        default: return registered.keys.sorted().first ?? "referenceNo"
        }
    }

    /// The inputs a step needs from the first step; a command without them is rejected.
    static func requiredInputs(_ step: String) -> [String] {
        switch step {
        case "permanent_residence", "health_insurance_card": return ["birthCertificateNo", "childPersonalId"]
        case "residence_removal", "funeral_allowance", "survivor_benefits": return ["deathCertificateNo"]
        default: return []
        }
    }

    /// What the agency registers for a step done: its certificate or decision numbers.
    static func outputs(_ command: PartnerCommand, now: Date, draw: () -> UInt64) -> [String: JSONValue] {
        let year = VietnamTime.local(now).date.year
        func number(_ prefix: String) -> JSONValue {
            .string("\(prefix)-\(year)-\(String(format: "%06d", Int(draw() % 1_000_000)))")
        }
        switch command.step {
        case "birth_registration":
            return [
                "birthCertificateNo": number("KS"), "childPersonalId": .string(childPersonalId(now: now, draw: draw)),
            ]
        case "death_registration": return ["deathCertificateNo": number("KT")]
        case "permanent_residence": return ["residenceRegistrationNo": number("TT")]
        case "health_insurance_card":
            return ["insuranceCardNo": .string("TE1" + String(format: "%012llu", draw() % 1_000_000_000_000))]
        case "residence_removal": return ["removalDecisionNo": number("XTT")]
        case "funeral_allowance": return ["allowanceDecisionNo": number("MT"), "amountVnd": .int(36_000_000)]
        case "survivor_benefits": return ["benefitDecisionNo": number("TT-BHXH")]
        default: return ["referenceNo": number("REF")]
        }
    }

    /// A personal ID a birth registered now would get (DOMAIN.md §9): Quảng Ngãi (051), born in the
    /// 2000s (century digit 2 or 3 by sex), this year, six random digits.
    static func childPersonalId(now: Date, draw: () -> UInt64) -> String {
        let year = VietnamTime.local(now).date.year
        let centuryAndSex = (year >= 2100 ? 4 : 2) + Int(draw() % 2)
        return
            "051\(centuryAndSex)\(String(format: "%02d", year % 100))\(String(format: "%06d", Int(draw() % 1_000_000)))"
    }

    /// The answer to `command` under `plan` (nil for a hang); `registered` is what the agency already holds
    /// for the dossier and step (a repeated attempt gets the same numbers), `fresh` what it registers now.
    static func answer(_ command: PartnerCommand, plan: Plan, faults: PartnerFaults, registered: [String: JSONValue])
        -> LinkedStepResult?
    {
        func result(
            _ outcome: LinkedStepResult.Outcome, reason: String? = nil, outputs: [String: JSONValue]? = nil,
            missing: [String]? = nil
        ) -> LinkedStepResult {
            LinkedStepResult(
                requestId: command.requestId, dossierCode: command.dossierCode, step: command.step,
                outcome: outcome, reason: reason, outputs: outputs, missingFields: missing)
        }
        let lacking = requiredInputs(command.step).filter { command.inputs[$0] == nil }
        if !lacking.isEmpty, plan.fate != .hang {
            return result(.rejected, reason: "the command lacks " + lacking.joined(separator: ", "))
        }
        switch plan.fate {
        case .hang: return nil
        case .error:
            return result(.error, reason: "\(LinkedGroupKind.agency(of: command.step)) system unavailable (simulated)")
        case .rejected: return result(.rejected, reason: "the applicant's data does not match the registry (simulated)")
        case .missingFields:
            let missing = faults.missingFields ?? [mainOutput(command.step, registered)]
            return result(.done, outputs: registered.filter { !missing.contains($0.key) }, missing: missing)
        case .done: return result(.done, outputs: registered)
        }
    }
}
