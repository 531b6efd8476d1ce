import BlockingThreads
import Domain
import Foundation
import Runtime

#if canImport(Glibc)
    import Glibc
#endif

/// The e-mail channel: a small SMTP client (RFC 5321) over a plain socket, one session per message:
/// EHLO, AUTH PLAIN (or LOGIN) when the URL has credentials, MAIL FROM, RCPT TO, DATA, QUIT. The
/// message counts as accepted at the server's 250 after the data; a 4xx reply, a timeout or a lost
/// connection is transient, a 5xx reply final. Its blocking calls run on a thread of its own.
struct SMTPClient: Sendable {
    let endpoint: SMTPEndpoint
    let timeout: Double
    let thread: ConnectionThread

    func send(_ message: MailMessage) async -> SendOutcome {
        let endpoint = endpoint
        let timeout = timeout
        return await withCheckedContinuation { continuation in
            thread.run {
                var session = SMTPSocket(timeout: timeout)
                let outcome = session.deliver(message, endpoint: endpoint)
                session.close()
                continuation.resume(returning: outcome)
            }
        }
    }
}

/// One SMTP session on one socket; used by one thread only.
struct SMTPSocket {
    let timeout: Double
    private var descriptor: Int32 = -1
    private var buffer: [UInt8] = []

    init(timeout: Double) { self.timeout = timeout }

    struct Failure: Error {
        let outcome: SendOutcome
    }

    mutating func deliver(_ message: MailMessage, endpoint: SMTPEndpoint) -> SendOutcome {
        do {
            try connect(host: endpoint.host, port: endpoint.port)
            try expect(220, "greeting", try reply())
            let hello = try command("EHLO motcua", expect: 250, "EHLO")
            if let user = endpoint.username {
                try authenticate(user: user, password: endpoint.password ?? "", offered: hello.authMechanisms)
            }
            try command("MAIL FROM:<\(message.from)>", expect: 250, "MAIL FROM")
            let recipient = try command("RCPT TO:<\(message.to)>", expect: nil, "RCPT TO")
            guard recipient.code == 250 || recipient.code == 251 else {
                throw Failure(outcome: recipient.failure(during: "RCPT TO"))
            }
            try command("DATA", expect: 354, "DATA")
            try write(SMTPReply.dataSection(message.rendered))
            // From here on the server holds the message: its 250 is the acceptance.
            try expect(250, "end of data", try reply())
            _ = try? command("QUIT", expect: nil, "QUIT")
            return .accepted
        } catch let failure as Failure {
            return failure.outcome
        } catch {
            return .transient("SMTP server unreachable: \(error)")
        }
    }

    private mutating func authenticate(user: String, password: String, offered: Set<String>) throws {
        if offered.contains("PLAIN") || !offered.contains("LOGIN") {
            let token = Data("\0\(user)\0\(password)".utf8).base64EncodedString()
            try command("AUTH PLAIN \(token)", expect: 235, "AUTH PLAIN")
        } else {
            try command("AUTH LOGIN", expect: 334, "AUTH LOGIN")
            try command(Data(user.utf8).base64EncodedString(), expect: 334, "AUTH LOGIN user")
            try command(Data(password.utf8).base64EncodedString(), expect: 235, "AUTH LOGIN password")
        }
    }

    @discardableResult
    private mutating func command(_ line: String, expect code: Int?, _ step: String) throws -> SMTPReply {
        try write(line + "\r\n")
        let answer = try reply()
        if let code { try expect(code, step, answer) }
        return answer
    }

    private func expect(_ code: Int, _ step: String, _ reply: SMTPReply) throws {
        guard reply.code == code else { throw Failure(outcome: reply.failure(during: step)) }
    }

    private mutating func reply() throws -> SMTPReply {
        var lines: [String] = []
        while true {
            let line = try readLine()
            guard let parsed = SMTPReply.parseLine(line) else {
                throw Failure(outcome: .transient("SMTP: a malformed reply"))
            }
            lines.append(parsed.text)
            if parsed.last { return SMTPReply(code: parsed.code, lines: lines) }
        }
    }

    private mutating func readLine() throws -> String {
        while true {
            if let end = buffer.firstIndex(of: 0x0A) {
                let line = buffer[..<end].filter { $0 != 0x0D }
                buffer.removeSubrange(...end)
                return String(decoding: line, as: UTF8.self)
            }
            guard buffer.count < 64 * 1024 else { throw Failure(outcome: .transient("SMTP: a reply line too long")) }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            guard count > 0 else {
                throw Failure(
                    outcome: .transient(count == 0 ? "SMTP: connection closed" : "SMTP: read failed or timed out"))
            }
            buffer += chunk[..<count]
        }
    }

    private func write(_ text: String) throws {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let sent = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw Failure(outcome: .transient("SMTP: write failed or timed out")) }
            bytes = bytes.dropFirst(sent)
        }
    }

    private mutating func connect(host: String, port: Int) throws {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &result) == 0, let first = result else {
            throw Failure(outcome: .transient("SMTP: cannot resolve the server's host"))
        }
        defer { freeaddrinfo(result) }
        var seconds = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1_000_000))
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let address = entry {
            let fd = socket(address.pointee.ai_family, address.pointee.ai_socktype, address.pointee.ai_protocol)
            if fd >= 0 {
                // Every blocking call on it, connect included, gives up after the send timeout.
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &seconds, socklen_t(MemoryLayout<timeval>.size))
                setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &seconds, socklen_t(MemoryLayout<timeval>.size))
                if Glibc.connect(fd, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 {
                    descriptor = fd
                    return
                }
                Glibc.close(fd)
            }
            entry = address.pointee.ai_next
        }
        throw Failure(outcome: .transient("SMTP: cannot connect to the server"))
    }

    mutating func close() {
        if descriptor >= 0 { Glibc.close(descriptor) }
        descriptor = -1
    }
}
