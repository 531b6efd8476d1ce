import Foundation

/// DOMAIN.md §3: a completed supplement restarts the full processing time from its completion, as a
/// receipt would; the new due moment also replaces the one on the citizen's receipt.
public enum DueRestart {
    /// The restart of a dossier of `procedure` at `unit`, received on `channel` at `receivedAt` (which picks
    /// the procedure's version in force): the count intake makes at receipt (`DueMoment.compute` with the
    /// procedure's processing time and the unit's office hours), so it is also the receipt's own due moment
    /// counted again (`DueRecomputation`).
    /// - Parameter calendar: the working days to count over; the catalog's when nil.
    public static func rule(
        procedure code: String, unit: String, channel: Channel, receivedAt: Date, catalog: CatalogSnapshot,
        calendar: WorkingCalendar? = nil
    ) -> DossierLifecycle.Restart {
        let processing = catalog.procedure(code, receivedAt: receivedAt)?.processing ?? .workingDays(1)
        let hours = catalog.unit(unit, at: receivedAt)?.hours ?? .standard
        let calendar = calendar ?? catalog.calendar
        return { moment in
            DueMoment.compute(
                receivedAt: moment, processing: processing, paper: channel.isPaper, officeHours: hours,
                calendar: calendar)
        }
    }
}
