import Domain
import Runtime
import Store
import Testing

@Suite struct SettingsTests {
    @Test func defaultsWorkOnOneMachine() throws {
        let settings = try Settings.fromEnvironment([:])
        #expect(
            settings.httpPort == 8080 && settings.amqp.nodes.map(\.port) == [5672] && settings.amqp.virtualHost == "/")
    }

    @Test func aBadSettingIsNamed() {
        for (name, value) in [
            ("MOTCUA_HTTP_PORT", "http"), ("MOTCUA_AMQP_URL", "rabbit"),
            ("MOTCUA_DATABASE_URL", "mysql://x"), ("MOTCUA_LOG_LEVEL", "loud"),
            ("MOTCUA_API_TOKENS", "abc"), ("MOTCUA_TRUSTED_PROXIES", "10.0.0.0/33"),
            ("MOTCUA_TRUSTED_PROXIES", "proxy.local"), ("MOTCUA_STATEMENT_TIMEOUT_SECONDS", "0"),
            ("MOTCUA_ORPHAN_WAIT_SECONDS", "-5"), ("MOTCUA_TIMER_LEASE_SECONDS", "0"),
            ("MOTCUA_TIMER_LEASE_SECONDS", "2.5"),
            ("MOTCUA_METRICS_PORT", "70000"),
            // A node list: every entry an amqp URL, one vhost for all.
            ("MOTCUA_AMQP_URL", "amqp://a:b@h1:5672/%2f,rabbit"),
            ("MOTCUA_AMQP_URL", "amqp://a:b@h1:5672/%2f,amqp://a:b@h2:5672/other"),
            ("MOTCUA_AMQP_URL", "amqp://a:b@h1:5672/%2f,"),
            ("MOTCUA_DATABASE_URL", "postgres://u:p@h1:5432/db?no_such_option=1"),
            ("MOTCUA_QUORUM_INITIAL_GROUP_SIZE", "three"), ("MOTCUA_QUORUM_INITIAL_GROUP_SIZE", "-1"),
            ("MOTCUA_RABBITMQ_API_URL", "http://u:p@h1:15672,ftp://h2"),
        ] {
            #expect(throws: Settings.Problem.self) { try Settings.fromEnvironment([name: value]) }
            do { _ = try Settings.fromEnvironment([name: value]) } catch { #expect("\(error)".hasPrefix(name)) }
        }
        #expect(throws: Settings.Problem.self) { try Settings.fromEnvironment([:], requireTokens: true) }
    }

    /// CONTRACT.md "Past one machine": a cluster's nodes, and a primary with its standbys, as libpq reads them.
    @Test func clusterNodesAndSeveralDatabaseServersAreRead() throws {
        let settings = try Settings.fromEnvironment([
            "MOTCUA_AMQP_URL": "amqp://u:p@rabbit1:5672/%2f, amqp://u:p@rabbit2:5673/%2f,amqp://u:p@rabbit3/%2f",
            "MOTCUA_DATABASE_URL": "postgres://u:p@pg1:5432,pg2:5433/motcua?target_session_attrs=read-write",
        ])
        #expect(settings.amqp.nodes.map(\.host) == ["rabbit1", "rabbit2", "rabbit3"])
        #expect(settings.amqp.nodes.map(\.port) == [5672, 5673, 5672])
        #expect(settings.amqp.nodes.allSatisfy { $0.user == "u" && $0.password == "p" && $0.virtualHost == "/" })
        #expect(settings.databaseURL == "postgres://u:p@pg1:5432,pg2:5433/motcua?target_session_attrs=read-write")
    }

    /// A queue created on a cluster is replicated on every listed node unless the setting says otherwise;
    /// on one node the broker's default holds (no argument at all).
    @Test func quorumQueuesAreReplicatedOnTheListedNodes() throws {
        let three = "amqp://u:p@rabbit1/%2f,amqp://u:p@rabbit2/%2f,amqp://u:p@rabbit3/%2f"
        #expect(try Settings.fromEnvironment([:]).amqp.topology.initialGroupSize == 0)
        #expect(try Settings.fromEnvironment(["MOTCUA_AMQP_URL": three]).amqp.topology.initialGroupSize == 3)
        let chosen = try Settings.fromEnvironment(["MOTCUA_AMQP_URL": three, "MOTCUA_QUORUM_INITIAL_GROUP_SIZE": "5"])
        #expect(chosen.amqp.topology.initialGroupSize == 5)
        let apis = try Settings.fromEnvironment(["MOTCUA_RABBITMQ_API_URL": "http://u:p@h1:15672, http://u:p@h2:15672"])
        #expect(apis.rabbitAPIURLs.map(\.host) == ["h1", "h2"])
    }

    /// `motcua queues` flags a quorum queue whose online members are not more than half of them.
    @Test func aQueueHasItsMajorityWhileMoreThanHalfItsMembersAnswer() {
        let members = ["r1", "r2", "r3"]
        #expect(QueueRow.hasMajority(members: members, online: ["r1", "r2", "r3"]) == true)
        #expect(QueueRow.hasMajority(members: members, online: ["r3", "r1"]) == true)
        #expect(QueueRow.hasMajority(members: members, online: ["r2"]) == false)
        #expect(QueueRow.hasMajority(members: ["r1", "r2"], online: ["r1"]) == false)
        #expect(QueueRow.hasMajority(members: members, online: ["r1", "elsewhere"]) == false)
        #expect(QueueRow.hasMajority(members: nil, online: nil) == nil)
    }

    @Test func theTimerLeaseIsThirtySecondsUnlessSet() throws {
        #expect(try Settings.fromEnvironment([:]).timerLease == ClaimLease(seconds: 30))
        #expect(try Settings.fromEnvironment(["MOTCUA_TIMER_LEASE_SECONDS": "5"]).timerLease.seconds == 5)
    }

    @Test func metricsPortZeroMeansNone() throws {
        #expect(try Settings.fromEnvironment([:]).metricsPort == 9464)
        #expect(try Settings.fromEnvironment(["MOTCUA_METRICS_PORT": "0"]).metricsPort == nil)
        #expect(try Settings.fromEnvironment(["MOTCUA_METRICS_PORT": "9500"]).metricsPort == 9500)
    }

    @Test func trustedProxiesAreAddressesOrBlocks() throws {
        let settings = try Settings.fromEnvironment(["MOTCUA_TRUSTED_PROXIES": "10.0.0.5, fd00::/8"])
        #expect(settings.trustedProxies == [IPNetwork("10.0.0.5")!, IPNetwork("fd00::/8")!])
        #expect(try Settings.fromEnvironment([:]).trustedProxies.isEmpty)
        // A trailing comma is no entry, not a crash.
        #expect(try Settings.fromEnvironment(["MOTCUA_TRUSTED_PROXIES": "10.0.0.1, "]).trustedProxies.count == 1)
        #expect(IPNetwork("") == nil && IPNetwork("/8") == nil)
    }

    @Test func tokensCarryScopes() throws {
        let settings = try Settings.fromEnvironment(["MOTCUA_API_TOKENS": "a=*, b=000.00.19.H56"])
        #expect(settings.apiTokens == [APIToken(token: "a", scope: "*"), APIToken(token: "b", scope: "000.00.19.H56")])
        let follows = try Settings.fromEnvironment(["MOTCUA_API_TOKENS": "c=000.15.02.H56+successor"])
        #expect(follows.apiTokens == [APIToken(token: "c", scope: "000.15.02.H56", followsSuccessor: true)])
        #expect(throws: Settings.Problem.self) { try Settings.fromEnvironment(["MOTCUA_API_TOKENS": "d=*+successor"]) }
    }

    @Test func cloudEventTypeDropsTheUnit() {
        #expect(
            CloudEvent<String>.type(forRoutingKey: "deadline.overdue.000.00.19.H56") == "vn.motcua.deadline.overdue")
        #expect(CloudEvent<String>.type(forRoutingKey: "dossier.received") == "vn.motcua.dossier.received")
    }

    @Test func timestampsParseRFC3339AndPostgres() {
        #expect(Timestamp.parse("2026-11-20T09:00:00+07:00") == Timestamp.parse("2026-11-20T02:00:00Z"))
        #expect(
            Timestamp.parse("2026-11-20 09:00:00.5+07")!.timeIntervalSince1970.truncatingRemainder(dividingBy: 1) == 0.5
        )
        #expect(Timestamp.parse("2026-11-20T09:00:00") == nil)
        #expect(Timestamp.parse("2026-02-30T09:00:00Z") == nil)
    }
}
