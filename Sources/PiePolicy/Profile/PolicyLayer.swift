/// The fields one source sets, and how that source is named in `--print-tool-policy`
/// (`default`, `preset:hardened`, `profile:<path>`, `env:PIE_…`, `flag`).
public struct PolicyLayer: Sendable, Equatable {
    public var values: [PolicyField: PolicyValue]
    /// The source name of each field; environment layers name the variable per field.
    public var sources: [PolicyField: String]
    /// The preset a profile file `extends`, if it names one.
    public var extends: PolicyPreset?

    public init(values: [PolicyField: PolicyValue] = [:], sources: [PolicyField: String] = [:], extends: PolicyPreset? = nil) {
        self.values = values
        self.sources = sources
        self.extends = extends
    }

    mutating func set(_ field: PolicyField, _ value: PolicyValue, source: String) {
        values[field] = value
        sources[field] = source
    }
}

/// Why a policy could not be built. Always exit 2; the message names the value, where it came
/// from (file and line for profiles) and what would be valid.
public struct PolicyError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
