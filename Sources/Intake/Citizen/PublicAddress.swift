import Hummingbird
import Runtime

/// Where citizens reach intake, for the links a page prints (the receipt's QR code): `MOTCUA_PUBLIC_URL`
/// when set, else the address this request came to (its Host, over https when a trusted proxy says so).
enum PublicAddress {
    static func base(_ request: Request, context: IntakeContext, settings: Settings) -> String {
        if let configured = settings.publicURL { return configured }
        let https = SecureCookies.overHTTPS(
            request, peer: context.remoteAddress?.ipAddress, trusted: settings.trustedProxies)
        let host = request.head.authority.flatMap { isPlainHost($0) ? $0 : nil } ?? "127.0.0.1:\(settings.httpPort)"
        return (https ? "https://" : "http://") + host
    }

    /// A host and port as a browser sends them: letters, digits, dots, dashes, a colon, IPv6 brackets.
    static func isPlainHost(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 255
            && text.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                    || ".-:[]".unicodeScalars.contains($0)
            }
    }
}
