import Testing
import TOMLKit

@testable import PiePolicy

/// The hand-written reader of the builtin profiles' TOML subset, against TOMLKit as the oracle:
/// whatever the reader accepts, TOMLKit must read to the same values, and whatever it cannot
/// read must be an error with a line.
@Suite("Profile TOML subset reader")
struct ProfileTOMLReaderTests {
    static let builtinTexts: [(String, [UInt8])] = [
        ("permissive", PackageResources.bash_permissive_toml), ("balanced", PackageResources.bash_balanced_toml),
        ("strict", PackageResources.bash_strict_toml),
    ]

    @Test(arguments: BashRules.builtinNames) func builtinProfilesMatchTOMLKit(_ name: String) throws {
        let text = String(decoding: try #require(Self.builtinTexts.first { $0.0 == name }).1, as: UTF8.self)
        let oracle = try BashRules(toml: text, source: "bash-\(name).toml")
        let subset = try BashRules(profileSubsetTOML: text, source: "bash-\(name).toml")
        #expect(subset == oracle)
        #expect(try BashRules.builtin(named: name) == oracle)
    }

    /// The string's value as TOMLKit reads it, and as the reader does.
    private static func both(_ document: String) throws -> (oracle: ProfileTOMLValue?, subset: ProfileTOMLValue?) {
        let oracle = ProfileTOMLTable(try TOMLTable(string: document))["key"]
        let subset = try ProfileTOMLReader.parse(document, source: "test.toml")["key"]
        return (oracle, subset)
    }

    @Test func escapesMatchTOMLKit() throws {
        var generator = SplitMix(seed: 0x70_6D_6C)
        let simple: [(String, Character)] = [
            ("\\b", "\u{08}"), ("\\t", "\t"), ("\\n", "\n"), ("\\f", "\u{0C}"), ("\\r", "\r"), ("\\\"", "\""),
            ("\\\\", "\\"),
        ]
        let scalars: [UInt32] = [0x41, 0x7A, 0x2D, 0x20, 0xE9, 0x301, 0x1F, 0x7F, 0x2028, 0xFFFD, 0x1F600, 0x10FFFF]
        for _ in 0..<300 {
            var encoded = ""
            var expected = ""
            for _ in 0..<Int.random(in: 0...12, using: &generator) {
                let scalar = Unicode.Scalar(scalars.randomElement(using: &generator)!)!
                switch Int.random(in: 0..<4, using: &generator) {
                case 0:
                    let (escape, character) = simple.randomElement(using: &generator)!
                    encoded += escape
                    expected.append(character)
                case 1 where scalar.value <= 0xFFFF:
                    let hex = String(scalar.value, radix: 16)
                    encoded += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    expected.unicodeScalars.append(scalar)
                case 1, 2:
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    encoded += "\\U" + String(repeating: "0", count: 8 - hex.count) + hex
                    expected.unicodeScalars.append(scalar)
                default:
                    // Raw: only what a basic string may hold as it is.
                    if scalar.value >= 0x20 && scalar.value != 0x7F {
                        encoded.unicodeScalars.append(scalar)
                        expected.unicodeScalars.append(scalar)
                    }
                }
            }
            let document = "# escapes\nkey = \"\(encoded)\" # after\n"
            let (oracle, subset) = try Self.both(document)
            #expect(subset == .string(expected), "\(document)")
            #expect(subset == oracle, "\(document)")
        }
    }

    @Test func valuesMatchTOMLKit() throws {
        for value in [
            "true", "false", "0", "12", "-3", "+7", "[]", "[ ]", "[\"a\", \"b\",]", "[\n  \"a\", # one\n  \"b\"\n]",
            "[[\"x\"], []]", "[1, true, \"s\"]", "9223372036854775807",
        ] {
            let (oracle, subset) = try Self.both("key = \(value)\n")
            #expect(subset == oracle, "\(value)")
        }
    }

    /// Text outside the subset, each with the line the error must name; the ones marked `true`
    /// are not TOML at all, and TOMLKit must reject them too.
    @Test func outsideTheSubsetIsAnErrorWithItsLine() {
        let cases: [(String, Int, Bool)] = [
            ("# c\n[table]\nkey = 1\n", 2, false),
            ("# c\nkey = 'literal'\n", 2, false),
            ("# c\nkey = \"\"\"multi\"\"\"\n", 2, false),
            ("# c\nkey = 1.5\n", 2, false),
            ("# c\nkey = 0x10\n", 2, false),
            ("# c\nkey = 1_000\n", 2, false),
            ("# c\nkey = {a = 1}\n", 2, false),
            ("# c\n\"quoted\" = 1\n", 2, false),
            ("# c\na.b = 1\n", 2, false),
            ("# c\nkey = 1979-05-27\n", 2, false),
            ("# c\nkey = \"unterminated\n", 2, true),
            ("# c\nkey = \"bad \\q escape\"\n", 2, true),
            ("# c\nkey = \"\\uD800\"\n", 2, true),
            ("# c\nkey = \"a\\u0000b\"\n", 2, false),
            ("# c\nkey = \"\\u12\"\n", 2, true),
            ("# c\nkey = \"\\u12G4\"\n", 2, true),
            ("# c\nkey = \"x\" other = 1\n", 2, true),
            ("# c\nkey = 1\nkey = 2\n", 3, true),
            ("# c\n[[t]]\nkey = 1\nkey = 2\n", 4, true),
            ("# c\nkey = [\"a\",\n\"b\"\n", 4, true),
            ("# c\nkey = [\"a\" \"b\"]\n", 2, true),
            ("# c\nkey = truex\n", 2, true),
            ("# c\nkey = \"a\u{01}b\"\n", 2, true),
            ("# c\nkey = 01\n", 2, true),
            ("# c\nkey = 1\rother = 2\n", 2, true),
            ("# c\nkey =\n", 2, true),
            ("# c\nt = 1\n[[t]]\n", 3, true),
            ("# c\n[[t]\n", 2, true),
            ("# c\nkey = 99999999999999999999\n", 2, true),
        ]
        for (text, line, invalidTOML) in cases {
            do {
                _ = try ProfileTOMLReader.parse(text, source: "x.toml")
                Issue.record("accepted: \(text)")
            } catch {
                #expect(error.line == line, "\(text): \(error)")
                #expect(error.source == "x.toml")
                #expect(error.message.hasPrefix("outside the TOML subset"), "\(error)")
            }
            if invalidTOML {
                #expect(throws: (any Error).self, "\(text)") { try TOMLTable(string: text) }
            }
        }
    }

    /// Random one-byte edits of a builtin profile: whatever the reader still accepts, TOMLKit
    /// must read to the same profile (or reject for the same field).
    @Test func editedProfilesNeverReadDifferently() throws {
        var generator = SplitMix(seed: 0x5EED)
        let original = PackageResources.bash_permissive_toml
        let alphabet = Array("\"'[]=#,\\\n \tx-1.{}".utf8)
        for _ in 0..<400 {
            var bytes = original
            let position = Int.random(in: 0..<bytes.count, using: &generator)
            switch Int.random(in: 0..<3, using: &generator) {
            case 0: bytes.remove(at: position)
            case 1: bytes.insert(alphabet.randomElement(using: &generator)!, at: position)
            default: bytes[position] = alphabet.randomElement(using: &generator)!
            }
            let text = String(decoding: bytes, as: UTF8.self)
            let subset: Result<BashRules, BashRulesError> = Result { () throws(BashRulesError) in
                try BashRules(profileSubsetTOML: text, source: "p.toml")
            }
            guard case .success(let rules) = subset else {
                if case .failure(let error) = subset { #expect(error.line != nil || error.field != nil, "\(error)") }
                continue
            }
            let oracle: Result<BashRules, BashRulesError> = Result { () throws(BashRulesError) in
                try BashRules(toml: text, source: "p.toml")
            }
            #expect(oracle == .success(rules), "\(text)")
        }
    }
}
