import Testing

@testable import PieAgent

@Suite struct IdentifierTests {
    @Test func sha256MatchesKnownVectors() {
        #expect(SHA256.hex(Array("".utf8)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let long = Array(String(repeating: "a", count: 1000).utf8)
        #expect(SHA256.hex(long) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    @Test func uuidv7EncodesTimeVersionAndVariant() {
        let id = UUIDv7.generate(milliseconds: 1_764_078_374_123)
        let characters = Array(id)
        #expect(id.count == 36)
        #expect(characters[14] == "7")
        #expect("89ab".contains(characters[19]))
        #expect(UUIDv7.milliseconds(of: id) == 1_764_078_374_123)
    }

    @Test func uuidv7SortsByCreationTime() {
        let earlier = UUIDv7.generate(milliseconds: 1_000_000)
        let later = UUIDv7.generate(milliseconds: 1_000_001)
        #expect(earlier < later)
    }

    @Test func timestampsRoundTripThroughISOStrings() {
        #expect(Timestamp.iso(milliseconds: 1_733_234_400_000) == "2024-12-03T14:00:00.000Z")
        #expect(Timestamp.parseISO("2024-12-03T14:00:00.000Z") == 1_733_234_400_000)
        #expect(Timestamp.parseISO("2024-12-03T15:00:00.5+01:00") == 1_733_234_400_500)
        #expect(Timestamp.parseISO("yesterday") == nil)
    }
}
