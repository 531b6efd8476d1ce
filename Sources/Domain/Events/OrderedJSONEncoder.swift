import Foundation

/// Writes JSON whose object members come in the order a type encodes them: for synthesized `Encodable`,
/// the order its properties are declared in, which for the views is CONTRACT.md's order. Foundation's
/// `JSONEncoder` on Linux keeps members in a `Dictionary` and writes them in its iteration order, which
/// changes from one process to the next; a `[String: …]` dictionary here is written sorted by key.
/// Dates are RFC 3339 with the +07:00 offset (`VietnamTime`), as everywhere in the project.
public struct OrderedJSONEncoder: Sendable {
    /// Two-space indentation, one member or element a line.
    public var pretty: Bool

    public init(pretty: Bool = false) { self.pretty = pretty }

    public func encode<T: Encodable>(_ value: T) throws -> Data { Data(try encodeString(value).utf8) }

    public func encodeString<T: Encodable>(_ value: T) throws -> String {
        let root = JSONNode()
        try NodeEncoder(node: root, path: nil).box(value)
        var out = ""
        root.write(to: &out, pretty: pretty)
        return out
    }
}

/// Marks `[String: Value]`, written with its keys sorted: a dictionary has no order of its own to keep.
private protocol StringKeyedDictionary {
    func sortedEntries() -> [(key: String, value: any Encodable)]
}

extension Dictionary: StringKeyedDictionary where Key == String, Value: Encodable {
    fileprivate func sortedEntries() -> [(key: String, value: any Encodable)] {
        sorted { $0.key < $1.key }.map { ($0.key, $0.value as any Encodable) }
    }
}

/// The `Encoder` behind `OrderedJSONEncoder`: each value writes into the node it was given.
struct NodeEncoder: Encoder {
    let node: JSONNode
    /// The keys to here, built only when asked for (an error, a type that looks): most values never ask.
    private let path: CodingPath?

    init(node: JSONNode, path: CodingPath?) {
        self.node = node
        self.path = path
    }

    var codingPath: [any CodingKey] { path?.keys ?? [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// The encoder of a member or element `key` of this value.
    func child(_ node: JSONNode, _ key: any CodingKey) -> NodeEncoder {
        NodeEncoder(node: node, path: CodingPath(key: key, parent: path))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(KeyedNodeContainer<Key>(encoder: NodeEncoder(node: node.object(), path: path)))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        UnkeyedNodeContainer(encoder: NodeEncoder(node: node.array(), path: path))
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    /// Writes `value` into this node: the project's conventions for dates, sorted keys for dictionaries,
    /// otherwise whatever the value's own `encode(to:)` does.
    func box<T: Encodable>(_ value: T) throws {
        // Metatype comparisons first: cheaper than a dynamic cast for every value.
        if T.self == Date.self {
            node.set(scalar: JSONNode.quoted(VietnamTime.rfc3339(value as! Date)))
        } else if T.self == URL.self {
            node.set(scalar: JSONNode.quoted((value as! URL).absoluteString))
        } else if T.self == Decimal.self {
            node.set(scalar: (value as! Decimal).description)
        } else if let dictionary = value as? any StringKeyedDictionary {
            let object = node.object()
            for (key, entry) in dictionary.sortedEntries() {
                try child(object.member(key), JSONKey(key)).box(entry)
            }
        } else {
            try value.encode(to: self)
        }
    }

    /// A finite number as Foundation writes it: `2` for 2.0, the shortest exact digits otherwise.
    static func number<F: BinaryFloatingPoint & LosslessStringConvertible>(_ value: F, path: [any CodingKey]) throws
        -> String
    {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: path, debugDescription: "not a finite number"))
        }
        let text = value.description
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }
}

extension NodeEncoder: SingleValueEncodingContainer {
    func encodeNil() throws { node.set(scalar: "null") }
    func encode(_ value: Bool) throws { node.set(scalar: value ? "true" : "false") }
    func encode(_ value: String) throws { node.set(scalar: JSONNode.quoted(value)) }
    func encode(_ value: Double) throws { node.set(scalar: try Self.number(value, path: codingPath)) }
    func encode(_ value: Float) throws { node.set(scalar: try Self.number(value, path: codingPath)) }
    func encode(_ value: Int) throws { node.set(scalar: String(value)) }
    func encode(_ value: Int8) throws { node.set(scalar: String(value)) }
    func encode(_ value: Int16) throws { node.set(scalar: String(value)) }
    func encode(_ value: Int32) throws { node.set(scalar: String(value)) }
    func encode(_ value: Int64) throws { node.set(scalar: String(value)) }
    func encode(_ value: UInt) throws { node.set(scalar: String(value)) }
    func encode(_ value: UInt8) throws { node.set(scalar: String(value)) }
    func encode(_ value: UInt16) throws { node.set(scalar: String(value)) }
    func encode(_ value: UInt32) throws { node.set(scalar: String(value)) }
    func encode(_ value: UInt64) throws { node.set(scalar: String(value)) }
    func encode<T: Encodable>(_ value: T) throws { try box(value) }
}

/// The keys from the root to a value, child to parent.
final class CodingPath {
    let key: any CodingKey
    let parent: CodingPath?

    init(key: any CodingKey, parent: CodingPath?) {
        self.key = key
        self.parent = parent
    }

    var keys: [any CodingKey] { (parent?.keys ?? []) + [key] }
}

/// A key of a dictionary or of `superEncoder`.
struct JSONKey: CodingKey {
    let stringValue: String
    let intValue: Int?
    init(_ string: String) { (stringValue, intValue) = (string, nil) }
    init(stringValue: String) { self.init(stringValue) }
    init(intValue: Int) { (stringValue, self.intValue) = (String(intValue), intValue) }
}
