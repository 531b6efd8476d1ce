import Foundation

/// The project's JSON conventions: camelCase keys, times as RFC 3339 with the +07:00 offset.
public enum JSONCoding {
    public static func encoder(sortedKeys: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(VietnamTime.rfc3339(date))
        }
        encoder.outputFormatting = sortedKeys ? [.sortedKeys, .withoutEscapingSlashes] : [.withoutEscapingSlashes]
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

    public static func encode<T: Encodable>(_ value: T, sortedKeys: Bool = false) throws -> Data {
        try encoder(sortedKeys: sortedKeys).encode(value)
    }

    public static func encodeString<T: Encodable>(_ value: T, sortedKeys: Bool = false) throws -> String {
        String(decoding: try encode(value, sortedKeys: sortedKeys), as: UTF8.self)
    }

    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try decoder().decode(type, from: data)
    }

    public static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try decoder().decode(type, from: Data(text.utf8))
    }
}
