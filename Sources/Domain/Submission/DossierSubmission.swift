import Foundation

/// A `POST /v1/dossiers` body that passed every rule of CONTRACT.md and DOMAIN.md.
public struct DossierSubmission: Sendable, Equatable {
    public var procedureCode: String
    public var unitCode: String
    public var channel: Channel
    public var onlineLevel: OnlineLevel?
    public var applicant: Applicant
    public var components: [Component]
    /// nil when the body left it out (intake uses the moment of receipt).
    public var receivedAt: Date?
    public var idempotencyKey: String?
    public var linkedGroup: LinkedGroupChoice?
    /// The unit of the same province that handles it, when it is not the receiving unit (DOMAIN.md §11).
    public var handlingUnit: String?

    /// The request as compared for idempotency: the same key with an equal request answers the same code.
    public var canonicalJSON: String {
        let body = CanonicalBody(
            procedureCode: procedureCode, unitCode: unitCode, channel: channel,
            onlineLevel: onlineLevel, applicant: applicant, components: components,
            receivedAt: receivedAt, linkedGroup: linkedGroup, handlingUnit: handlingUnit)
        return (try? JSONCoding.encodeString(body, sortedKeys: true)) ?? "{}"
    }

    private struct CanonicalBody: Encodable {
        var procedureCode: String
        var unitCode: String
        var channel: Channel
        var onlineLevel: OnlineLevel?
        var applicant: Applicant
        var components: [Component]
        var receivedAt: Date?
        var linkedGroup: LinkedGroupChoice?
        var handlingUnit: String?
    }
}
