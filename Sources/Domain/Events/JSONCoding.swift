import Foundation

/// The project's JSON conventions: camelCase keys, times as RFC 3339 with the +07:00 offset, and members
/// in a stable order: the order a type declares them in (`OrderedJSONEncoder`; for the views and alerts,
/// CONTRACT.md's order), or sorted by key where a canonical form is compared (`sortedKeys`).
public enum JSONCoding {
    /// Foundation's encoder with sorted keys, for the canonical forms stored and compared byte for byte
    /// (idempotency fingerprints): they keep the bytes they always had. Without `sortedKeys`, use `encode`.
    static func sortedEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(VietnamTime.rfc3339(date))
        }
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = Timestamp.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an RFC 3339 time")
            }
            return date
        }
        return decoder
    }

    /// - Parameter pretty: two-space indentation, one member a line (for people, e.g. `--format json`).
    public static func encode<T: Encodable>(_ value: T, sortedKeys: Bool = false, pretty: Bool = false) throws -> Data {
        if sortedKeys {
            let encoder = sortedEncoder()
            if pretty { encoder.outputFormatting.insert(.prettyPrinted) }
            return try encoder.encode(value)
        }
        return try OrderedJSONEncoder(pretty: pretty).encode(value)
    }

    public static func encodeString<T: Encodable>(_ value: T, sortedKeys: Bool = false, pretty: Bool = false) throws
        -> String
    {
        sortedKeys
            ? String(decoding: try encode(value, sortedKeys: true, pretty: pretty), as: UTF8.self)
            : try OrderedJSONEncoder(pretty: pretty).encodeString(value)
    }

    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try decoder().decode(type, from: data)
    }

    public static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try decoder().decode(type, from: Data(text.utf8))
    }
}
