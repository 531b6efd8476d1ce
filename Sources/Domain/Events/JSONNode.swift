/// A JSON value as `OrderedJSONEncoder` builds it: a reference, so that a nested container can fill it
/// after its parent took it in. An object keeps its members in the order they were encoded.
final class JSONNode {
    /// JSON text of a scalar (`null`, `true`, `12`, `"text"`), once one was written.
    private var scalar: String?
    private var items: [JSONNode]?
    private var members: [(key: String, node: JSONNode)]?

    /// Makes this node an array (keeping what an earlier container put in) and returns it.
    func array() -> JSONNode {
        if items == nil { (scalar, members, items) = (nil, nil, []) }
        return self
    }

    /// Makes this node an object (keeping what an earlier container put in) and returns it.
    func object() -> JSONNode {
        if members == nil { (scalar, items, members) = (nil, nil, []) }
        return self
    }

    func set(scalar text: String) { (scalar, items, members) = (text, nil, nil) }

    /// A new element at the end of this array.
    func append() -> JSONNode {
        let node = JSONNode()
        items!.append(node)
        return node
    }

    /// The member `key` of this object: a new one at the end, or the one already there (encoded again,
    /// it is replaced where it stands, as Foundation's encoder replaces it).
    func member(_ key: String) -> JSONNode {
        if let index = members!.firstIndex(where: { $0.key == key }) {
            let node = JSONNode()
            members![index].node = node
            return node
        }
        let node = JSONNode()
        members!.append((key, node))
        return node
    }

    /// Appends this value's JSON text, members in their order; two-space indentation and one member or
    /// element a line with `pretty`. A node nothing was written to is `{}`, as Foundation's encoder writes a
    /// value that encodes nothing.
    func write(to out: inout String, pretty: Bool, depth: Int = 0) {
        let newline = pretty ? "\n" + String(repeating: "  ", count: depth + 1) : ""
        let close = pretty ? "\n" + String(repeating: "  ", count: depth) : ""
        if let scalar {
            out += scalar
        } else if let items {
            guard !items.isEmpty else {
                out += "[]"
                return
            }
            out += "["
            for (index, item) in items.enumerated() {
                out += index == 0 ? newline : "," + newline
                item.write(to: &out, pretty: pretty, depth: depth + 1)
            }
            out += close + "]"
        } else {
            let members = self.members ?? []
            guard !members.isEmpty else {
                out += "{}"
                return
            }
            out += "{"
            for (index, member) in members.enumerated() {
                out += index == 0 ? newline : "," + newline
                out += JSONNode.quoted(member.key) + (pretty ? ": " : ":")
                member.node.write(to: &out, pretty: pretty, depth: depth + 1)
            }
            out += close + "}"
        }
    }

    /// `text` as a JSON string: quotes, backslashes and control characters escaped; slashes and every
    /// other character as they are (UTF-8).
    static func quoted(_ text: String) -> String {
        // Most text needs no escape: one pass over its bytes to find out.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) { return "\"" + text + "\"" }
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
        return out
    }
}
