import Foundation
@testable import PiePolicy

/// A fresh directory under the system temp dir, removed by the caller with `remove()`.
struct TempDirectory {
    let path: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("pie-policy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        path = PathResolver.realPath(base.path) ?? base.path
    }

    func file(_ relative: String, _ contents: String = "") throws {
        let url = URL(fileURLWithPath: path).appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try contents.write(to: url, atomically: true, encoding: .utf8)
    }

    func directory(_ relative: String) throws {
        try FileManager.default.createDirectory(atPath: path + "/" + relative, withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Builds a policy the way the CLI does, from a project directory and optional layers.
func buildPolicy(
    cwd: String, home: String = "/nonexistent-home", environment: [String: String] = [:],
    preset: PolicyPreset? = nil, profile: String? = nil, flags: PolicyLayer = PolicyLayer()
) throws(PolicyError) -> EffectivePolicy {
    try PolicyBuilder.build(PolicyInputs(
        cwd: cwd, home: home, environment: environment, presetFlag: preset, profileFlag: profile, flags: flags))
}

func flagLayer(_ pairs: [(PolicyField, PolicyValue)]) -> PolicyLayer {
    var layer = PolicyLayer()
    for (field, value) in pairs {
        layer.values[field] = value
        layer.sources[field] = "flag"
    }
    return layer
}
