// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "motcua",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "motcua-intake", targets: ["Intake"]),
        .executable(name: "motcua-workers", targets: ["Workers"]),
        .executable(name: "motcua", targets: ["CLI"]),
        .executable(name: "motcua-partner-sim", targets: ["PartnerSimulator"]),
        .executable(name: "motcua-sms-sim", targets: ["SMSGatewaySimulator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.0"),
    ],
    targets: [
        .systemLibrary(name: "CPostgres", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CAMQP", pkgConfig: "librabbitmq", providers: [.apt(["librabbitmq-dev"])]),
        // Domain: the rules, pure (Foundation only). Every other module sits on it.
        .target(
            name: "Domain",
            resources: [.copy("Resources/default-catalog.json"), .copy("Resources/index766.json")]
        ),
        // The drivers: libpq and rabbitmq-c behind Swift types, knowing nothing of dossiers. Both run
        // their blocking C calls on threads of their own.
        .target(name: "BlockingThreads"),
        .target(
            name: "PostgresDriver",
            dependencies: [
                "CPostgres", "BlockingThreads",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "AMQPDriver",
            dependencies: [
                "CAMQP", "BlockingThreads",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Store: the schema, the migrations and every SQL statement.
        .target(
            name: "Store",
            dependencies: [
                "Domain", "PostgresDriver",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The settings every executable reads from its environment, and its logging and metrics.
        .target(
            name: "Runtime",
            dependencies: [
                "Domain", "AMQPDriver", "Store",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "Intake",
            dependencies: [
                "Domain", "Store", "AMQPDriver", "Runtime",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("Resources/openapi.yaml"), .copy("Resources/console")]
        ),
        .executableTarget(
            name: "Workers",
            dependencies: [
                "Domain", "Store", "AMQPDriver", "Runtime", "BlockingThreads",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "CLI",
            dependencies: [
                "Domain", "Store", "AMQPDriver", "Runtime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The partner agencies' stand-in, for tests, benchmarks and demonstrations; not in production.
        .executableTarget(
            name: "PartnerSimulator",
            dependencies: [
                "Domain", "Store", "AMQPDriver", "Runtime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // An SMS gateway's stand-in with fault injection, for the notifier's tests and demonstrations.
        .executableTarget(
            name: "SMSGatewaySimulator",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "TestSupport",
            dependencies: ["Domain", "Store", "AMQPDriver", "Runtime"],
            path: "Tests/TestSupport"
        ),
        // Pure test fixtures: a seeded random number generator (many drawn cases, a failing one replayed)
        // and a linked group at a fixed moment.
        .target(name: "Fixtures", dependencies: ["Domain"], path: "Tests/Fixtures"),
        // Every pure rule, linking neither libpq nor rabbitmq-c.
        .testTarget(name: "DomainTests", dependencies: ["Domain", "Fixtures"]),
        // The drivers' and the roles' own logic without servers: settings, schema, confirmations, batches.
        .testTarget(
            name: "UnitTests",
            dependencies: [
                "Domain", "Store", "AMQPDriver", "Runtime", "TestSupport", "Fixtures", "Workers", "PartnerSimulator",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The HTTP edge in process (Hummingbird's test client) on the real PostgreSQL, with an
        // in-memory broker.
        .testTarget(
            name: "IntakeTests",
            dependencies: [
                "Intake", "Domain", "Store", "AMQPDriver", "Runtime", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["Domain", "Store", "AMQPDriver", "Runtime", "TestSupport", "Fixtures"]
        ),
    ]
)
