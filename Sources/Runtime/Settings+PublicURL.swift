import Foundation

extension Settings {
    /// `MOTCUA_PUBLIC_URL`: an http(s) URL with a host, and a path at most (no query, no fragment), without
    /// its trailing slash; nil when unset.
    public static func publicURL(_ text: String?) throws -> String? {
        guard let text else { return nil }
        let trimmed = text.hasSuffix("/") ? String(text.dropLast()) : text
        guard let url = URLComponents(string: trimmed), url.scheme == "http" || url.scheme == "https",
            url.host?.isEmpty == false, url.query == nil, url.fragment == nil, url.user == nil
        else {
            throw Problem(
                variable: "MOTCUA_PUBLIC_URL",
                rule: "must be the http(s) address citizens reach intake at, e.g. https://motcua.example.vn, "
                    + "without a query")
        }
        return trimmed
    }
}
