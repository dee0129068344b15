import Testing

@testable import PiePolicy

/// SplitMix64: a small, seeded, deterministic generator, so a failing input can be replayed.
struct ShellSplitMix: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Builds arbitrary command lines from shell-significant pieces, random bytes, unicode, long
/// runs and deep nesting.
enum ShellInputGenerator {
    static let pieces: [String] = [
        "ls", "rm", "echo", "sh", "-c", "bash", "env", "xargs", "find", "-exec", "sed", "awk", "git", "eval",
        " ", " ", "\t", "\n", "\r", ";", "&", "&&", "|", "||", "|&", "(", ")", "{", "}", "{ ", " }", "<", ">",
        ">>", "<<", "<<-", "<<<", "<>", ">&", "&>", "2>&1", ">|", "'", "\"", "`", "\\", "$", "$(", "${", "$((",
        "))", "<(", ">(", "#", "*", "?", "[", "]", "~", "=", "X=1", "if", "then", "fi", "for", "in", "do",
        "done", "case", "esac", ";;", "while", "function", "!", "EOF", "\0", "\u{1b}", "é", "日本", "🙂",
        "\u{202e}", "$'\\x72m'", "\\;", "{}", "/etc/passwd", "../", "-i", "'e id'", "@P", ":-",
    ]

    static func make(_ random: inout ShellSplitMix) -> String {
        switch random.next() % 8 {
        case 0:
            let count = Int(random.next() % 64)
            var bytes: [UInt8] = []
            for _ in 0..<count { bytes.append(UInt8(truncatingIfNeeded: random.next())) }
            return String(decoding: bytes, as: UTF8.self)
        case 1:
            let depth = Int(random.next() % 80)
            let open = ["$(", "(", "`", "{ ", "\"$(", "<(", "sh -c '"][Int(random.next() % 7)]
            return String(repeating: open, count: depth) + "ls" + String(repeating: ")", count: depth)
        case 2:
            let piece = pieces[Int(random.next() % UInt64(pieces.count))]
            return String(repeating: piece, count: Int(random.next() % 300))
        default:
            var text = ""
            for _ in 0..<Int(random.next() % 24) {
                text += pieces[Int(random.next() % UInt64(pieces.count))]
                if random.next() % 3 == 0 { text += " " }
            }
            return text
        }
    }
}

@Suite("Property: arbitrary input never crashes and always yields a complete decision")
struct ShellPropertyTests {
    @Test(arguments: ["permissive", "balanced", "strict"])
    func arbitraryInput(_ profile: String) {
        let rules = ShellFixtures.rules(profile)
        var random = ShellSplitMix(state: 0x5EED_0000 &+ UInt64(profile.utf8.count))
        var failures: [String] = []
        for _ in 0..<20_000 {
            let command = ShellInputGenerator.make(&random)
            let decision = ShellAnalyzer.evaluate(command, rules: rules, context: ShellFixtures.context())
            let complete = !decision.rule.isEmpty && !decision.reason.isEmpty && !decision.trace.isEmpty
            let consistent =
                decision.allowed
                ? decision.rule == "allowed" && decision.trace.allSatisfy { $0.outcome != .deny }
                : decision.trace.last?.outcome == .deny && decision.trace.last?.check == decision.rule
            if !(complete && consistent) && failures.count < 5 {
                failures.append(command.debugDescription)
            }
        }
        #expect(failures.isEmpty, "inconsistent decisions for: \(failures)")
    }

    @Test func controlCharactersAreNeverAllowedOutsideQuotes() {
        var random = ShellSplitMix(state: 42)
        for _ in 0..<2_000 {
            let control = UInt8(random.next() % 32)
            guard control != 0x09 && control != 0x0A else { continue }
            let command = "ls" + String(decoding: [control], as: UTF8.self) + "rm x"
            let decision = ShellFixtures.evaluate(command, ShellFixtures.permissive)
            #expect(!decision.allowed)
            #expect(decision.rule == "control_characters")
        }
    }
}
