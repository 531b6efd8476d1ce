import Domain
import Fixtures
import Foundation
import Testing

/// `JSONParser` gives Foundation's answers (`JSONDecoder` into `JSONValue`, what intake used before), for
/// chosen documents and for random ones and their random corruptions.
struct JSONParserTests {
    static func foundation(_ text: String) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    static func parsed(_ text: String) -> JSONValue? { try? JSONParser.parse(text) }

    @Test(arguments: [
        #"{"a": 1, "b": [true, false, null], "c": {"d": "e"}}"#, #"{}"#, #"[]"#, #" [ 1 , 2 ] "#, "0", "-0", "5.0",
        "1e2", "1.5", "-12.25e-3", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
        "12345678901234567890123", "1e400", "1E+2", #""Bình Phước""#, #""\u00e0\u1ea1\ud83d\ude00""#,
        #""a\"b\\c\/d\b\f\n\r\t""#, #"{"a": 1, "a": 2}"#, "\u{FEFF}{}", "[1,]", "{\"a\":1,}", "01", "-", "1.",
        ".5", "1e", "+1", "NaN", "Infinity", "tru", "nul", "[", "{", #"{"a"}"#, #"{"a":}"#, #"{1: 2}"#,
        #""\ud800""#, #""\udc00""#, #""\ud800\u0041""#, #""\x""#, #""\u12""#, "\"a\u{01}b\"", "[1 2]", "{} {}",
        "", " ", "\"unterminated", #"{"a":"b"]"#, "[[[[]]]]", #"{"x": -1.0}"#, "[1,,]", "[,]", "{,}", "[1,]]",
        #"{"a":1,,}"#, " [ 1 , ] ",
    ])
    func givesFoundationsAnswer(_ text: String) {
        #expect(Self.parsed(text) == Self.foundation(text), "\(text)")
    }

    @Test func refusesInvalidUTF8() throws {
        for bytes: [UInt8] in [[0x22, 0xFF, 0x22], [0x22, 0xC3, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22]] {
            let parsed = bytes.withUnsafeBytes { try? JSONParser.parse($0) }
            #expect(parsed == nil)
            #expect((try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))) == nil)
        }
    }

    @Test func refusesNestingDeeperThanTheLimitAndReadsItsLimit() {
        let deep =
            String(repeating: "[", count: JSONParser.maxDepth + 1)
            + String(repeating: "]", count: JSONParser.maxDepth + 1)
        #expect(Self.parsed(deep) == nil)
        let limit =
            String(repeating: "[", count: JSONParser.maxDepth) + String(repeating: "]", count: JSONParser.maxDepth)
        #expect(Self.parsed(limit) != nil)
    }

    @Test func namesWhereTheDocumentBroke() {
        #expect(
            performing: { try JSONParser.parse(#"{"a":1 "b":2}"#) },
            throws: { ($0 as? JSONParser.Failure)?.description == "expected ',' or '}' at byte 7" })
    }

    /// Random documents, printed by `JSONSerialization`, then with bytes dropped, doubled or changed: both
    /// parsers accept the same ones and read the same values.
    @Test func agreesWithFoundationOnRandomDocumentsAndTheirCorruptions() {
        var random = SeededGenerator(seed: 22)
        let pieces = Array(#"{}[],:"\0123456789.eE+-tfnul aé\u"#.utf8)
        for round in 0..<2000 {
            let document = Self.randomValue(depth: 0, using: &random)
            guard let data = try? JSONSerialization.data(withJSONObject: document, options: [.fragmentsAllowed])
            else { continue }
            var bytes = [UInt8](data)
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(Self.parsed(text) != nil && Self.parsed(text) == Self.foundation(text), "round \(round): \(text)")
            for _ in 0..<Int.random(in: 1...3, using: &random) where !bytes.isEmpty {
                let at = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes.remove(at: at)
                case 1: bytes.insert(bytes[at], at: at)
                default: bytes[at] = pieces.randomElement(using: &random)!
                }
            }
            let corrupt = bytes.withUnsafeBytes { try? JSONParser.parse($0) }
            let expected = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))
            #expect(corrupt == expected, "round \(round): \(String(decoding: bytes, as: UTF8.self))")
        }
    }

    static func randomValue(depth: Int, using random: inout SeededGenerator) -> Any {
        switch Int.random(in: 0..<(depth < 4 ? 8 : 6), using: &random) {
        case 0: return NSNull()
        case 1: return Bool.random(using: &random)
        case 2: return Int.random(in: -1_000_000...1_000_000, using: &random)
        case 3: return Double.random(in: -1e6...1e6, using: &random)
        case 4, 5:
            let alphabet = Array("abc xyzàạớ\"\\/\n\t\u{1}😀")
            return String(
                (0..<Int.random(in: 0...8, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
        case 6:
            return (0..<Int.random(in: 0...4, using: &random)).map { _ in randomValue(depth: depth + 1, using: &random)
            }
        default:
            var object: [String: Any] = [:]
            for i in 0..<Int.random(in: 0...4, using: &random) {
                object["k\(i)\(Bool.random(using: &random) ? "é" : "")"] = randomValue(depth: depth + 1, using: &random)
            }
            return object
        }
    }
}
