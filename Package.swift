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
        .library(name: "PiePolicy", targets: ["PiePolicy"]),
        .library(name: "PieSandbox", targets: ["PieSandbox"]),
        .library(name: "PieLocal", targets: ["PieLocal"]),
        .library(name: "PieAgent", targets: ["PieAgent"]),
        .library(name: "PieRuntime", targets: ["PieRuntime"]),
        .library(name: "PieAutomations", targets: ["PieAutomations"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // C shims: libcurl loaded with dlopen on first use (its headers come from
        // libcurl4-openssl-dev; it is not linked), libseccomp's function-like macros, and the
        // glibc spawn/openat2 helpers Swift's Glibc module does not expose.
        .target(name: "CCurl", path: "Sources/CCurl"),
        .systemLibrary(
            name: "CSeccomp", path: "Sources/CSeccomp", pkgConfig: "libseccomp",
            providers: [.apt(["libseccomp-dev"])]),
        // SQLite for the session index, called through a small wrapper in PieAgent/Session.
        .systemLibrary(
            name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]),
        // libedit, like libcurl, is opened with dlopen when the interactive prompt starts; its
        // headers come from libedit-dev.
        .target(name: "CEditLine", path: "Sources/CEditLine"),
        .target(name: "CPieSys", path: "Sources/CPieSys"),
        // Runs inside a long-lived bubblewrap sandbox and starts each command there (a warm
        // sandbox); plain C so it starts in microseconds. SwiftPM links every executable against
        // libswiftCore, which a debug build would load from the toolchain's directory, and a
        // sandbox that reads by allowlist does not show that directory: linked statically, as
        // release builds are (`--static-swift-stdlib`), it needs only what /usr holds.
        .executableTarget(
            name: "pie-sandbox-init", dependencies: ["CPieSys"], path: "Sources/PieSandboxInit",
            linkerSettings: [.unsafeFlags(["-static-stdlib"])]),

        .target(
            name: "PiePolicy",
            dependencies: [.product(name: "TOMLKit", package: "TOMLKit")],
            resources: [.embedInCode("Profiles")],
            swiftSettings: strict),
        .target(
            name: "PieSandbox",
            dependencies: ["PiePolicy", "CSeccomp", "CPieSys"],
            swiftSettings: strict),
        .target(
            name: "PieLocal",
            dependencies: ["CCurl"],
            swiftSettings: strict),
        .target(
            name: "PieAgent",
            dependencies: ["PieSandbox", "PieLocal", "PiePolicy", "CSQLite"],
            swiftSettings: strict),
        // Assembles a ready agent from plain options: the one composition root the CLI and, later,
        // the scheduler share (docs/architecture.md).
        .target(
            name: "PieRuntime",
            dependencies: ["PieAgent", "PieSandbox", "PieLocal", "PiePolicy"],
            swiftSettings: strict),
        // Schedules for automations: cron expressions, IANA time zones read from TZif files, RFC
        // 3339 times. No Foundation and no other pie module, so the scheduler and the CLI can
        // use it without start-up cost (docs/automations.md). Automation files (Files/) are read
        // with TOMLKit and checked against PiePolicy's presets, both of which pie links already.
        .target(
            name: "PieAutomations",
            dependencies: ["PiePolicy", .product(name: "TOMLKit", package: "TOMLKit")],
            swiftSettings: strict),
        .executableTarget(
            name: "pie",
            dependencies: [
                "PieRuntime", "PieAgent", "PieSandbox", "PieLocal", "PiePolicy", "PieAutomations", "CEditLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "PieBench",
            dependencies: ["PieAgent", "PieSandbox", "PieLocal", "PiePolicy", "PieAutomations"],
            path: "Benchmarks/PieBench",
            swiftSettings: strict),

        // The scripted model server and HTTP builders shared by the library and end-to-end tests.
        .target(name: "PieTestSupport", dependencies: ["PieLocal"], path: "Tests/PieTestSupport", swiftSettings: strict),

        .testTarget(name: "PiePolicyTests", dependencies: ["PiePolicy"], swiftSettings: strict),
        .testTarget(
            name: "PieSandboxTests", dependencies: ["PieSandbox", "PiePolicy", "pie-sandbox-init"], swiftSettings: strict),
        .testTarget(name: "PieLocalTests", dependencies: ["PieLocal", "PieTestSupport"], swiftSettings: strict),
        .testTarget(name: "PieAgentTests", dependencies: ["PieAgent", "PieSandbox", "PieLocal", "PiePolicy", "PieTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "PieRuntimeTests", dependencies: ["PieRuntime", "PieAgent", "PieLocal", "PiePolicy"],
            swiftSettings: strict),
        // croniter_oracle.py is the reference the cron property test runs with python3.
        .testTarget(
            name: "PieAutomationsTests", dependencies: ["PieAutomations", "PiePolicy"], exclude: ["croniter_oracle.py"],
            swiftSettings: strict),
        .testTarget(name: "PieEndToEndTests", dependencies: ["pie", "PieTestSupport"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
