import Domain
import Foundation
import PostgresDriver

/// How to reach an applicant, read from their dossier for the notifier. Only the name, the phone and the
/// e-mail are selected: the personal ID in the same record never leaves the database this way.
public enum CitizenContacts {
    public struct Contact: Sendable, Equatable {
        public let fullName: String
        public let phone: String?
        public let email: String?
    }

    /// The contacts of the recorded dossiers among `codes`, in ONE statement.
    public static func load(_ codes: [String], on connection: PostgresConnection) throws -> [String: Contact] {
        guard !codes.isEmpty else { return [:] }
        var found: [String: Contact] = [:]
        for row in try connection.execute(
            """
            SELECT code, applicant ->> 'fullName' AS full_name, applicant ->> 'phone' AS phone,
                   applicant ->> 'email' AS email
            FROM dossiers WHERE code = ANY($1::text[])
            """, [PostgresArray.literal(Array(Set(codes)))]
        ).rows {
            func text(_ column: String) -> String? {
                row[column].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
            }
            found[try row.string("code")] = Contact(
                fullName: text("full_name") ?? "", phone: text("phone"), email: text("email"))
        }
        return found
    }
}
