#if canImport(Glibc)
    import Glibc
#endif

/// The address a citizen's request came from, as a rate-limit key.
///
/// `X-Forwarded-For` is believed only when the peer is one of the trusted proxies, and then read
/// from the right, skipping trusted hops, so a client cannot choose its own key by sending the header.
/// IPv6 clients are keyed by their /64: one subscriber line holds a whole /64.
public enum ClientAddress {
    public static func key(peer: String?, forwardedFor: String?, trusted: [IPNetwork]) -> String {
        guard let peer, let peerAddress = IPAddress(peer) else { return "unknown" }
        var client = peerAddress
        if trusted.contains(where: { $0.contains(peerAddress) }), let forwardedFor {
            for hop in forwardedFor.split(separator: ",").reversed() {
                guard let address = IPAddress(hop.trimmingCharacters(in: .whitespaces)) else { break }
                client = address
                if !trusted.contains(where: { $0.contains(address) }) { break }
            }
        }
        return client.rateLimitKey
    }
}

/// An IPv4 or IPv6 address as its bytes.
public struct IPAddress: Equatable, Sendable {
    public let bytes: [UInt8]

    public init?(_ text: String) {
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            bytes = withUnsafeBytes(of: v4) { Array($0) }
        } else if inet_pton(AF_INET6, text, &v6) == 1 {
            let raw = withUnsafeBytes(of: v6) { Array($0) }
            // An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is that IPv4 address.
            let mapped = raw.prefix(10).allSatisfy { $0 == 0 } && raw[10] == 0xFF && raw[11] == 0xFF
            bytes = mapped ? Array(raw.suffix(4)) : raw
        } else {
            return nil
        }
    }

    /// IPv4: the address; IPv6: its /64 prefix.
    public var rateLimitKey: String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        let groups = stride(from: 0, to: 8, by: 2).map {
            String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16)
        }
        return groups.joined(separator: ":") + "::/64"
    }
}

/// An address or a CIDR block (`10.0.0.0/8`, `fd00::/8`, `192.0.2.1`).
public struct IPNetwork: Equatable, Sendable {
    public let base: IPAddress
    public let prefix: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let first = parts.first, let base = IPAddress(first) else { return nil }
        let width = base.bytes.count * 8
        let prefix = parts.count == 2 ? Int(parts[1]) : width
        guard let prefix, (0...width).contains(prefix) else { return nil }
        self.base = base
        self.prefix = prefix
    }

    public func contains(_ address: IPAddress) -> Bool {
        guard address.bytes.count == base.bytes.count else { return false }
        var bits = prefix
        for (a, b) in zip(address.bytes, base.bytes) where bits > 0 {
            let mask: UInt8 = bits >= 8 ? 0xFF : ~(0xFF >> UInt8(bits))
            if a & mask != b & mask { return false }
            bits -= 8
        }
        return true
    }
}
