import Domain
import Fixtures
import Foundation
import Testing

/// The linked-group saga (DOMAIN.md §6) as a pure state machine: every step outcome in every state,
/// parallel branches, the outcome rules, late / duplicate / unknown answers, retry timing and the budget.
@Suite struct LinkedSagaTests {
    typealias F = LinkedFixtures
    typealias Ids = LinkedFixtures.Ids

    // ---- opening and the first step -----------------------------------------------------------------

    @Test func aGroupOpensWithEveryChosenStepInOrderAndTheFirstDueAtOnce() {
        let ids = Ids()
        let all = F.open(.birth, ["health_insurance_card", "permanent_residence"], ids: ids)
        #expect(all.steps.map(\.name) == ["birth_registration", "permanent_residence", "health_insurance_card"])
        #expect(all.steps.map(\.agency) == ["justice", "police", "social_insurance"])
        #expect(all.steps.allSatisfy { $0.status == .pending && $0.attempts == 0 })
        #expect(all.steps[0].requestId == "r1" && all.steps[0].nextAttemptAt == F.t0)
        #expect(all.steps.dropFirst().allSatisfy { $0.requestId == nil && $0.nextAttemptAt == nil })
        #expect(all.outcome == nil)
        #expect(
            F.open(.birth, ["health_insurance_card"], ids: ids).steps.map(\.name)
                == ["birth_registration", "health_insurance_card"])
        let death = F.open(.death, ["survivor_benefits", "residence_removal", "funeral_allowance"], ids: ids)
        #expect(
            death.steps.map(\.name) == [
                "death_registration", "residence_removal", "funeral_allowance",
                "survivor_benefits",
            ])
        #expect(death.steps.map(\.agency) == ["justice", "police", "labour_social_affairs", "social_insurance"])
    }

    @Test func theFirstStepsSendTimerSendsAttemptOneWithTheScheduledRequestId() {
        let ids = Ids()
        let group = F.open(ids: ids)
        let t = F.handle(group, .timer(step: "birth_registration", requestId: "r1", kind: .send), ids: ids)
        #expect(t.commands == [LinkedCommand(step: "birth_registration", requestId: "r1", attempt: 1, inputs: [:])])
        let first = t.group.steps[0]
        #expect(first.status == .sent && first.attempts == 1 && first.nextAttemptAt == nil)
        #expect(first.since == F.t0.addingTimeInterval(1))
        #expect(t.changedSteps == ["birth_registration"] && t.ended == nil && t.ignored == nil)
        #expect(t.group.steps.dropFirst().allSatisfy { $0.status == .pending }, "nothing else goes before it is done")
    }

    @Test func theFirstStepDoneSendsTheOthersInParallelWithItsOutputsAsInputs() {
        let ids = Ids()
        let group = F.started(ids: ids)
        let t = F.handle(group, F.answer(group, "birth_registration", .done, outputs: F.birthOutputs), ids: ids)
        #expect(t.group.steps[0].status == .done && t.group.steps[0].outputs == F.birthOutputs)
        let inputs: [String: JSONValue] = [
            "birthCertificateNo": .string("KS-2026-000123"),
            "childPersonalId": .string("051226000123"),
        ]
        #expect(t.commands.map(\.step) == ["permanent_residence", "health_insurance_card"])
        #expect(t.commands.allSatisfy { $0.attempt == 1 && $0.inputs == inputs }, "only what the contract names")
        #expect(Set(t.commands.map(\.requestId)).count == 2, "a request id per attempt")
        #expect(t.group.steps.dropFirst().allSatisfy { $0.status == .sent && $0.inputs == inputs })
        #expect(t.notes.map(\.kind) == [.done] && t.ended == nil)
        #expect(t.changedSteps == ["birth_registration", "permanent_residence", "health_insurance_card"])
    }

    @Test func everyStepDoneCompletesTheGroup() {
        let ids = Ids()
        var group = F.branched(ids: ids)
        var t = F.handle(
            group,
            F.answer(
                group, "health_insurance_card", .done,
                outputs: ["insuranceCardNo": .string("TE1")]), ids: ids)
        #expect(t.ended == nil && t.group.outcome == nil, "one branch still runs")
        group = t.group
        t = F.handle(group, F.answer(group, "permanent_residence", .done), ids: ids, at: 9)
        #expect(t.ended == .completed && t.group.outcome == .completed && t.groupChanged)
        #expect(t.group.endedAt == F.t0.addingTimeInterval(9))
        #expect(t.commands.isEmpty && t.group.steps.allSatisfy { $0.status == .done })
    }

    @Test func aDeathGroupOfFourStepsCompletes() {
        let ids = Ids()
        var group = F.started(.death, ids: ids)
        var t = F.handle(
            group,
            F.answer(
                group, "death_registration", .done,
                outputs: ["deathCertificateNo": .string("KT-2026-000001")]), ids: ids)
        #expect(t.commands.map(\.step) == ["residence_removal", "funeral_allowance", "survivor_benefits"])
        #expect(t.commands.allSatisfy { $0.inputs == ["deathCertificateNo": .string("KT-2026-000001")] })
        group = t.group
        for step in ["survivor_benefits", "residence_removal", "funeral_allowance"] {
            t = F.handle(group, F.answer(group, step, .done), ids: ids)
            group = t.group
        }
        #expect(t.ended == .completed && group.steps.allSatisfy { $0.status == .done })
    }

    // ---- outcome rules --------------------------------------------------------------------------------

    @Test func aRejectedFirstStepFailsTheGroupAndSendsNothingFurther() {
        let ids = Ids()
        let group = F.started(ids: ids)
        let t = F.handle(
            group, F.answer(group, "birth_registration", .rejected, reason: "giấy chứng sinh không hợp lệ"),
            ids: ids)
        #expect(t.ended == .failed && t.group.outcome == .failed)
        #expect(t.commands.isEmpty, "nothing further")
        #expect(t.group.steps[0].status == .rejected && t.group.steps[0].lastError == "giấy chứng sinh không hợp lệ")
        #expect(
            t.group.steps.dropFirst().allSatisfy {
                $0.status == .pending && $0.attempts == 0 && $0.nextAttemptAt == nil
            })
        #expect(t.notes.map(\.kind) == [.rejected])
        // Nothing moves it afterwards.
        #expect(F.handle(t.group, .retry(step: "permanent_residence"), ids: ids).refused != nil)
    }

    @Test func aRejectedLaterStepLeavesTheOthersRunningAndTheGroupEndsPartial() {
        for order in [
            ["health_insurance_card", "permanent_residence"], ["permanent_residence", "health_insurance_card"],
        ] {
            let ids = Ids()
            var group = F.branched(ids: ids)
            let first = F.handle(
                group,
                order[0] == "health_insurance_card"
                    ? F.answer(group, order[0], .rejected, reason: "trẻ đã có thẻ")
                    : F.answer(group, order[0], .done), ids: ids)
            #expect(first.ended == nil && first.commands.isEmpty)
            #expect(
                first.group.step("permanent_residence")!.status == (order[0] == "permanent_residence" ? .done : .sent),
                "the other branch keeps running")
            group = first.group
            let second = F.handle(
                group,
                order[1] == "health_insurance_card"
                    ? F.answer(group, order[1], .rejected, reason: "trẻ đã có thẻ")
                    : F.answer(group, order[1], .done), ids: ids)
            #expect(second.ended == .partial && second.group.outcome == .partial)
        }
    }

    @Test func everyLaterStepRejectedIsStillPartial() {
        let ids = Ids()
        var group = F.branched(ids: ids)
        group = F.handle(group, F.answer(group, "permanent_residence", .rejected), ids: ids).group
        let t = F.handle(group, F.answer(group, "health_insurance_card", .rejected), ids: ids)
        #expect(t.ended == .partial)
        #expect(t.group.step("permanent_residence")!.lastError == "rejected by police", "a reason even when none came")
    }

    @Test func aStuckStepIsNotFinalSoTheGroupWaits() {
        let ids = Ids()
        var group = F.branched(ids: ids)
        group =
            F.handle(
                group, F.answer(group, "permanent_residence", .done, missing: ["residenceBookNo"]),
                ids: ids
            ).group
        let t = F.handle(group, F.answer(group, "health_insurance_card", .done), ids: ids)
        #expect(t.ended == nil && t.group.outcome == nil)
    }

    // ---- missing fields -------------------------------------------------------------------------------

    @Test func doneWithMissingFieldsStopsTheStepForAPerson() {
        let ids = Ids()
        let group = F.branched(ids: ids)
        let t = F.handle(
            group,
            F.answer(
                group, "permanent_residence", .done, outputs: ["x": .int(1)],
                missing: ["residenceBookNo", "address"]), ids: ids)
        let step = t.group.step("permanent_residence")!
        #expect(step.status == .stuck && step.missingFields == ["residenceBookNo", "address"])
        #expect(step.lastError == "missing fields: residenceBookNo, address" && step.outputs == ["x": .int(1)])
        #expect(t.stuck == ["permanent_residence"] && t.notes.map(\.kind) == [.stuck] && t.commands.isEmpty)
    }

    @Test func aFirstStepDoneWithoutItsRequiredOutputsIsMissingThemAndSendsNothing() {
        let ids = Ids()
        let group = F.started(ids: ids)
        for outputs: [String: JSONValue]? in [
            nil, ["birthCertificateNo": .string("KS-1")],
            ["birthCertificateNo": .string("KS-1"), "childPersonalId": .null],
            ["birthCertificateNo": .string(" "), "childPersonalId": .string("0512")],
        ] {
            let t = F.handle(group, F.answer(group, "birth_registration", .done, outputs: outputs), ids: ids)
            #expect(t.group.steps[0].status == .stuck && t.commands.isEmpty && t.stuck == ["birth_registration"])
            #expect(t.group.steps[0].missingFields?.isEmpty == false)
        }
        let t = F.handle(
            group,
            F.answer(
                group, "birth_registration", .done,
                outputs: ["birthCertificateNo": .string("KS-1")]), ids: ids)
        #expect(t.group.steps[0].missingFields == ["childPersonalId"])
    }

    // ---- failures, backoff and the budget -------------------------------------------------------------

    @Test func anErrorIsRetriedAfterABackoffWithANewRequestIdUntilTheBudgetIsUsed() {
        let ids = Ids()
        var group = F.started(ids: ids)
        var clock = 1.0
        var waits: [Double] = []
        for attempt in 1...3 {
            let t = F.handle(
                group, F.answer(group, "birth_registration", .error, reason: "hệ thống bận"), ids: ids,
                at: clock)
            let step = t.group.steps[0]
            #expect(step.attempts == attempt && step.lastError == "hệ thống bận")
            if attempt < 3 {
                #expect(step.status == .pending && t.commands.isEmpty && t.stuck.isEmpty)
                let wait = step.nextAttemptAt!.timeIntervalSince(F.t0) - clock
                waits.append(wait)
                #expect(step.requestId != group.steps[0].requestId, "the next attempt has its own request id")
                // The send timer fires at the next attempt's time: attempt + 1 goes out.
                clock += wait
                let sent = F.handle(
                    t.group, .timer(step: "birth_registration", requestId: step.requestId!, kind: .send),
                    ids: ids, at: clock)
                #expect(sent.commands.map(\.attempt) == [attempt + 1] && sent.commands[0].requestId == step.requestId)
                group = sent.group
            } else {
                #expect(step.status == .stuck && t.stuck == ["birth_registration"] && step.nextAttemptAt == nil)
                #expect(t.notes.map(\.kind) == [.stuck] && t.ended == nil)
            }
        }
        // Jitter 0.5 of "equal jitter": 3/4 of 10 s, then of 20 s.
        #expect(waits == [7.5, 15])
    }

    @Test func noAnswerWithinTheTimeoutIsAFailedAttempt() {
        let ids = Ids()
        let group = F.started(ids: ids)
        let t = F.handle(group, .timer(step: "birth_registration", requestId: "r1", kind: .timeout), ids: ids, at: 61)
        let step = t.group.steps[0]
        #expect(step.status == .pending && step.attempts == 1)
        #expect(step.lastError == "no answer within 60 s (attempt 1)")
        #expect(step.nextAttemptAt == F.t0.addingTimeInterval(61 + 7.5))
        let fractional = LinkedPolicy(maxAttempts: 1, timeoutSeconds: 1.5, backoffSeconds: 1, maxBackoffSeconds: 1)
        let stuck = F.handle(
            group, .timer(step: "birth_registration", requestId: "r1", kind: .timeout), ids: ids,
            policy: fractional)
        #expect(
            stuck.group.steps[0].status == .stuck
                && stuck.group.steps[0].lastError == "no answer within 1.5 s (attempt 1)")
    }

    @Test func theBackoffDoublesUpToItsCeilingWithJitter() {
        let policy = F.policy
        #expect((1...6).map { policy.backoff(failures: $0, random: 1) } == [10, 20, 40, 80, 100, 100])
        #expect((1...6).map { policy.backoff(failures: $0, random: 0) } == [5, 10, 20, 40, 50, 50])
        for failures in 1...8 {
            let low = policy.backoff(failures: failures, random: 0)
            let high = policy.backoff(failures: failures, random: 1)
            #expect(low * 2 == high && (low...high).contains(policy.backoff(failures: failures, random: 0.37)))
        }
        #expect(policy.backoff(failures: 1_000, random: 1) == 100, "no overflow")
        #expect(policy.backoff(failures: 1, random: 7) == 10 && policy.backoff(failures: 1, random: -1) == 5)
    }

    @Test func jitterSpreadsStepsThatFailedTogether() {
        let ids = Ids()
        let group = F.started(ids: ids)
        let early = F.handle(group, F.answer(group, "birth_registration", .error), ids: ids, random: 0)
        let late = F.handle(group, F.answer(group, "birth_registration", .error), ids: ids, random: 1)
        #expect(early.group.steps[0].nextAttemptAt! < late.group.steps[0].nextAttemptAt!)
        #expect(early.group.steps[0].lastError == "error from justice")
    }

    // ---- late, repeated and unknown answers ------------------------------------------------------------

    @Test func aLateAnswerForAnAttemptThatTimedOutChangesNothing() {
        let ids = Ids()
        let group = F.started(ids: ids)
        let timedOut = F.handle(group, .timer(step: "birth_registration", requestId: "r1", kind: .timeout), ids: ids)
            .group
        let late = F.handle(
            timedOut,
            F.answer(
                timedOut, "birth_registration", .done, requestId: "r1",
                outputs: F.birthOutputs), ids: ids)
        #expect(late.ignored != nil && !late.changed && late.group == timedOut && late.commands.isEmpty)
        // Nor once the next attempt is out.
        let next = timedOut.steps[0].requestId!
        let resent = F.handle(timedOut, .timer(step: "birth_registration", requestId: next, kind: .send), ids: ids)
            .group
        let stillLate = F.handle(resent, F.answer(resent, "birth_registration", .rejected, requestId: "r1"), ids: ids)
        #expect(stillLate.ignored != nil && stillLate.group == resent)
        // The answer to the attempt in flight does count.
        #expect(
            F.handle(
                resent, F.answer(resent, "birth_registration", .done, outputs: F.birthOutputs),
                ids: ids
            ).commands.count == 2)
    }

    @Test func aRepeatedAnswerChangesNothing() {
        let ids = Ids()
        let group = F.started(ids: ids)
        let event = F.answer(group, "birth_registration", .done, outputs: F.birthOutputs)
        let once = F.handle(group, event, ids: ids)
        let twice = F.handle(once.group, event, ids: ids)
        #expect(twice.ignored != nil && twice.group == once.group && twice.commands.isEmpty)
        // An error repeated after the step moved on to its next attempt changes nothing either.
        let failed = F.handle(group, F.answer(group, "birth_registration", .error), ids: ids)
        let again = F.handle(failed.group, F.answer(group, "birth_registration", .error), ids: ids)
        #expect(again.ignored != nil && again.group == failed.group)
    }

    @Test func anUnknownRequestIdOrStepChangesNothing() {
        let ids = Ids()
        let group = F.started(ids: ids)
        for event in [
            F.answer(group, "birth_registration", .done, requestId: "nobody", outputs: F.birthOutputs),
            F.answer(group, "permanent_residence", .done, requestId: "r1"),
            LinkedEvent.answer(
                LinkedStepResult(
                    requestId: "r1", dossierCode: F.code, step: "marriage",
                    outcome: .done)),
        ] {
            let t = F.handle(group, event, ids: ids)
            #expect(t.ignored != nil && !t.changed && t.group == group)
        }
    }

    @Test func staleTimersChangeNothing() {
        let ids = Ids()
        let group = F.started(ids: ids)
        let answered = F.handle(
            group, F.answer(group, "birth_registration", .done, outputs: F.birthOutputs),
            ids: ids
        ).group
        for (state, event) in [
            (answered, LinkedEvent.timer(step: "birth_registration", requestId: "r1", kind: .timeout)),  // answered in time
            (group, .timer(step: "birth_registration", requestId: "r1", kind: .send)),  // already sent
            (group, .timer(step: "birth_registration", requestId: "r0", kind: .timeout)),  // another attempt's
            (group, .timer(step: "permanent_residence", requestId: "r1", kind: .send)),
            (group, .timer(step: "no_such_step", requestId: "r1", kind: .send)),
        ] {
            let t = F.handle(state, event, ids: ids)
            #expect(t.ignored != nil && !t.changed && t.group == state, "\(event)")
        }
    }

    /// Every outcome in every state: only the attempt in flight (`sent`, same request id) moves.
    @Test func everyStepOutcomeInEveryState() {
        let ids = Ids()
        let base = F.branched(ids: ids)
        func with(_ status: StepStatus, scheduled: Bool = false) -> LinkedGroup {
            var group = base
            var step = group.steps[1]
            step.status = status
            step.requestId = "x"
            step.nextAttemptAt = scheduled ? F.t0 : nil
            group.steps[1] = step
            return group
        }
        let outcomes: [LinkedStepResult.Outcome] = [.done, .rejected, .error]
        let states: [(String, LinkedGroup)] = [
            ("pending (scheduled)", with(.pending, scheduled: true)),
            ("pending (waiting)", with(.pending)), ("sent", with(.sent)),
            ("done", with(.done)), ("rejected", with(.rejected)), ("stuck", with(.stuck)),
        ]
        for (name, state) in states {
            for outcome in outcomes {
                let t = F.handle(state, F.answer(state, "permanent_residence", outcome, requestId: "x"), ids: ids)
                let after = t.group.steps[1].status
                if name == "sent" {
                    #expect(t.ignored == nil, "\(outcome) in \(name)")
                    #expect(
                        after == [.done: StepStatus.done, .rejected: .rejected, .error: .pending][outcome], "\(outcome)"
                    )
                } else {
                    #expect(t.ignored != nil && t.group == state, "\(outcome) in \(name) changes nothing")
                }
            }
            let timeout = F.handle(state, .timer(step: "permanent_residence", requestId: "x", kind: .timeout), ids: ids)
            #expect((timeout.ignored == nil) == (name == "sent"), "a timeout in \(name)")
            let send = F.handle(state, .timer(step: "permanent_residence", requestId: "x", kind: .send), ids: ids)
            #expect((send.ignored == nil) == (name == "pending (scheduled)"), "a send in \(name)")
            let retry = F.handle(state, .retry(step: "permanent_residence"), ids: ids)
            #expect((retry.refused == nil) == (name == "stuck"), "a retry in \(name)")
        }
    }

    // ---- people: retry ----------------------------------------------------------------------------------

    @Test func aRetryReArmsAStuckStepWithAFreshBudgetAndTheAttemptsCountOn() {
        let ids = Ids()
        var group = F.branched(["permanent_residence"], ids: ids)
        // Three timeouts: stuck after attempt 3.
        for _ in 1...3 {
            let step = group.step("permanent_residence")!
            if step.status == .pending {
                group =
                    F.handle(group, .timer(step: step.name, requestId: step.requestId!, kind: .send), ids: ids).group
            }
            group =
                F.handle(
                    group, .timer(step: step.name, requestId: group.step(step.name)!.requestId!, kind: .timeout),
                    ids: ids
                ).group
        }
        #expect(group.step("permanent_residence")!.status == .stuck && group.step("permanent_residence")!.attempts == 3)
        let retried = F.handle(group, .retry(step: "permanent_residence"), ids: ids, at: 500)
        let step = retried.group.step("permanent_residence")!
        #expect(retried.refused == nil && step.status == .pending && step.attempts == 3 && step.budgetStart == 3)
        #expect(step.nextAttemptAt == F.t0.addingTimeInterval(500), "at once")
        #expect(step.lastError != nil, "the last error stays to read")
        #expect(retried.notes.map(\.kind) == [.rearmed] && retried.commands.isEmpty)
        // The chains worker's send timer: attempt 4, then a fresh budget of three before stuck again.
        group = retried.group
        var attempts: [Int] = []
        for _ in 1...3 {
            let pending = group.step("permanent_residence")!
            let sent = F.handle(group, .timer(step: pending.name, requestId: pending.requestId!, kind: .send), ids: ids)
            attempts += sent.commands.map(\.attempt)
            group = F.handle(sent.group, F.answer(sent.group, "permanent_residence", .error), ids: ids).group
        }
        #expect(attempts == [4, 5, 6] && group.step("permanent_residence")!.status == .stuck)
    }

    @Test func aRetriedStepWithMissingFieldsCanComplete() {
        let ids = Ids()
        var group = F.branched(["health_insurance_card"], ids: ids)
        group =
            F.handle(
                group, F.answer(group, "health_insurance_card", .done, missing: ["insuranceCardNo"]),
                ids: ids
            ).group
        group = F.handle(group, .retry(step: "health_insurance_card"), ids: ids).group
        #expect(group.step("health_insurance_card")!.missingFields == nil)
        let pending = group.step("health_insurance_card")!
        group = F.handle(group, .timer(step: pending.name, requestId: pending.requestId!, kind: .send), ids: ids).group
        let t = F.handle(
            group,
            F.answer(
                group, "health_insurance_card", .done,
                outputs: ["insuranceCardNo": .string("TE1")]), ids: ids)
        #expect(t.ended == .completed && t.group.step("health_insurance_card")!.attempts == 2)
        #expect(t.group.step("health_insurance_card")!.lastError == nil)
    }

    @Test func aRetryOfAStepThatIsNotStuckIsRefusedWithTheReason() {
        let ids = Ids()
        let group = F.branched(ids: ids)
        let sent = F.handle(group, .retry(step: "permanent_residence"), ids: ids)
        #expect(sent.refused == "permanent_residence of \(F.code) is sent, not stuck: nothing to retry")
        #expect(!sent.changed && sent.group == group)
        let unknown = F.handle(group, .retry(step: "residence_removal"), ids: ids)
        #expect(unknown.refused?.contains("has no step residence_removal") == true)
        #expect(F.handle(group, .retry(step: "birth_registration"), ids: ids).refused?.contains("is done") == true)
    }

    // ---- the dossier closed by someone else --------------------------------------------------------------

    @Test func aDossierClosedByAnOfficerStopsTheChain() {
        let ids = Ids()
        var group = F.branched(ids: ids)
        group = F.handle(group, F.answer(group, "permanent_residence", .error), ids: ids).group
        #expect(group.step("permanent_residence")!.nextAttemptAt != nil)
        let t = F.handle(group, .dossierClosed(status: "withdrawn"), ids: ids)
        #expect(
            t.group.stopped == "the dossier was withdrawn by an officer" && t.group.outcome == nil && t.groupChanged)
        #expect(t.group.steps.allSatisfy { $0.nextAttemptAt == nil } && t.notes.map(\.kind) == [.stopped])
        let stopped = t.group
        let pending = group.step("permanent_residence")!
        for event in [
            F.answer(stopped, "health_insurance_card", .done),
            LinkedEvent.timer(step: pending.name, requestId: pending.requestId!, kind: .send),
            .dossierClosed(status: "withdrawn"),
        ] {
            #expect(F.handle(stopped, event, ids: ids).ignored != nil)
        }
        #expect(
            F.handle(stopped, .retry(step: "health_insurance_card"), ids: ids).refused?.contains("withdrawn") == true)
    }

    @Test func anEndedGroupIgnoresEverything() {
        let ids = Ids()
        let group = F.started(ids: ids)
        let failed = F.handle(group, F.answer(group, "birth_registration", .rejected), ids: ids).group
        #expect(
            F.handle(failed, .dossierClosed(status: "rejected"), ids: ids).ignored != nil,
            "the chain's own close is not a stop")
        #expect(
            F.handle(
                failed, F.answer(group, "birth_registration", .done, outputs: F.birthOutputs),
                ids: ids
            ).ignored != nil)
    }
}
