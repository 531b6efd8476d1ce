import Domain
import Foundation
import Testing

/// The ceilings and windows every submitted value is held to (issue: no input breaks intake).
@Suite struct InputBoundsTests {
    static func t(_ text: String) -> Date { Timestamp.parse(text)! }
    let now = t("2026-11-20T09:00:00+07:00")
    let catalog = CatalogSnapshot(try! Catalog.parse(DefaultCatalog.data()))

    @Test func amountsCountsAndYearsHaveCeilings() {
        let body: JSONValue = .object([
            "transactionId": .string("T1"), "dossierCode": .string("000.00.19.H56-261120-0001"),
            "amountVnd": .int(Int.max), "status": .string("succeeded"),
            "gateway": .string("national"), "paidAt": .string("2026-11-20T08:00:00+07:00"),
        ])
        guard case .failure(let failure) = PaymentValidator.validate(body, now: now) else {
            Issue.record("Int.max VND was accepted")
            return
        }
        #expect(failure.errors == [FieldError("amountVnd", "must be from 0 to 1000000000000")])
    }

    @Test func theNetAmountSaturatesInsteadOfTrapping() {
        let paid = Date()
        func p(_ amount: Int, _ status: String) -> PaymentView {
            PaymentView(
                transactionId: "t", amountVnd: amount, status: status, gateway: "national", paidAt: paid,
                mismatch: false)
        }
        #expect(PaymentView.net([p(Int.max, "succeeded"), p(1, "succeeded")]) == Int.max)
        #expect(PaymentView.net([p(Int.max, "refunded"), p(Int.max, "refunded")]) == Int.min)
        #expect(PaymentView.net([p(Int.min, "refunded")]) == Int.max)
        #expect(PaymentView.net([p(500, "succeeded"), p(200, "refunded"), p(99, "failed")]) == 300)
    }

    @Test func timeWindowsRefuseTyposOfTheYear() {
        let window = TimeWindow.around(now)
        #expect(window.earliest == Self.t("2021-11-20T09:00:00+07:00"))
        #expect(window.latest == Self.t("2026-11-20T09:05:00+07:00"))
        for at in ["0226-11-20T09:00:00+07:00", "2021-11-20T08:59:59+07:00", "2026-11-20T09:05:01+07:00"] {
            let body: JSONValue = .object(["type": .string("withdraw"), "at": .string(at)])
            guard case .failure(let failure) = ActionValidator(catalog: catalog, now: now).validate(body) else {
                Issue.record("\(at) was accepted")
                continue
            }
            #expect(failure.errors.map(\.field) == ["at"])
        }
        let received = Self.t("2026-11-19T10:00:00+07:00")
        let before: JSONValue = .object(["type": .string("withdraw"), "at": .string("2026-11-19T09:59:59+07:00")])
        guard
            case .failure(let failure) = ActionValidator(catalog: catalog, now: now, receivedAt: received)
                .validate(before)
        else {
            Issue.record("an action before the receipt was accepted")
            return
        }
        #expect(failure.errors.first?.message.contains("the dossier's receipt") == true)
    }

    @Test func controlCharactersAreControlCharacters() {
        #expect(TextRules.hasControlCharacter("a\u{0}b"))
        #expect(TextRules.hasControlCharacter("\u{1B}[31m"))
        #expect(TextRules.hasControlCharacter("x\u{85}"))
        #expect(TextRules.hasControlCharacter("line\nbreak"))
        #expect(!TextRules.hasControlCharacter("line\nbreak\ttab\r", allowingLineBreaks: true))
        #expect(TextRules.hasControlCharacter("nul\u{0}", allowingLineBreaks: true))
        #expect(!TextRules.hasControlCharacter("Nguyễn Văn Ấ — 📄"))
    }

