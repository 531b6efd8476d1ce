import Foundation

/// Any JSON document, kept with its types so validation can say "must be a string" for one field
/// instead of refusing the whole body as unreadable.
public enum JSONValue: Decodable, Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public subscript(_ key: String) -> JSONValue? {
        if case .object(let fields) = self { return fields[key] }
        return nil
    }
}

/// Reads typed fields out of a JSON object, collecting one `FieldError` per broken rule.
public struct FieldReader {
    /// At most this many reasons are listed: a body of half a million bad entries must not answer
    /// with megabytes of error text.
    public static let maxErrors = 50
    public private(set) var errors: [FieldError] = []
    /// Reasons past `maxErrors`, counted but not listed.
    public private(set) var unlisted = 0

    public init() {}

    public mutating func fail(_ field: String, _ message: String) {
        guard errors.count < Self.maxErrors else {
            unlisted += 1
            return
        }
        errors.append(FieldError(field, message))
    }

    /// Whether no rule was broken so far.
    public var isClean: Bool { errors.isEmpty }

    /// Every reason, with a last line saying how many more were not listed.
    public var failure: ValidationFailure {
        ValidationFailure(
            unlisted == 0 ? errors : errors + [FieldError("(body)", "\(unlisted) more errors not listed")])
    }

    /// A present, non-null field, or nil (with an error when `required`).
    mutating func field(_ object: JSONValue?, _ key: String, at path: String, required: Bool) -> JSONValue? {
        let value = object?[key]
        if value == nil || value == .null {
            if required { fail(path, "is required") }
            return nil
        }
        return value
    }

    /// A string field. Control characters are refused (PostgreSQL refuses NUL, and none of them belongs in
    /// a name, a code or a key); `lineBreaks` lets free text keep tabs and line breaks.
    public mutating func string(
        _ object: JSONValue?, _ key: String, at path: String, required: Bool = true,
        maxLength: Int = 500, lineBreaks: Bool = false
    ) -> String? {
        guard let value = field(object, key, at: path, required: required) else { return nil }
        guard case .string(let text) = value else {
            fail(path, "must be a string")
            return nil
        }
        // Blank: every scalar white space. It stops at the first that is not (the first, nearly always), where
        // `trimmingCharacters(in:)` built a trimmed copy of every string: 4 % of intake's CPU under load.
        if required && text.unicodeScalars.allSatisfy(CharacterSet.whitespacesAndNewlines.contains) {
            fail(path, "must not be empty")
            return nil
        }
        // Counted in code points, as JSON Schema's maxLength counts (a letter and its combining accent are two).
        if text.unicodeScalars.count > maxLength {
            fail(path, "must be at most \(maxLength) characters")
            return nil
        }
        if TextRules.hasControlCharacter(text, allowingLineBreaks: lineBreaks) {
            fail(
                path,
                lineBreaks
                    ? "must not contain control characters other than tab and line breaks"
                    : "must not contain control characters")
            return nil
        }
        return text
    }

    /// An integer field within `range` (every count and amount has a ceiling, so sums never overflow).
    public mutating func int(
        _ object: JSONValue?, _ key: String, at path: String, required: Bool = true,
        range: ClosedRange<Int>
    ) -> Int? {
        guard let value = field(object, key, at: path, required: required) else { return nil }
        guard case .int(let number) = value else {
            fail(path, "must be an integer")
            return nil
        }
        guard range.contains(number) else {
            fail(path, "must be from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return number
    }

    public mutating func bool(_ object: JSONValue?, _ key: String, at path: String, required: Bool = true) -> Bool? {
        guard let value = field(object, key, at: path, required: required) else { return nil }
        guard case .bool(let flag) = value else {
            fail(path, "must be true or false")
            return nil
        }
        return flag
    }

    public mutating func object(_ object: JSONValue?, _ key: String, at path: String, required: Bool = true)
        -> JSONValue?
    {
        guard let value = field(object, key, at: path, required: required) else { return nil }
        guard case .object = value else {
            fail(path, "must be an object")
            return nil
        }
        return value
    }

    public mutating func array(
        _ object: JSONValue?, _ key: String, at path: String, required: Bool = true,
        maxItems: Int
    ) -> [JSONValue]? {
        guard let value = field(object, key, at: path, required: required) else { return nil }
        guard case .array(let items) = value else {
            fail(path, "must be an array")
            return nil
        }
        // Past its limit a list is refused as a whole, not entry by entry.
        guard items.count <= maxItems else {
            fail(path, "must have at most \(maxItems) entries")
            return nil
        }
        return items
    }

    /// A string that must be one of an enumeration's raw values.
    public mutating func choice<T: RawRepresentable & CaseIterable>(
        _ type: T.Type, _ object: JSONValue?,
        _ key: String, at path: String,
        required: Bool = true
    ) -> T?
    where T.RawValue == String {
        guard let text = string(object, key, at: path, required: required) else { return nil }
        guard let value = T(rawValue: text) else {
            fail(path, "must be one of " + T.allCases.map(\.rawValue).joined(separator: ", "))
            return nil
        }
        return value
    }
}
