/// The current file of each component and of the result (DOMAIN.md §7), without I/O: a second record
/// for the same target replaces the first; the same file again changes nothing.
public struct DigitizedFiles: Sendable, Equatable {
    /// Which file a record is about: a dossier's component by name, or its result.
    public struct Key: Hashable, Sendable {
        public let dossierCode: String
        public let target: DigitizationRecord.Target
        public let name: String

        public init(dossierCode: String, target: DigitizationRecord.Target, name: String) {
            self.dossierCode = dossierCode
            self.target = target
            self.name = name
        }
    }

    public enum Change: Sendable, Equatable {
        case digitized
        case replaced
        /// The very file recorded already (a client's retry after an uncertain answer).
        case unchanged
    }

    public private(set) var current: [Key: DigitizationRecord]
    /// The keys whose file changed since `init`, in the order they first changed.
    public private(set) var changed: [Key] = []

    public init(_ current: [Key: DigitizationRecord] = [:]) { self.current = current }

    public mutating func record(_ record: DigitizationRecord) -> Change {
        let key = record.key
        let before = current[key]
        guard before != record else { return .unchanged }
        if !changed.contains(key) { changed.append(key) }
        current[key] = record
        return before == nil ? .digitized : .replaced
    }

    /// The files to write: the last record of each changed key.
    public var toWrite: [DigitizationRecord] { changed.compactMap { current[$0] } }

    /// A dossier's components with the recorded files laid over them (a file for a component the
    /// submission did not list is added), and the result's file.
    public static func merge(components: [Component], result: FileView?, files: [DigitizationRecord])
        -> (components: [Component], result: FileView?)
    {
        var components = components
        var result = result
        for file in files {
            let view = FileView(sha256: file.sha256, bytes: file.bytes, mediaType: file.mediaType, signed: file.signed)
            if file.target == .result {
                result = view
                continue
            }
            let component = Component(
                name: file.name, digitized: true, sha256: view.sha256, bytes: view.bytes,
                mediaType: view.mediaType, signed: view.signed, reused: file.reused)
            if let i = components.firstIndex(where: { $0.name == component.name }) {
                components[i] = component
            } else {
                components.append(component)
            }
        }
        return (components, result)
    }
}

extension DigitizationRecord {
    public var key: DigitizedFiles.Key { DigitizedFiles.Key(dossierCode: dossierCode, target: target, name: name) }
}
