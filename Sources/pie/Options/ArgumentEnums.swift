import ArgumentParser
import PieLocal

/// `--thinking`: ArgumentParser checks the level and lists the valid ones. Declared here because
/// only this executable parses flags; PieLocal does not depend on ArgumentParser.
extension ThinkingLevel: ExpressibleByArgument {}

/// `--provider-retry-jitter true|false`, in any letter case as before.
enum RetryJitter: String, CaseIterable, ExpressibleByArgument {
    case `true`, `false`

    init?(argument: String) {
        self.init(rawValue: argument.lowercased())
    }

    var isOn: Bool { self == .true }
}
