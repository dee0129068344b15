/// The TOML files of profiles/, compiled into the binary (SwiftPM `embedInCode`), so pie needs no
/// install tree and what `--print-tool-policy` shows is exactly what was reviewed in the repo.
public enum BuiltinProfiles {
    public static var defaults: String { decode(PackageResources.defaults_toml) }

    public static func preset(_ preset: PolicyPreset) -> String {
        switch preset {
        case .permissive: decode(PackageResources.permissive_toml)
        case .balanced: decode(PackageResources.balanced_toml)
        case .strict: decode(PackageResources.strict_toml)
        case .hardened: decode(PackageResources.hardened_toml)
        }
    }

    private static func decode(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
