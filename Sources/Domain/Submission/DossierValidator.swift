import Foundation

/// Checks a dossier submission against the contract, the catalog and the personal-ID rules,
/// naming every field that breaks a rule. Pure: the clock and the catalog come in as values.
public struct DossierValidator: Sendable {
    public let catalog: CatalogSnapshot
    public let now: Date

    public init(catalog: CatalogSnapshot, now: Date) {
        self.catalog = catalog
        self.now = now
    }

    public func validate(_ body: JSONValue) -> Result<DossierSubmission, ValidationFailure> {
        var r = FieldReader()
        guard case .object = body else {
            return .failure(ValidationFailure([FieldError("(body)", "must be a JSON object")]))
        }
        // Read first: the receipt's local day picks the versions and the regime in force (DOMAIN.md §11).
        let receivedAt = readReceivedAt(body, &r)
        let day = VietnamTime.local(receivedAt ?? now).date
        let procedureCode = r.string(body, "procedureCode", at: "procedureCode", maxLength: 50)
        let procedure = procedureCode.flatMap { code -> Procedure? in
            guard let versions = catalog.procedureVersions[code] else {
                r.fail("procedureCode", "is not a procedure of the catalog")
                return nil
            }
            guard let procedure = catalog.procedure(code, on: day) else {
                r.fail("procedureCode", "procedure \(code) takes effect on \(versions[0].effectiveFrom!), after \(day)")
                return nil
            }
            return procedure
        }
        let unitCode = r.string(body, "unitCode", at: "unitCode", maxLength: 20)
        if let unitCode {
            if !UnitCode.isWellFormed(unitCode) {
                r.fail("unitCode", "must be shaped DDD.DD.DD.LDD, e.g. 000.00.19.H56")
            } else if let problem = UnitAdmission.problem(unitCode, on: day, catalog: catalog) {
                r.fail("unitCode", problem)
            }
        }
        if !catalog.regimes.isEmpty, catalog.regime(on: day) == nil {
            r.fail(
                "receivedAt",
                "\(day) falls before every legal regime of the catalog; the first takes effect on "
                    + "\(catalog.regimes[0].effectiveFrom)")
        }
        let channel = r.choice(Channel.self, body, "channel", at: "channel")
        var onlineLevel = r.choice(OnlineLevel.self, body, "onlineLevel", at: "onlineLevel", required: false)
        if let channel, channel != .online, onlineLevel != nil {
            r.fail("onlineLevel", "is only for the online channel")
        }
        if channel == .online, let procedure {
            if procedure.onlineLevel == nil {
                r.fail("channel", "procedure \(procedure.code) is not offered online")
            } else if let level = onlineLevel, !procedure.offers(level) {
                r.fail(
                    "onlineLevel",
                    "procedure \(procedure.code) is offered online at level "
                        + "\(procedure.onlineLevel!.rawValue) only")
            } else if onlineLevel == nil {
                // Left out: the level the procedure offers.
                onlineLevel = procedure.onlineLevel
            }
        }
        let applicant = readApplicant(body, &r)
        let components = readComponents(body, &r)
        let key = r.string(body, "idempotencyKey", at: "idempotencyKey", required: false, maxLength: 200)
        if let key, key.isEmpty { r.fail("idempotencyKey", "must not be empty") }
        let linkedGroup = readLinkedGroup(body, procedure: procedure, &r)
        var handlingUnit = r.string(body, "handlingUnit", at: "handlingUnit", required: false, maxLength: 20)
        if let handler = handlingUnit, let unitCode {
            if let problem = Reception.problem(handling: handler, receiving: unitCode, on: day, catalog: catalog) {
                r.fail("handlingUnit", problem)
            } else if handler == unitCode {
                handlingUnit = nil  // the receiving unit handles it: nothing to record
            }
        }
        // CONTRACT.md: `receivingUnitCode`, the unit that received the dossier when it is not `unitCode`, which
        // then handles it. The same fact as `handlingUnit` said the other way round; the receiving unit is the
        // dossier's unit for its code, its token and its receipt.
        var receivingUnit = unitCode
        if let receiving = r.string(body, "receivingUnitCode", at: "receivingUnitCode", required: false, maxLength: 20)
        {
            if handlingUnit != nil || body["handlingUnit"] != nil {
                r.fail("receivingUnitCode", "cannot be given with handlingUnit: name the receiving unit one way")
            } else if let problem = Self.receptionProblem(receiving: receiving, handling: unitCode, on: day, catalog) {
                r.fail("receivingUnitCode", problem)
            } else if let unitCode, receiving != unitCode {
                receivingUnit = receiving
                handlingUnit = unitCode
            }
        }
        guard r.isClean, let procedureCode, let unitCode = receivingUnit, let channel, let applicant, let components
        else {
            return .failure(r.failure)
        }
        return .success(
            DossierSubmission(
                procedureCode: procedureCode, unitCode: unitCode, channel: channel,
                onlineLevel: onlineLevel, applicant: applicant, components: components,
                receivedAt: receivedAt, idempotencyKey: key, linkedGroup: linkedGroup, handlingUnit: handlingUnit))
    }

