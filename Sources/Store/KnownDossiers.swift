import Foundation
import PostgresDriver

/// A dossier a message refers to, as far as the workers need to know it.
public struct KnownDossier: Sendable, Equatable {
    public let unitCode: String
    public let procedureCode: String
    /// In the read model already; false when only intake issued it (its `dossier.received` is on the way).
    public let recorded: Bool

    public init(unitCode: String, procedureCode: String, recorded: Bool) {
        self.unitCode = unitCode
        self.procedureCode = procedureCode
        self.recorded = recorded
    }
}

public typealias KnownDossiers = [String: KnownDossier]

public enum DossierPresence {
    /// The dossiers of `codes` that are recorded or issued: ONE statement for the batch.
    public static func load(_ codes: [String], on connection: PostgresConnection) throws -> KnownDossiers {
        guard !codes.isEmpty else { return [:] }
        var known: KnownDossiers = [:]
        for row in try connection.execute(
            """
            SELECT code, unit_code, procedure_code, true AS recorded FROM dossiers WHERE code = ANY($1::text[])
            UNION ALL
            SELECT code, unit_code, procedure_code, false FROM issued_dossiers WHERE code = ANY($1::text[])
            """, [PostgresArray.literal(Set(codes).sorted())]
        ).rows {
            let code = try row.string("code")
            let dossier = KnownDossier(
                unitCode: try row.string("unit_code"),
                procedureCode: try row.string("procedure_code"), recorded: try row.bool("recorded"))
            if known[code]?.recorded != true { known[code] = dossier }
        }
        return known
    }
}
