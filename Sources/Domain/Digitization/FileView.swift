/// A digitized file as a dossier's view shows it: the result, or (with its name) a component.
public struct FileView: Codable, Sendable, Equatable {
    public var sha256: String
    public var bytes: Int
    public var mediaType: String
    public var signed: Bool

    public init(sha256: String, bytes: Int, mediaType: String, signed: Bool) {
        self.sha256 = sha256
        self.bytes = bytes
        self.mediaType = mediaType
        self.signed = signed
    }
}
