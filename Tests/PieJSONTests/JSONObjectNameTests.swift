import Testing
import PieJSON

/// Member names are matched byte for byte, as other JSON readers match them: Swift's `String`
/// equality would take canonically equivalent names as one, so pie could read a field that the
/// program it forwards the object to (an MCP server, a provider) sees under another name.
@Suite struct JSONObjectNameTests {
    static let equivalentPairs: [(String, String)] = [
        ("Key", "\u{212A}ey"),  // KELVIN SIGN ≡ K
        ("caf\u{E9}", "cafe\u{301}"),  // composed and decomposed é
        ("\u{212B}", "\u{C5}"),  // ANGSTROM SIGN ≡ Å
    ]

    @Test func canonicallyEquivalentNamesAreDifferentMembers() throws {
        for (plain, other) in Self.equivalentPairs {
            #expect(plain == other, "the premise: Swift takes \(plain.debugDescription) and \(other.debugDescription) as equal")
            let object = try #require(try JSONParser.parse(#"{"\#(plain)": 1, "\#(other)": 2}"#).objectValue)
            #expect(object.count == 2)
            #expect(object[plain]?.intValue == 1, "\(plain.debugDescription)")
            #expect(object[other]?.intValue == 2, "\(other.debugDescription)")

            var edited = object
            edited[other] = nil
            #expect(edited[plain]?.intValue == 1)
            #expect(edited[other] == nil)
            edited[other] = .integer(3)
            #expect(edited.keys.map { Array($0.utf8) } == [Array(plain.utf8), Array(other.utf8)])
        }
    }
}
