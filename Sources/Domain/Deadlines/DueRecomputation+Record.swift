import Foundation

extension DueRecomputation {
    /// A dossier's record made ready for its replay, given the years its due moment was last counted over by
    /// rule (`stored`, as the projection wrote them): what to replay, under which calendar, and what changed.
    public struct Basis: Sendable {
        /// The record to replay: its restart counted under `calendar`, its receipt's due moment counted again
        /// when recomputing.
        public let record: DossierRecord
        /// The working days the dossier's due moments are counted under.
        public let calendar: WorkingCalendar
        /// The years of `stored` whose decision is loaded now.
        public let decided: Set<Int>
        /// The receipt's due moment counted again, when it moved.
        public let receiptDueAt: Date?
        /// The change of due moments the decided years made, when recomputing and something moved.
        public let change: DueRecomputation?
    }

    /// Until its recomputation (`recompute`, the deadline workers' pass, which journals the change), a
    /// dossier keeps counting its due moments over the decided years by rule, as they were counted: an
    /// officer's action in between neither moves them silently nor loses the recomputation. The recomputation
    /// counts the receipt's due moment again with the rule intake used, replays the record under the whole
    /// calendar, and names the change against the same record replayed as it was counted.
    /// - Parameter facts: whose procedure, unit and channel the due moments are counted for.
    public static func basis(
        of record: DossierRecord, facts: DossierFacts, stored: [Int], catalog: CatalogSnapshot, recompute: Bool
    ) -> Basis {
        let decided = Self.decided(stored, calendar: catalog.calendar)
        guard !decided.isEmpty else {
            return Basis(record: record, calendar: catalog.calendar, decided: [], receiptDueAt: nil, change: nil)
        }
        func counted(under calendar: WorkingCalendar, receiptDueAt: Date?) -> DossierRecord {
            var initial = record.initial
            if let receiptDueAt {
                initial.dueAt = receiptDueAt
                initial.originalDueAt = receiptDueAt
            }
            var counted = DossierRecord(
                initial: initial, steps: record.steps,
                restart: DueRestart.rule(
                    procedure: facts.procedureCode, unit: facts.unitCode, channel: facts.channel,
                    receivedAt: record.initial.receivedAt, catalog: catalog, calendar: calendar),
                unrecorded: record.unrecorded, letterNumber: record.letterNumber)
            counted.journal = record.journal
            return counted
        }
        let byRule = counted(under: catalog.calendar.countingByRule(decided), receiptDueAt: nil)
        guard recompute else {
            return Basis(
                record: byRule, calendar: catalog.calendar.countingByRule(decided), decided: decided,
                receiptDueAt: nil, change: nil)
        }
        // Counted again under the whole calendar: the receipt's rule with the decided years in.
        let whole = counted(under: catalog.calendar, receiptDueAt: nil)
        let receiptDueAt = receiptDue(of: record.initial, decided: decided, restart: whole.restart)
            .flatMap { $0 == record.initial.dueAt ? nil : $0 }
        let recomputed = counted(under: catalog.calendar, receiptDueAt: receiptDueAt)
        let (before, after) = (byRule.state, recomputed.state)
        return Basis(
            record: recomputed, calendar: catalog.calendar, decided: decided, receiptDueAt: receiptDueAt,
            change: between(before: (before.dueAt, before.originalDueAt), after: after, decided: decided))
    }
}