    @Test func errorsStopAtTheirCap() {
        var reader = FieldReader()
        for i in 0..<10_000 { reader.fail("components[\(i)]", "must be an object") }
        let failure = reader.failure
        #expect(failure.errors.count == FieldReader.maxErrors + 1)
        #expect(failure.errors.last == FieldError("(body)", "\(10_000 - FieldReader.maxErrors) more errors not listed"))
    }
}

/// Times written and read in one canonical form, whatever the year (issue: times that do not round-trip).
@Suite struct TimestampTests {
    @Test(arguments: [
        "0001-01-01T00:00:00+07:00", "0226-11-20T09:00:00+07:00", "1899-12-31T23:59:59+07:00",
        "2026-11-20T09:00:00+07:00", "9999-12-31T23:59:59+07:00",
    ])
    func rfc3339RoundTrips(_ text: String) throws {
        let date = try #require(Timestamp.parse(text))
        #expect(VietnamTime.rfc3339(date) == text)
    }

    @Test func readsEveryOffsetPostgreSQLPrints() {
        let expected = Timestamp.parse("1900-01-01T00:00:00Z")!
        #expect(Timestamp.parse("1900-01-01 07:06:40+07:06:40") == expected)
        #expect(Timestamp.parse("1900-01-01 07:00:00+07") == expected)
        #expect(Timestamp.parse("1900-01-01 07:00:00.0+07:00") == expected)
        #expect(Timestamp.parse("1900-01-01 07:00:00+07:0") == nil)
        #expect(Timestamp.parse("1900-01-01 07:00:00+07:00:") == nil)
    }

    @Test func theAPITakesRFC3339Only() {
        #expect(Timestamp.parseRFC3339("2026-12-01T10:00:00+07:00") != nil)
        #expect(Timestamp.parseRFC3339("2026-12-01T03:00:00.25Z") != nil)
        #expect(Timestamp.parseRFC3339("2026-12-01 10:00:00+07:00") == nil)
        #expect(Timestamp.parseRFC3339("2026-12-01T10:00:00+07") == nil)
        #expect(Timestamp.parseRFC3339("2026-12-01T10:00:00+07:06:30") == nil)
    }

    @Test func datesArePaddedToFourDigits() {
        #expect(LocalDate(year: 226, month: 11, day: 20).description == "0226-11-20")
        #expect(LocalDate(iso: "0226-11-20") == LocalDate(year: 226, month: 11, day: 20))
    }
}

/// Intake decides on an action with the recorder's own rule (issue: admission that disagrees with replay).
@Suite struct DossierAdmissionTests {
    static func t(_ text: String) -> Date { Timestamp.parse(text)! }
    let initial = DossierState(
        code: "000.00.19.H56-261116-0001", unitCode: "000.00.19.H56",
        receivedAt: t("2026-11-16T09:00:00+07:00"), dueAt: t("2026-11-19T17:00:00+07:00"))
    let restart: DossierLifecycle.Restart = { $0.addingTimeInterval(3 * 86_400) }

