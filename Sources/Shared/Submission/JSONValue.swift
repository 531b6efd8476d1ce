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
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int.self) { self = .int(value) }
        else if let value = try? container.decode(Double.self) { self = .double(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    public subscript(_ key: String) -> JSONValue? {
        if case .object(let fields) = self { return fields[key] }
        return nil
    }
}

/// Reads typed fields out of a JSON object, collecting one `FieldError` per broken rule.
public struct FieldReader {
    public private(set) var errors: [FieldError] = []

    public init() {}

    public mutating func fail(_ field: String, _ message: String) { errors.append(FieldError(field, message)) }

    /// A present, non-null field, or nil (with an error when `required`).
    mutating func field(_ object: JSONValue?, _ key: String, at path: String, required: Bool) -> JSONValue? {
        let value = object?[key]
        if value == nil || value == .null {
            if required { fail(path, "is required") }
            return nil
        }
        return value
    }

    public mutating func string(_ object: JSONValue?, _ key: String, at path: String, required: Bool = true,
                                maxLength: Int = 500) -> String?
    {
        guard let value = field(object, key, at: path, required: required) else { return nil }
        guard case .string(let text) = value else {
            fail(path, "must be a string")
            return nil
        }
        if required && text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            fail(path, "must not be empty")
            return nil
        }
        if text.count > maxLength {
            fail(path, "must be at most \(maxLength) characters")
            return nil
        }
        return text
    }

    public mutating func int(_ object: JSONValue?, _ key: String, at path: String, required: Bool = true) -> Int? {
        guard let value = field(object, key, at: path, required: required) else { return nil }
        guard case .int(let number) = value else {
            fail(path, "must be an integer")
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

    public mutating func array(_ object: JSONValue?, _ key: String, at path: String, required: Bool = true)
        -> [JSONValue]?
    {
        guard let value = field(object, key, at: path, required: required) else { return nil }
        guard case .array(let items) = value else {
            fail(path, "must be an array")
            return nil
        }
        return items
    }

    /// A string that must be one of an enumeration's raw values.
    public mutating func choice<T: RawRepresentable & CaseIterable>(_ type: T.Type, _ object: JSONValue?,
                                                                    _ key: String, at path: String,
                                                                    required: Bool = true) -> T?
    where T.RawValue == String {
        guard let text = string(object, key, at: path, required: required) else { return nil }
        guard let value = T(rawValue: text) else {
            fail(path, "must be one of " + T.allCases.map(\.rawValue).joined(separator: ", "))
            return nil
        }
        return value
    }
}

import Foundation
