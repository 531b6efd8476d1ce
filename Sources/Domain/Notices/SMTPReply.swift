import Foundation

/// An SMTP server's reply (RFC 5321 §4.2): a three-digit code on every line, `-` after it on each line
/// but the last. Pure, so the client's reading of replies is tested without a server.
public struct SMTPReply: Sendable, Equatable {
    public let code: Int
    public let lines: [String]

    public init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines
    }

    /// Whether `line` (without CRLF) is the last line of a reply, and its code; nil when malformed.
    public static func parseLine(_ line: String) -> (code: Int, last: Bool, text: String)? {
        let scalars = Array(line.unicodeScalars)
        guard scalars.count >= 3, let code = Int(String(String.UnicodeScalarView(scalars[0..<3]))),
            (200...599).contains(code)
        else { return nil }
        if scalars.count == 3 { return (code, true, "") }
        guard scalars[3] == " " || scalars[3] == "-" else { return nil }
        return (code, scalars[3] == " ", String(String.UnicodeScalarView(scalars[4...])))
    }

    /// The AUTH mechanisms an EHLO reply offers (`250-AUTH PLAIN LOGIN`).
    public var authMechanisms: Set<String> {
        var found: Set<String> = []
        for line in lines {
            let words = line.uppercased().split(separator: " ").map(String.init)
            if words.first == "AUTH" || words.first?.hasPrefix("AUTH=") == true {
                found.formUnion(words.dropFirst())
                if let first = words.first, first.hasPrefix("AUTH=") { found.insert(String(first.dropFirst(5))) }
            }
        }
        return found
    }

    /// A transient failure (4xx) or a permanent one (5xx), as the outcome of a send.
    public func failure(during step: String) -> SendOutcome {
        let detail = "SMTP \(step): \(code) \(lines.joined(separator: " ").prefix(200))"
        return code >= 500 ? .refused(detail) : .transient(detail)
    }

    /// The message body made safe for `DATA`: CRLF line ends, a leading dot doubled, and the final
    /// `CRLF . CRLF`.
    public static func dataSection(_ message: String) -> String {
        let lines = message.replacingOccurrences(of: "\r\n", with: "\n").split(
            separator: "\n", omittingEmptySubsequences: false)
        var body = lines.map { $0.hasPrefix(".") ? "." + $0 : String($0) }
        if body.last == "" { body.removeLast() }
        return body.joined(separator: "\r\n") + "\r\n.\r\n"
    }
}
