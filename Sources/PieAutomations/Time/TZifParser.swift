/// Reads a TZif file (RFC 8536, versions 1–4): the transition times, the UT offset in force after
/// each, the offset before the first, and the footer's POSIX TZ rule for times after the last.
/// Version 2 and later files are read from their 64-bit second part; leap-second records are
/// skipped (instants here are POSIX time, which does not count leap seconds). Abbreviations and
/// the standard/wall and UT/local indicators describe how the data was written, not what the
/// offsets are, and are not needed.
struct TZifParser {
    struct Contents {
        var transitions: [Int64]
        var offsets: [Int32]
        var initialOffset: Int32
        var footer: PosixTimeZoneRule?
    }

    /// Why a file is not TZif, for `TimeZoneError.malformed`.
    struct Malformed: Error {
        let reason: String
    }

    private struct Counts {
        var isUT = 0, isStandard = 0, leap = 0, times = 0, types = 0, characters = 0
    }

    private let bytes: [UInt8]
    private var position = 0

    static func parse(_ bytes: [UInt8]) throws(Malformed) -> Contents {
        var parser = TZifParser(bytes: bytes)
        return try parser.contents()
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private mutating func contents() throws(Malformed) -> Contents {
        let version = try header()
        var counts = try self.counts()
        if version >= 2 {
            // Skip the 32-bit block; the second header describes the 64-bit data.
            try skip(counts.times * 5 + counts.types * 6 + counts.characters + counts.leap * 8 + counts.isStandard + counts.isUT)
            guard try header() == version else { throw Malformed(reason: "its two headers name different versions") }
            counts = try self.counts()
        }
        let timeSize = version >= 2 ? 8 : 4
        var transitions: [Int64] = []
        transitions.reserveCapacity(counts.times)
        for _ in 0..<counts.times {
            let time = timeSize == 8 ? try integer(8) : Int64(Int32(truncatingIfNeeded: try integer(4)))
            if let last = transitions.last, time <= last { throw Malformed(reason: "its transition times are not ascending") }
            transitions.append(time)
        }
        var typeIndices: [Int] = []
        for _ in 0..<counts.times { typeIndices.append(Int(try integer(1))) }
        var typeOffsets: [Int32] = []
        for _ in 0..<counts.types {
            let offset = Int32(truncatingIfNeeded: try integer(4))
            guard offset != .min, abs(Int(offset)) < 26 * 3600 else { throw Malformed(reason: "it has a UT offset out of range: \(offset) s") }
            typeOffsets.append(offset)
            try skip(2)
        }
        guard let initialOffset = typeOffsets.first else { throw Malformed(reason: "it has no local time type") }
        guard typeIndices.allSatisfy({ $0 < typeOffsets.count }) else { throw Malformed(reason: "a transition names a missing local time type") }
        try skip(counts.characters + counts.leap * (timeSize + 4) + counts.isStandard + counts.isUT)
        var footer: PosixTimeZoneRule?
        if version >= 2 {
            footer = try self.footer()
        }
        return Contents(
            transitions: transitions, offsets: typeIndices.map { typeOffsets[$0] }, initialOffset: initialOffset, footer: footer)
    }

    /// "TZif" and the version byte (NUL for 1, then '2', '3', '4'); returns the version.
    private mutating func header() throws(Malformed) -> Int {
        guard bytes.count - position >= 20, bytes[position..<position + 4].elementsEqual("TZif".utf8) else {
            throw Malformed(reason: "it does not start with the TZif magic")
        }
        let versionByte = bytes[position + 4]
        let version: Int
        switch versionByte {
        case 0: version = 1
        case UInt8(ascii: "2")...UInt8(ascii: "4"): version = Int(versionByte - UInt8(ascii: "0"))
        default: throw Malformed(reason: "it has an unknown TZif version byte \(versionByte)")
        }
        position += 20
        return version
    }

    private mutating func counts() throws(Malformed) -> Counts {
        var counts = Counts()
        for keyPath in [\Counts.isUT, \.isStandard, \.leap, \.times, \.types, \.characters] {
            let value = try integer(4)
            guard value >= 0, value <= 1 << 20 else { throw Malformed(reason: "a header count is out of range") }
            counts[keyPath: keyPath] = Int(value)
        }
        guard counts.types >= 1, counts.types <= 256 else { throw Malformed(reason: "it has \(counts.types) local time types (1–256 allowed)") }
        return counts
    }

    /// The footer: a newline, a POSIX TZ string (possibly empty), a newline.
    private mutating func footer() throws(Malformed) -> PosixTimeZoneRule? {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\n") else { throw Malformed(reason: "its footer does not start with a newline") }
        let start = position + 1
        guard let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) else { throw Malformed(reason: "its footer does not end with a newline") }
        guard end > start else { return nil }
        let text = String(decoding: bytes[start..<end], as: UTF8.self)
        guard let rule = PosixTimeZoneRuleParser.parse(text) else { throw Malformed(reason: "its footer '\(text)' is not a POSIX TZ rule") }
        return rule
    }

    /// A big-endian two's-complement integer of `size` bytes (1, 4 or 8); 4-byte values come back
    /// unsigned for the caller to reinterpret.
    private mutating func integer(_ size: Int) throws(Malformed) -> Int64 {
        guard bytes.count - position >= size else { throw Malformed(reason: "it ends early") }
        var value: UInt64 = 0
        for byte in bytes[position..<position + size] { value = value << 8 | UInt64(byte) }
        position += size
        return Int64(bitPattern: value)
    }

    private mutating func skip(_ count: Int) throws(Malformed) {
        guard bytes.count - position >= count else { throw Malformed(reason: "it ends early") }
        position += count
    }
}
