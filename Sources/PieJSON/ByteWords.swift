/// Tests eight bytes at once for the few bytes a scanner stops at, so the long runs of text
/// between them (the contents of JSON strings) are not walked one byte at a time.
enum ByteWords {
    /// The eight bytes at `offset` with the first in the lowest bits, whatever the platform.
    @inline(__always)
    static func load(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt64 {
        UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// `byte` in all eight lanes, to compare a word against.
    @inline(__always)
    static func repeating(_ byte: UInt8) -> UInt64 {
        UInt64(byte) &* 0x0101_0101_0101_0101
    }

    /// Non-zero exactly when a lane of `word` equals the same lane of `pattern`, and then the
    /// lowest set bit is the top bit of the first such lane. (Lanes above it may be flagged
    /// wrongly by the borrow, so only the first flag means anything.)
    @inline(__always)
    static func firstEqualLane(_ word: UInt64, _ pattern: UInt64) -> UInt64 {
        let difference = word ^ pattern
        return (difference &- 0x0101_0101_0101_0101) & ~difference & 0x8080_8080_8080_8080
    }

    /// How many lanes come before the first flagged one in a non-zero `firstEqualLane` result
    /// (or several OR-ed together).
    @inline(__always)
    static func lanesBefore(_ flags: UInt64) -> Int {
        flags.trailingZeroBitCount >> 3
    }
}
