import Domain
import Foundation
import PostgresDriver

/// `motcua linked retry` and the console's retry button: re-arms a stuck step with a fresh attempt
/// budget, journaled, in one transaction under the dossier's lock.
public enum LinkedRearm {
    public struct Refusal: Error, CustomStringConvertible {
        public let description: String
    }

    /// Returns the attempts the step had used; throws `Refusal` for a step that cannot be re-armed.
    public static func rearm(
        code: String, step: String, policy: LinkedPolicy, leadWorkingDays: Int, actor: String,
        source: String, database: PostgresClient
    ) async throws -> Int {
        // The dossier's whole record decides whether it is still open, with the catalog in force.
        let catalog = CatalogSnapshot(try await CatalogStore(database: database).fetch())
        return try await database.withTransaction { connection -> Int in
            try DossierLocks.lock([code], on: connection)
            let (groups, dossiers) = try LinkedStore.load([code], catalog: catalog, on: connection)
            guard groups[code] != nil else {
                let recorded = try connection.execute("SELECT 1 FROM dossiers WHERE code = $1", [code]).first != nil
                throw Refusal(
                    description: recorded
                        ? "dossier \(code) has no linked group"
                        : "no dossier \(code) is recorded")
            }
            var work = LinkedWork(
                policy: policy, environment: LinkedEnvironment(now: Date()), groups: groups,
                dossiers: dossiers)
            let transition = try work.apply(
                .retry(step: step), to: code, source: source,
                eventId: "retry:\(UUID().uuidString.lowercased())", actor: actor)
            if let refused = transition?.refused { throw Refusal(description: refused) }
            try EffectWriter.write(
                Effects(work.effects), catalog: catalog, leadWorkingDays: leadWorkingDays,
                partnerTimeoutSeconds: policy.timeoutSeconds, on: connection)
            return work.groups[code]?.step(step)?.attempts ?? 0
        }
    }
}
