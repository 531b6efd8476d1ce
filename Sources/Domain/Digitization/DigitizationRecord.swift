import Foundation

/// `dossier.digitized`: a file recorded for a component or for the result (DOMAIN.md §7).
public struct DigitizationRecord: Codable, Sendable, Equatable {
    public enum Target: String, Codable, Sendable, CaseIterable { case component, result }

    public var dossierCode: String
    public var target: Target
    /// The component's name; "result" for the result.
    public var name: String
    public var sha256: String
    public var bytes: Int
    public var mediaType: String
    public var signed: Bool
    public var reused: Bool

    public init(
        dossierCode: String, target: Target, name: String, sha256: String, bytes: Int, mediaType: String,
        signed: Bool, reused: Bool
    ) {
        self.dossierCode = dossierCode
        self.target = target
        self.name = name
        self.sha256 = sha256
        self.bytes = bytes
        self.mediaType = mediaType
        self.signed = signed
        self.reused = reused
    }
}
