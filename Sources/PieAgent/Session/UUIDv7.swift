/// Time-ordered identifiers for session files (RFC 9562 version 7).
///
/// Session files are named by a UUIDv7 so a plain directory listing sorts them by creation time and
/// two processes starting sessions in the same millisecond still cannot collide (74 random bits).
public enum UUIDv7 {
    /// A new UUIDv7 string in the canonical lowercase 8-4-4-4-12 form.
    public static func generate(milliseconds: Int64 = Timestamp.nowMilliseconds()) -> String {
        var generator = SystemRandomNumberGenerator()
        return generate(milliseconds: milliseconds, using: &generator)
    }

    /// Layout: 48-bit big-endian Unix milliseconds, version nibble 7, 12 random bits, variant `10`,
    /// 62 random bits.
    public static func generate(
        milliseconds: Int64, using generator: inout some RandomNumberGenerator
    ) -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        let time = UInt64(max(0, milliseconds)) & 0xFFFF_FFFF_FFFF
        for index in 0..<6 {
            bytes[index] = UInt8(truncatingIfNeeded: time >> (8 * (5 - index)))
        }
        let random = generator.next() as UInt64
        let moreRandom = generator.next() as UInt64
        for index in 6..<8 {
            bytes[index] = UInt8(truncatingIfNeeded: random >> (8 * index))
        }
        for index in 8..<16 {
            bytes[index] = UInt8(truncatingIfNeeded: moreRandom >> (8 * (index - 8)))
        }
        bytes[6] = 0x70 | (bytes[6] & 0x0F)
        bytes[8] = 0x80 | (bytes[8] & 0x3F)
        return format(bytes)
    }

    /// The millisecond timestamp embedded in a UUIDv7 string, or nil if `text` is not one.
    public static func milliseconds(of text: String) -> Int64? {
        let hex = text.utf8.filter { $0 != UInt8(ascii: "-") }
        guard text.utf8.count == 36, hex.count == 32, hex[12] == UInt8(ascii: "7") else { return nil }
        var value: Int64 = 0
        for byte in hex.prefix(12) {
            guard let digit = hexValue(byte) else { return nil }
            value = value << 4 | Int64(digit)
        }
        return value
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    private static func format(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { out.append(UInt8(ascii: "-")) }
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