    /// The rule `receivingUnitCode` breaks for a dossier `handling` handles, or nil. A problem of the handling
    /// unit itself is `unitCode`'s, named there already.
    private static func receptionProblem(
        receiving: String, handling: String?, on day: LocalDate, _ catalog: CatalogSnapshot
    ) -> String? {
        guard UnitCode.isWellFormed(receiving) else { return "must be shaped DDD.DD.DD.LDD, e.g. 000.00.19.H56" }
        if let problem = UnitAdmission.problem(receiving, on: day, catalog: catalog) { return problem }
        guard let handling, UnitAdmission.problem(handling, on: day, catalog: catalog) == nil else { return nil }
        return Reception.problem(handling: handling, receiving: receiving, on: day, catalog: catalog)
    }

    private func readApplicant(_ body: JSONValue, _ r: inout FieldReader) -> Applicant? {
        guard let a = r.object(body, "applicant", at: "applicant") else { return nil }
        let personalId = r.string(a, "personalId", at: "applicant.personalId", maxLength: 40)
        let fullName = r.string(a, "fullName", at: "applicant.fullName", maxLength: 200)
        let phone = r.string(a, "phone", at: "applicant.phone", required: false, maxLength: 20)
        if let phone, !ContactRules.isPhone(phone) {
            r.fail("applicant.phone", "must be a Vietnamese phone number: 10 digits starting with 0, or +84…")
        }
        let email = r.string(a, "email", at: "applicant.email", required: false, maxLength: 254)
        if let email, !ContactRules.isEmail(email) { r.fail("applicant.email", "must be an e-mail address") }
        let birthYear = r.int(a, "birthYear", at: "applicant.birthYear", required: false, range: Limits.birthYears)
        let sex = r.choice(PersonalID.Sex.self, a, "sex", at: "applicant.sex", required: false)
        if let personalId {
            let year = VietnamTime.local(now).date.year
            if case .failure(let problem) = PersonalID.parse(
                personalId, currentYear: year, statedBirthYear: birthYear,
                statedSex: sex)
            {
                switch problem {
                case .birthYearMismatch: r.fail("applicant.birthYear", "does not match the personal ID: \(problem)")
                case .sexMismatch: r.fail("applicant.sex", "does not match the personal ID: \(problem)")
                default: r.fail("applicant.personalId", problem.description)
                }
            }
        }
        guard let personalId, let fullName else { return nil }
        return Applicant(
            personalId: personalId, fullName: fullName, phone: phone, email: email,
            birthYear: birthYear, sex: sex)
    }

    private func readComponents(_ body: JSONValue, _ r: inout FieldReader) -> [Component]? {
        guard
            let items = r.array(
                body, "components", at: "components", required: false,
                maxItems: Limits.maxComponents)
        else {
            return body["components"] == nil || body["components"] == .null ? [] : nil
        }
        var components: [Component] = []
        for (i, item) in items.enumerated() {
            let at = "components[\(i)]"
            guard case .object = item else {
                r.fail(at, "must be an object")
                continue
            }
            if let component = FileRecordRules.component(item, at: at, &r) { components.append(component) }
        }
        return components
    }

    private func readReceivedAt(_ body: JSONValue, _ r: inout FieldReader) -> Date? {
        TimeField.read(body, "receivedAt", &r, window: .around(now), required: false)
    }

    private func readLinkedGroup(_ body: JSONValue, procedure: Procedure?, _ r: inout FieldReader) -> LinkedGroupChoice?
    {
        guard let g = r.object(body, "linkedGroup", at: "linkedGroup", required: false) else { return nil }
        let group = r.choice(LinkedGroupKind.self, g, "group", at: "linkedGroup.group")
        let steps = r.array(g, "steps", at: "linkedGroup.steps", maxItems: Limits.maxLinkedSteps)
        if let procedure {
            if procedure.linkedGroup == nil {
                r.fail("linkedGroup", "procedure \(procedure.code) does not open a linked group")
            } else if let group, group != procedure.linkedGroup {
                r.fail(
                    "linkedGroup.group",
                    "procedure \(procedure.code) opens the \(procedure.linkedGroup!.rawValue) group")
            }
        }
        guard let group, let steps else { return nil }
        var chosen: [String] = []
        for (i, step) in steps.enumerated() {
            guard case .string(let name) = step else {
                r.fail("linkedGroup.steps[\(i)]", "must be a string")
                continue
            }
            if name == group.firstStep { continue }  // always included
            guard group.optionalSteps.contains(name) else {
                r.fail("linkedGroup.steps[\(i)]", "must be one of " + group.optionalSteps.joined(separator: ", "))
                continue
            }
            if chosen.contains(name) {
                r.fail("linkedGroup.steps[\(i)]", "names \(name) twice")
            } else {
                chosen.append(name)
            }
        }
        if chosen.isEmpty && r.errors.allSatisfy({ !$0.field.hasPrefix("linkedGroup.steps[") }) {
            r.fail(
                "linkedGroup.steps",
                "must name at least one optional step: " + group.optionalSteps.joined(separator: ", "))
        }
        return LinkedGroupChoice(group: group, steps: chosen)
    }
}
