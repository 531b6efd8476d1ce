import Foundation
import Hummingbird
import Runtime

/// Signing in to the console: the API token is kept in an HttpOnly, SameSite=Strict cookie scoped to
/// `/console`, never in a URL. Forms carry an anti-forgery token that must equal the `motcua_csrf`
/// cookie (double submit), and a POST whose `Origin` names another site is refused as well.
enum ConsoleSession {
    static let tokenCookie = "motcua_console"
    static let csrfCookie = "motcua_csrf"

    /// The cookies of the request, by name.
    static func cookies(_ request: Request) -> [String: String] {
        var found: [String: String] = [:]
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { continue }
                let name = parts[0].trimmingCharacters(in: .whitespaces)
                if found[name] == nil { found[name] = parts[1].trimmingCharacters(in: .whitespaces) }
            }
        }
        return found
    }

    /// The signed-in token, if the cookie holds a known one.
    static func token(_ request: Request, authorizer: Authorizer) -> APIToken? {
        cookies(request)[tokenCookie].flatMap { authorizer.tokens[$0] }
    }

    /// The request's anti-forgery token, or a fresh one (to be set as a cookie with the page).
    static func csrf(_ request: Request) -> (value: String, isNew: Bool) {
        if let value = cookies(request)[csrfCookie], value.count == 64, value.allSatisfy(\.isHexDigit) {
            return (value, false)
        }
        var generator = SystemRandomNumberGenerator()
        let value = (0..<4).map { _ in String(generator.next(), radix: 16).leftPadded(to: 16) }.joined()
        return (value, true)
    }

    static func setCookie(_ name: String, _ value: String, maxAge: Int? = nil) -> String {
        var cookie = "\(name)=\(value); Path=/console; HttpOnly; SameSite=Strict"
        if let maxAge { cookie += "; Max-Age=\(maxAge)" }
        return cookie
    }

    /// Whether a POST may act: its form's `csrf` equals the cookie, and it did not come from another site.
    static func isGenuine(_ request: Request, form: [String: String]) -> Bool {
        guard let cookie = cookies(request)[csrfCookie], cookie.count == 64,
            let sent = form["csrf"], sent.utf8.count == cookie.utf8.count
        else { return false }
        // Compared in constant time.
        var difference: UInt8 = 0
        for (a, b) in zip(sent.utf8, cookie.utf8) { difference |= a ^ b }
        guard difference == 0 else { return false }
        if let origin = request.headers[.origin], let host = request.head.authority {
            let originHost = URLComponents(string: origin)?.host ?? ""
            let hostName = host.split(separator: ":").first.map(String.init) ?? host
            return originHost == hostName
        }
        return true
    }

    /// An `application/x-www-form-urlencoded` body, up to 64 KiB.
    static func form(_ request: Request) async throws -> [String: String] {
        let buffer = try await request.body.collect(upTo: 64 * 1024)
        return parseForm(String(buffer: buffer))
    }

    static func parseForm(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            let name = decode(parts[0])
            if fields[name] == nil { fields[name] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return fields
    }
}

extension String {
    func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
