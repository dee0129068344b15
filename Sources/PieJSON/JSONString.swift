/// Decoding the contents of a JSON string, which `JSONScanner` has already checked.
///
/// Escapes other than `\n \t \r \b \f \uXXXX` stand for the character after the backslash (so
/// `\"`, `\\` and `\/` work, and a stray `\x` reads as `x`); a `\u` pair of surrogates is one
/// character and a lone surrogate becomes U+FFFD; invalid UTF-8 is repaired to U+FFFD.
@usableFromInline
enum JSONString {
    /// The value of the four hex digits at `position`, or `nil` when they are not all there.
    static func hex4(_ bytes: UnsafeRawBufferPointer, at position: Int) -> UInt16? {
        guard position >= 0, position + 4 <= bytes.count else { return nil }
        var value: UInt16 = 0
        for offset in 0..<4 {
            let byte = bytes[position + offset]
            let digit: UInt16
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt16(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt16(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt16(byte - UInt8(ascii: "A") + 10)
            default: return nil
            }
            value = value << 4 | digit
        }
        return value
    }

    /// The text of a string's contents (the bytes between its quotes). Contents cut short in
    /// partial mode end before a trailing backslash or incomplete `\u` escape.
    @usableFromInline
    static func decode(_ raw: UnsafeRawBufferPointer) -> String {
        let firstEscape = nextBackslash(in: raw, from: 0)
        guard firstEscape < raw.count else { return String(decoding: raw, as: UTF8.self) }
        // Every escape is at least as long as the UTF-8 it stands for.
        return String(unsafeUninitializedCapacity: raw.count) { out in
            var written = 0
            var index = 0
            var escape = firstEscape
            while true {
                // The plain bytes up to the escape (or the end) in one copy.
                UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: out[written..<written + escape - index]))
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[index..<escape]))
                written += escape - index
                guard escape + 1 < raw.count else { return written }
                let escaped = raw[escape + 1]
                index = escape + 2
                if escaped == UInt8(ascii: "u") {
                    guard let scalar = unicodeEscape(raw, at: &index) else { return written }
                    written += encode(scalar, into: out, at: written)
                } else {
                    out[written] = unescaped(escaped)
                    written += 1
                }
                escape = nextBackslash(in: raw, from: index)
            }
        }
    }

    private static func nextBackslash(in raw: UnsafeRawBufferPointer, from start: Int) -> Int {
        var index = start
        while index < raw.count, raw[index] != UInt8(ascii: "\\") { index += 1 }
        return index
    }

    /// What a backslash followed by `escape` stands for, `u` aside.
    private static func unescaped(_ escape: UInt8) -> UInt8 {
        switch escape {
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "t"): 0x09
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        default: escape
        }
    }

    /// Writes the UTF-8 of `scalar` at `offset`; returns how many bytes that took.
    private static func encode(_ scalar: Unicode.Scalar, into out: UnsafeMutableBufferPointer<UInt8>, at offset: Int) -> Int {
        let value = scalar.value
        switch value {
        case ..<0x80:
            out[offset] = UInt8(value)
            return 1
        case ..<0x800:
            out[offset] = UInt8(0xC0 | value >> 6)
            out[offset + 1] = UInt8(0x80 | value & 0x3F)
            return 2
        case ..<0x1_0000:
            out[offset] = UInt8(0xE0 | value >> 12)
            out[offset + 1] = UInt8(0x80 | value >> 6 & 0x3F)
            out[offset + 2] = UInt8(0x80 | value & 0x3F)
            return 3
        default:
            out[offset] = UInt8(0xF0 | value >> 18)
            out[offset + 1] = UInt8(0x80 | value >> 12 & 0x3F)
            out[offset + 2] = UInt8(0x80 | value >> 6 & 0x3F)
            out[offset + 3] = UInt8(0x80 | value & 0x3F)
            return 4
        }
    }

    /// Reads the hex digits of a `\u` escape at `index`, and a second `\u` escape after it when
    /// the two form a surrogate pair; `nil` when the digits are cut short.
    private static func unicodeEscape(_ raw: UnsafeRawBufferPointer, at index: inout Int) -> Unicode.Scalar? {
        guard let unit = hex4(raw, at: index) else { return nil }
        index += 4
        if (0xD800..<0xDC00).contains(unit), index + 6 <= raw.count, raw[index] == UInt8(ascii: "\\"),
           raw[index + 1] == UInt8(ascii: "u"), let low = hex4(raw, at: index + 2), (0xDC00..<0xE000).contains(low)
        {
            index += 6
            return Unicode.Scalar(0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00))
        }
        // Lone surrogates become U+FFFD rather than failing the whole chunk.
        return Unicode.Scalar(UInt32(unit)) ?? "\u{FFFD}"
    }
}
