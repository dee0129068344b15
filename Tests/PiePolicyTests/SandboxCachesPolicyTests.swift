import Foundation
import Testing

@testable import PiePolicy

/// `sandbox_caches`: which package caches balanced's sandbox gets as private directories, where
/// those live, and that they are pie's own state, out of every tool's reach.
@Suite("sandbox_caches")
struct SandboxCachesPolicyTests {
    @Test("the defaults name the common caches below ~, expanded, with their root denied")
    func defaults() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let effective = try buildPolicy(cwd: dir.path, home: "/home/u")
        let paths = effective.policy.paths
        for cache in ["/home/u/.cargo/registry", "/home/u/.cargo/git", "/home/u/.npm", "/home/u/.cache/pip", "/home/u/go/pkg/mod"] {
            #expect(paths.sandboxCaches.contains(cache), "\(cache) is missing")
        }
        #expect(paths.sandboxCacheRoot == "/home/u/.cache/pie/sandbox-caches")
        #expect(effective.stateDeny.contains(StatePath(
            path: "/home/u/.cache/pie/sandbox-caches", what: "the sandbox's private package caches", source: "sandbox_caches")))
        let planted = "/home/u/.cache/pie/sandbox-caches/0123/.cargo/registry/src/x/build.rs"
        for access in [PathAccess.read, .write] {
            guard case .denied(let rule, _) = paths.classify(planted, access: access) else {
                Issue.record("\(access) of \(planted) is allowed")
                continue
            }
            #expect(rule == "path.deny")
        }
        #expect(effective.sources[.sandboxCaches] == "default")
    }

    @Test("XDG_CACHE_HOME moves the root when it is absolute, and only then")
    func xdgCacheHome() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let moved = try buildPolicy(cwd: dir.path, home: "/home/u", environment: ["XDG_CACHE_HOME": "/data/cache/"])
        #expect(moved.policy.paths.sandboxCacheRoot == "/data/cache/pie/sandbox-caches")
        let relative = try buildPolicy(cwd: dir.path, home: "/home/u", environment: ["XDG_CACHE_HOME": "cache"])
        #expect(relative.policy.paths.sandboxCacheRoot == "/home/u/.cache/pie/sandbox-caches")
    }

    @Test("an entry that is not a directory below ~ is an error naming the field and the fix",
          arguments: ["/var/cache/apt", "~", "~/", "~/../other/.cache", "relative/cache", "~user/.npm"])
    func entriesMustLieBelowHome(_ entry: String) throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.file("team.toml", "sandbox_caches = [\"\(entry)\"]\n")
        #expect {
            try buildPolicy(cwd: dir.path, home: "/home/u", profile: dir.path + "/team.toml")
        } throws: { error in
            let message = (error as? PolicyError)?.message ?? ""
            return message.contains("sandbox_caches") && message.contains("'\(entry)'") && message.contains("~/PATH")
        }
    }

    @Test("a project policy that adds a cache is reported as loosening; lists only grow")
    func projectCachesLoosen() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.file(".pie/policy.toml", "sandbox_caches = [\"~/.cache/bazel\"]\n")
        let effective = try buildPolicy(cwd: dir.path, home: "/home/u")
        #expect(effective.warnings.contains { $0.contains("loosens sandbox_caches") })
        #expect(effective.policy.paths.sandboxCaches.contains("/home/u/.cache/bazel"))
        #expect(effective.policy.paths.sandboxCaches.contains("/home/u/.cargo/registry"))
    }
}