    @Test func aBackDatedReturnBeforeTheResolveIsRefused() {
        let resolve = DossierAction(type: .resolve, at: Self.t("2026-11-17T10:00:00+07:00"))
        let early = DossierAction(type: .return, at: Self.t("2026-11-17T09:00:00+07:00"))
        let late = DossierAction(type: .return, at: Self.t("2026-11-17T11:00:00+07:00"))
        #expect(throws: DossierLifecycle.Refusal.self) {
            try DossierAdmission.check(early, after: [resolve], initial: initial, restart: restart).get()
        }
        #expect(throws: Never.self) {
            try DossierAdmission.check(late, after: [resolve], initial: initial, restart: restart).get()
        }
    }

    @Test func anEarlierActionThatWouldBreakALaterOneIsRefused() {
        // Resolved at 10:00 was accepted; a withdrawal back-dated to 09:00 would make that resolve illegal.
        let resolve = DossierAction(type: .resolve, at: Self.t("2026-11-17T10:00:00+07:00"))
        let withdraw = DossierAction(type: .withdraw, at: Self.t("2026-11-17T09:00:00+07:00"))
        let result = DossierAdmission.check(withdraw, after: [resolve], initial: initial, restart: restart)
        guard case .failure(let refusal) = result else {
            Issue.record("the back-dated withdrawal was admitted")
            return
        }
        #expect(
            refusal.description.contains("the resolve accepted for 2026-11-17T10:00:00+07:00 would then be refused"))
    }

    @Test func aSecondExtensionIsRefused() {
        let extend = DossierAction(
            type: .extend, at: Self.t("2026-11-18T10:00:00+07:00"), reason: "r",
            newDueAt: Self.t("2026-11-25T17:00:00+07:00"))
        #expect(throws: DossierLifecycle.Refusal.self) {
            try DossierAdmission.check(extend, after: [extend], initial: initial, restart: restart).get()
        }
    }

    /// The pipeline's letter at the due moment seals what came before it: nothing dated at or before it,
    /// and no extension at all, is admitted; the refusal names the letter. Later actions are.
    @Test func nothingReachesBehindAnIssuedLetter() throws {
        let letter = AutomaticLetter(
            reason: AutomaticLetter.defaultReason, newDueAt: Self.t("2026-11-24T17:00:00+07:00"),
            issuedAt: initial.dueAt)
        let record = DossierRecord(
            initial: initial, steps: [.automaticLetter(letter)], restart: restart,
            letterNumber: "7/2026/XL-000.00.19.H56")
        for action in [
            DossierAction(type: .resolve, at: Self.t("2026-11-19T16:00:00+07:00")),
            DossierAction(type: .resolve, at: initial.dueAt),
            DossierAction(
                type: .extend, at: Self.t("2026-11-20T09:00:00+07:00"), reason: "r",
                newDueAt: Self.t("2026-11-30T17:00:00+07:00")),
        ] {
            guard case .failure(let refusal) = DossierAdmission.check(action, record: record) else {
                Issue.record("\(action.type) at \(action.at) was admitted behind the letter")
                continue
            }
            #expect(refusal.description.contains("7/2026/XL-000.00.19.H56"))
        }
        let later = try DossierAdmission.check(
            DossierAction(type: .resolve, at: Self.t("2026-11-20T09:00:00+07:00")),
            record: record
        ).get()
        #expect(later.status == .resolved && later.timing == .overdue && later.apology?.timely == false)
    }

    @Test func aDossierTakesAtMostItsBoundOfActions() {
        let transfers = (0..<DossierAdmission.maxActions).map {
            DossierAction(
                type: .transfer, at: Self.t("2026-11-17T09:00:00+07:00").addingTimeInterval(Double($0)),
                toUnit: "000.00.19.H56")
        }
        let next = DossierAction(type: .transfer, at: Self.t("2026-11-18T09:00:00+07:00"), toUnit: "000.00.19.H56")
        #expect(throws: Never.self) {
            try DossierAdmission.check(next, after: Array(transfers.dropLast()), initial: initial, restart: restart)
                .get()
        }
        guard
            case .failure(let refusal) = DossierAdmission.check(
                next, after: transfers, initial: initial,
                restart: restart)
        else {
            Issue.record("the action past the bound was admitted")
            return
        }
        #expect(refusal.description.contains("the most one dossier takes (500)"))
    }
}

/// Text that travels as array literals is never cut or unescaped (issue: characters the database refuses).
@Suite struct ArrayLiteralTests {
    @Test func lengthsCountCodePointsAsJSONSchemaDoes() {
        var reader = FieldReader()
        let accented = String(repeating: "e\u{301}", count: 100)  // 100 Characters, 200 code points
        #expect(reader.string(.object(["name": .string(accented)]), "name", at: "name", maxLength: 150) == nil)
        #expect(reader.errors == [FieldError("name", "must be at most 150 characters")])
    }
}
