import Testing
@testable import PieWebhooks

@Suite struct ConstantTimeTests {
    @Test("equal byte strings compare equal, including empty ones")
    func equal() {
        #expect(ConstantTime.equal([UInt8](), [UInt8]()))
        #expect(ConstantTime.equal(Array("sha256".utf8), Array("sha256".utf8)))
        let bytes = (0..<32).map { UInt8($0 * 7 & 0xFF) }
        #expect(ConstantTime.equal(bytes, bytes))
    }

    @Test("a difference in any single bit of any position is found")
    func everyPosition() {
        let base = (0..<32).map { UInt8($0 &* 31 & 0xFF) }
        for position in base.indices {
            for bit in 0..<8 {
                var changed = base
                changed[position] ^= 1 << bit
                #expect(!ConstantTime.equal(base, changed), "position \(position) bit \(bit)")
            }
        }
    }

    @Test("different lengths are unequal, also when one is a prefix of the other")
    func lengths() {
        let bytes = Array("0123456789abcdef".utf8)
        #expect(!ConstantTime.equal(bytes, bytes.dropLast()))
        #expect(!ConstantTime.equal(bytes.dropLast(), bytes))
        #expect(!ConstantTime.equal(bytes, [UInt8]()))
        #expect(!ConstantTime.equal(bytes, bytes + [0]))
    }
}
