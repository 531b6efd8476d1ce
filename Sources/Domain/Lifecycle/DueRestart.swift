import Foundation

/// DOMAIN.md §3: a completed supplement restarts the full processing time from its completion, as a
/// receipt would; the new due moment also replaces the one on the citizen's receipt.
public enum DueRestart {
    /// The restart of a dossier of `procedure` at `unit`, received on `channel`.
    public static func rule(procedure code: String, unit: String, channel: Channel, catalog: CatalogSnapshot)
        -> DossierLifecycle.Restart
    {
        let processing = catalog.procedures[code]?.processing ?? .workingDays(1)
        let hours = catalog.units[unit]?.hours ?? .standard
        let calendar = catalog.calendar
        return { moment in
            DueMoment.compute(
                receivedAt: moment, processing: processing, paper: channel.isPaper, officeHours: hours,
                calendar: calendar)
        }
    }
}
