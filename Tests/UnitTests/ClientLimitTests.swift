import Foundation
import Runtime
import Testing

/// Citizen lookup's limiter and the address it is keyed by (issue: scope and enumeration).
@Suite struct ClientLimitTests {
    @Test func forwardedForIsBelievedOnlyFromTrustedProxies() {
        let proxies = [IPNetwork("10.0.0.0/8")!, IPNetwork("fd00::/8")!]
        #expect(ClientAddress.key(peer: "203.0.113.9", forwardedFor: "198.51.100.1", trusted: proxies) == "203.0.113.9")
        #expect(ClientAddress.key(peer: "10.1.2.3", forwardedFor: "198.51.100.1", trusted: proxies) == "198.51.100.1")
        // A client cannot choose its key by prepending: the hop the proxy saw is the rightmost untrusted one.
        #expect(
            ClientAddress.key(peer: "10.1.2.3", forwardedFor: "1.2.3.4, 198.51.100.1, 10.9.9.9", trusted: proxies)
                == "198.51.100.1")
        #expect(ClientAddress.key(peer: "10.1.2.3", forwardedFor: "garbage", trusted: proxies) == "10.1.2.3")
    }

    @Test func ipv6ClientsShareTheirSlash64() {
        let a = ClientAddress.key(peer: "2001:db8:1:2:aaaa::1", forwardedFor: nil, trusted: [])
        let b = ClientAddress.key(peer: "2001:db8:1:2:ffff:ffff:ffff:ffff", forwardedFor: nil, trusted: [])
        let c = ClientAddress.key(peer: "2001:db8:1:3::1", forwardedFor: nil, trusted: [])
        #expect(a == b)
        #expect(a != c)
        #expect(ClientAddress.key(peer: "::ffff:192.0.2.7", forwardedFor: nil, trusted: []) == "192.0.2.7")
    }

    @Test func aScanDoesNotResetTheLimitedClient() {
        let limiter = RateLimiter(capacity: 2, perSecond: 0.01, maxClients: 100)
        let start = Date()
        #expect(limiter.allow("victim-of-limit", now: start))
        #expect(limiter.allow("victim-of-limit", now: start))
        #expect(!limiter.allow("victim-of-limit", now: start))
        // Thousands of other addresses come and go while it keeps trying; it stays limited (the least
        // recently seen are forgotten first, not everyone at once).
        for i in 0..<5_000 {
            let at = start.addingTimeInterval(Double(i) / 1000)
            _ = limiter.allow("scanner-\(i)", now: at)
            if i % 20 == 0 { #expect(!limiter.allow("victim-of-limit", now: at)) }
        }
        #expect(limiter.trackedClients <= 100)
    }
}
