import Foundation

/// An e-mail as the SMTP client sends it after `DATA` (RFC 5322): UTF-8 text, base64 in lines of 76, the
/// subject and the sender's name RFC 2047-encoded, and a `Message-ID` made from the notification's
/// reference, so the same notification sent twice carries the same id (mail clients that deduplicate on
/// it show one). Pure: the date is given.
public struct MailMessage: Sendable, Equatable {
    public var from: String
    public var fromName: String
    public var to: String
    public var subject: String
    public var body: String
    public var reference: String
    public var date: Date

    public init(
        from: String, fromName: String, to: String, subject: String, body: String, reference: String, date: Date
    ) {
        self.from = from
        self.fromName = fromName
        self.to = to
        self.subject = subject
        self.body = body
        self.reference = reference
        self.date = date
    }

    /// `<reference@domain>` with the reference's characters that RFC 5322 forbids in an id replaced.
    public var messageId: String {
        let local = reference.unicodeScalars.map { scalar -> String in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "-._".unicodeScalars.contains(scalar))
                ? String(scalar) : "="
        }.joined()
        let domain = from.split(separator: "@").last.map(String.init) ?? "motcua.invalid"
        return "<\(local)@\(domain)>"
    }

    /// The message with CRLF line ends, ready for `DATA` (dot-stuffing is the transport's).
    public var rendered: String {
        let headers = [
            "From: \(Self.encodedWord(fromName)) <\(from)>",
            "To: <\(to)>",
            "Subject: \(Self.encodedWord(subject))",
            "Date: \(Self.rfc5322Date(date))",
            "Message-ID: \(messageId)",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: base64",
            "Auto-Submitted: auto-generated",
        ]
        let encoded = Data(body.utf8).base64EncodedString(options: [
            .lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed,
        ])
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + encoded + "\r\n"
    }

    /// RFC 2047 `=?UTF-8?B?…?=` words of at most 75 characters each, split between whole characters;
    /// plain ASCII text as it is.
    public static func encodedWord(_ text: String) -> String {
        if text.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 && $0 != "=" && $0 != "?" }) { return text }
        // 45 bytes of UTF-8 become 60 characters of base64, + 12 for the markers: under 75.
        var words: [String] = []
        var chunk = Data()
        for character in text {
            let bytes = Data(String(character).utf8)
            if chunk.count + bytes.count > 45 {
                words.append("=?UTF-8?B?\(chunk.base64EncodedString())?=")
                chunk = Data()
            }
            chunk.append(bytes)
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(chunk.base64EncodedString())?=") }
        return words.joined(separator: "\r\n ")
    }

    /// "Mon, 07 Dec 2026 23:59:00 +0700".
    static func rfc5322Date(_ date: Date) -> String {
        let (day, seconds) = VietnamTime.local(date)
        let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        // 1970-01-01 (UTC+7 local) was a Thursday.
        let local = date.addingTimeInterval(7 * 3600).timeIntervalSince1970
        let weekday = (Int((local / 86_400).rounded(.down)) % 7 + 7 + 3) % 7
        return "\(days[weekday]), \(two(day.day)) \(months[day.month - 1]) \(day.year) "
            + "\(two(seconds / 3600)):\(two(seconds % 3600 / 60)):\(two(seconds % 60)) +0700"
    }
}
