// swift-tools-version: 6.1
import PackageDescription

/// Strict concurrency and Swift 6 language mode everywhere; warnings are kept at zero by review.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "pie",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "pie", targets: ["pie"]),
        .library(name: "PieSystem", targets: ["PieSystem"]),
        .library(name: "PieJSON", targets: ["PieJSON"]),
        .library(name: "PiePolicy", targets: ["PiePolicy"]),
        .library(name: "PieSandbox", targets: ["PieSandbox"]),
        .library(name: "PieLocal", targets: ["PieLocal"]),
        .library(name: "PieAgent", targets: ["PieAgent"]),
        .library(name: "PieRuntime", targets: ["PieRuntime"]),
        .library(name: "PieAutomations", targets: ["PieAutomations"]),
        .library(name: "PieTriggers", targets: ["PieTriggers"]),
        .library(name: "PieWebhooks", targets: ["PieWebhooks"]),
        .library(name: "PieScheduler", targets: ["PieScheduler"]),
        .library(name: "PieServe", targets: ["PieServe"]),
        .library(name: "PieMCP", targets: ["PieMCP"]),
        .library(name: "PieHooks", targets: ["PieHooks"]),
        .library(name: "PieSessionJobs", targets: ["PieSessionJobs"]),
        .executable(name: "pie-serve", targets: ["pie-serve"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        // The webhook listener's HTTP/1 server. No default traits: swift-configuration and the
        // full-Foundation extras are not used.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        // Hummingbird's own dependencies, named because PieWebhooks imports a type from each
        // (spelled as Hummingbird spells them, so they resolve to the same packages).
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.14.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0", traits: []),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.0.0"),
    ],
    targets: [
        // C shims: libcurl loaded with dlopen on first use (its headers come from
        // libcurl4-openssl-dev; it is not linked), libseccomp's function-like macros, and the
        // glibc spawn/openat2 helpers Swift's Glibc module does not expose.
        .target(name: "CCurl", dependencies: ["CPieSys"], path: "Sources/CCurl"),
        // OpenSSL's libcrypto (SHA-256, HMAC), opened with dlopen on first use like libcurl; its
        // headers come from libssl-dev.
        .target(name: "CCrypto", dependencies: ["CPieSys"], path: "Sources/CCrypto"),
        // libpq for the automation store's PostgreSQL backend, opened with dlopen on first use like
        // libcurl; its headers come from libpq-dev.
        .target(name: "CPostgres", dependencies: ["CPieSys"], path: "Sources/CPostgres"),
        .systemLibrary(
            name: "CSeccomp", path: "Sources/CSeccomp", pkgConfig: "libseccomp",
            providers: [.apt(["libseccomp-dev"])]),
        // SQLite for the session index and the automations store, called through a small wrapper
        // in PieSystem/SQLite.
        .systemLibrary(
            name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]),
        // libedit, like libcurl, is opened with dlopen when the interactive prompt starts; its
        // headers come from libedit-dev.
        .target(name: "CEditLine", dependencies: ["CPieSys"], path: "Sources/CEditLine"),
        .target(name: "CPieSys", path: "Sources/CPieSys"),
        // Runs inside a long-lived bubblewrap sandbox and starts each command there (a warm
        // sandbox); plain C so it starts in microseconds. SwiftPM links every executable against
        // libswiftCore, which a debug build would load from the toolchain's directory, and a
        // sandbox that reads by allowlist does not show that directory: linked statically, as
        // release builds are (`--static-swift-stdlib`), it needs only what /usr holds.
        .executableTarget(
            name: "pie-sandbox-init", dependencies: ["CPieSys"], path: "Sources/PieSandboxInit",
            linkerSettings: [.unsafeFlags(["-static-stdlib"])]),

        // The bottom modules: file I/O, threads, the secret redactor and libcrypto's digests
        // (PieSystem), and JSON for every module: one ordered value, the scanner and readers, one
        // writer (PieJSON). The modules above do not depend on each other.
        .target(name: "PieSystem", dependencies: ["CCrypto", "CPieSys", "CSQLite"], swiftSettings: strict),
        .target(name: "PieJSON", swiftSettings: strict),
        .target(
            name: "PiePolicy",
            dependencies: ["PieSystem", "PieJSON", .product(name: "TOMLKit", package: "TOMLKit")],
            resources: [.embedInCode("Profiles")],
            swiftSettings: strict),
        .target(
            name: "PieSandbox",
            dependencies: ["PieSystem", "PieJSON", "PiePolicy", "CSeccomp", "CPieSys"],
            swiftSettings: strict),
        .target(
            name: "PieLocal",
            dependencies: ["PieSystem", "PieJSON", "CCurl"],
            swiftSettings: strict),
        .target(
            name: "PieAgent",
            dependencies: ["PieSystem", "PieJSON", "PieSandbox", "PieLocal", "PiePolicy", "CSQLite"],
            swiftSettings: strict),
        // The MCP client: JSON-RPC 2.0 over a sandboxed stdio child or streamable HTTP (libcurl),
        // with no Foundation (docs/mcp.md).
        .target(
            name: "PieMCP",
            dependencies: ["PieSystem", "PieJSON", "PieLocal", "PieSandbox", "PiePolicy", .product(name: "TOMLKit", package: "TOMLKit")],
            swiftSettings: strict),
        // Lifecycle hooks (`hooks.toml`): command hooks in the session's sandbox, webhook hooks
        // over libcurl, the blocking `pre_tool` gate, every run audited (docs/hooks.md).
        .target(
            name: "PieHooks",
            dependencies: [
                "PieSystem", "PieJSON", "PiePolicy", "PieSandbox", "PieLocal", "PieAgent",
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: strict),
        // Assembles a ready agent from plain options: the one composition root the CLI and, later,
        // the scheduler share (docs/architecture.md).
        .target(
            name: "PieRuntime",
            dependencies: ["PieSystem", "PieJSON", "PieAgent", "PieSandbox", "PieLocal", "PiePolicy", "PieMCP", "PieHooks"],
            swiftSettings: strict),
        // Schedules for automations: cron expressions, IANA time zones read from TZif files, RFC
        // 3339 times. No Foundation and no other pie module, so the scheduler and the CLI can
        // use it without start-up cost (docs/automations.md). Automation files (Files/) are read
        // with TOMLKit and checked against PiePolicy's presets, both of which pie links already.
        .target(
            name: "PieAutomations",
            dependencies: ["PiePolicy", "PieSystem", "PieJSON", .product(name: "TOMLKit", package: "TOMLKit")],
            swiftSettings: strict),
        // File triggers (inotify) and command probes (the policy gate, then the sandboxed shell)
        // for automations: the scheduler and `serve` plug them in through a sink (docs/triggers.md).
        .target(
            name: "PieTriggers",
            dependencies: ["PieAutomations", "PiePolicy", "PieSandbox", "PieSystem", "PieJSON", "CPieSys"],
            swiftSettings: strict),
        // The webhook listener for `pie automations serve`: signature checks (pure), the replay and
        // debounce arithmetic, Prometheus text for /metrics, and the HTTP/1 server (Hummingbird).
        // Queueing goes through the WebhookSink seam the scheduler's store implements
        // (docs/webhooks.md). Not linked into `pie` itself (docs/benchmarks.md: start-up).
        .target(
            name: "PieWebhooks",
            dependencies: [
                "PieSystem", "PieJSON", "PieAutomations",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict),
        // The durable scheduler: the SQLite run store (exactly-once ticks, leases, retries), the
        // serve loop and the executor that runs each automation as a normal pie session
        // (docs/automations.md, "The scheduler").
        .target(
            name: "PieScheduler",
            dependencies: [
                "PieAutomations", "PieRuntime", "PieAgent", "PieLocal", "PiePolicy", "PieSystem", "PieJSON", "CSQLite",
                "PieHooks", "PieMCP", "CPostgres",
            ],
            swiftSettings: strict),
        // Interactive pie's session jobs: `/cron` and `/triggers` kept beside the session file, the
        // clock that fires them into the session's turn queue, and the model's `schedule` tool
        // (docs/automations.md, "Session jobs").
        .target(
            name: "PieSessionJobs",
            dependencies: [
                "PieAgent", "PieAutomations", "PieScheduler", "PieTriggers", "PiePolicy", "PieSandbox", "PieSystem", "PieJSON",
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: strict),
        // The daemon behind `pie automations serve`: the scheduler's loop with every trigger source
        // (webhooks and /metrics, files, command probes) assembled (PieServe), and its executable,
        // which `pie` execs so that `pie` itself does not link the HTTP server.
        .target(
            name: "PieServe",
            dependencies: [
                "PieScheduler", "PieWebhooks", "PieTriggers", "PieAutomations", "PieRuntime", "PieAgent", "PieSandbox",
                "PieJSON", "PieMCP", "PieSystem",
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "pie-serve",
            dependencies: [
                "PieServe", "PieScheduler", "PieWebhooks", "PieAutomations", "PieRuntime", "PieAgent", "PieSandbox", "PieLocal",
                "PieSystem", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "pie",
            dependencies: [
                "PieRuntime", "PieAgent", "PieSandbox", "PieLocal", "PiePolicy", "PieSystem", "PieJSON", "PieAutomations",
                "PieScheduler", "PieMCP", "PieHooks", "PieSessionJobs",
                "CEditLine", "CPieSys",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),
        // What `make bench` measures, through the libraries' public API only.
        .target(
            name: "PieBenchmarks",
            dependencies: ["PieAgent", "PieSandbox", "PieLocal", "PiePolicy", "PieSystem", "PieJSON"],
            path: "Benchmarks/PieBenchmarks",
            swiftSettings: strict),
        .executableTarget(
            name: "PieBench",
            dependencies: [
                "PieBenchmarks", "PieAgent", "PieSandbox", "PieLocal", "PiePolicy", "PieSystem", "PieJSON", "PieAutomations",
                "PieWebhooks", "PieScheduler", "PieTestSupport", "PieMCP",
            ],
            path: "Benchmarks/PieBench",
            swiftSettings: strict),

        // The scripted model server and HTTP builders shared by the library and end-to-end tests.
        .target(name: "PieTestSupport", dependencies: ["PieLocal", "PieJSON", "PieSystem", "CPieSys"], path: "Tests/PieTestSupport", swiftSettings: strict),

        .testTarget(name: "PieSystemTests", dependencies: ["PieSystem"], swiftSettings: strict),
        .testTarget(
            name: "PieJSONTests", dependencies: ["PieJSON", "PieTestSupport"], exclude: ["Schema/jsonschema_oracle.py", "Schema/pydantic_schemas.py"],
            swiftSettings: strict),
        .testTarget(name: "PiePolicyTests", dependencies: ["PiePolicy", "PieJSON", "PieTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "PieSandboxTests", dependencies: ["PieSandbox", "PiePolicy", "PieSystem", "PieJSON", "PieTestSupport", "pie-sandbox-init"],
            swiftSettings: strict),
        .testTarget(name: "PieLocalTests", dependencies: ["PieLocal", "PieSystem", "PieJSON", "PieTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "PieAgentTests",
            dependencies: ["PieAgent", "PieSandbox", "PieLocal", "PiePolicy", "PieSystem", "PieJSON", "PieTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "PieBenchmarksTests", dependencies: ["PieBenchmarks", "PieAgent", "PieSandbox", "PieJSON", "PieTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "PieRuntimeTests", dependencies: ["PieRuntime", "PieAgent", "PieLocal", "PiePolicy", "PieSandbox", "PieJSON", "PieMCP", "PieTestSupport"],
            swiftSettings: strict),
        // croniter_oracle.py is the reference the cron property test runs with python3.
        .testTarget(
            name: "PieAutomationsTests", dependencies: ["PieAutomations", "PiePolicy", "PieJSON", "PieTestSupport"], exclude: ["croniter_oracle.py"],
            swiftSettings: strict),
        .testTarget(
            name: "PieWebhooksTests", dependencies: ["PieWebhooks", "PieAutomations", "PieSystem", "PieJSON", "PieTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "PieSchedulerTests",
            dependencies: [
                "PieScheduler", "PieAutomations", "PieRuntime", "PieAgent", "PieSandbox", "PieLocal", "PieSystem", "PieJSON",
                "PiePolicy", "PieTestSupport",
            ],
            swiftSettings: strict),
        .testTarget(
            name: "PieTriggersTests",
            dependencies: ["PieTriggers", "PieAutomations", "PiePolicy", "PieSandbox", "PieJSON"],
            swiftSettings: strict),
        // Servers/ holds the Python MCP servers (official `mcp` SDK) the tests start in the sandbox.
        .testTarget(
            name: "PieMCPTests", dependencies: ["PieMCP", "PieSandbox", "PiePolicy", "PieSystem", "PieJSON", "PieTestSupport"],
            exclude: ["Servers"], swiftSettings: strict),
        // Servers/ holds the Python servers the tests run: one built with the official `mcp` SDK
        // (installed by scripts/install-deps.sh) and a scripted endpoint for failure cases.
        .testTarget(
            name: "PieMCPHTTPTests", dependencies: ["PieMCP", "PieLocal", "PieJSON", "PieSystem", "PieTestSupport"],
            exclude: ["Servers"], swiftSettings: strict),
        .testTarget(
            name: "PieHooksTests",
            dependencies: [
                "PieHooks", "PieRuntime", "PieAgent", "PieSandbox", "PieLocal", "PiePolicy", "PieSystem", "PieJSON",
                "PieTestSupport",
            ],
            swiftSettings: strict),
        .testTarget(
            name: "PieSessionJobsTests",
            dependencies: ["PieSessionJobs", "PieAutomations", "PieScheduler", "PieAgent", "PiePolicy", "PieJSON", "PieSystem"],
            swiftSettings: strict),
        // The scheduler worker the store's fault tests start as separate processes (the serve loop
        // over a real store with a side-effect executor), and those tests, which run against a real
        // PostgreSQL server they start themselves (docs/automations.md, "Many workers").
        .executableTarget(
            name: "pie-store-worker", dependencies: ["PieScheduler", "PieAutomations", "PieSystem"], path: "Tests/PieStoreWorker",
            swiftSettings: strict),
        .testTarget(
            name: "PieStoreTests",
            dependencies: ["PieScheduler", "PieAutomations", "PieSystem", "PieTestSupport", "pie-store-worker"],
            swiftSettings: strict),
        .testTarget(
            name: "PieEndToEndTests", dependencies: ["pie", "pie-serve", "PieJSON", "PieTestSupport"], exclude: ["Servers"],
            swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
