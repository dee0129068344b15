import Testing

@testable import PieAgent

@Suite struct IdentifierTests {
    @Test func cwdHashIsTheFirstSixBytesOfSHA256AsHex() throws {
        // python3 -c "import hashlib;print(hashlib.sha256(b'/tmp').hexdigest()[:12])"
        #expect(try PieDirectory.cwdHash("/tmp") == "e9671acd2448")
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
