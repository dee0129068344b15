/// Reading a JSON number from its bytes. A number is valid exactly when `Double(String)` reads
/// it, as it always was; plain integers are read without building a String.
@usableFromInline
enum JSONNumber {
    /// 2^53: below it a double holds every integer, so integral numbers print and read as `Int`s.
    static let exactIntegerLimit: Double = 9_007_199_254_740_992

    static func isValid(_ text: UnsafeRawBufferPointer) -> Bool {
        Double(String(decoding: text, as: UTF8.self)) != nil
    }

    /// The value of a number `JSONScanner` accepted.
    @usableFromInline
    static func value(_ text: UnsafeRawBufferPointer) -> Double {
        if let integer = smallInteger(text) {
            return integer == 0 && text.first == UInt8(ascii: "-") ? -0.0 : Double(integer)
        }
        return Double(String(decoding: text, as: UTF8.self)) ?? .nan
    }

    /// `-?[0-9]{1,15}` as an Int. Fifteen digits stay below 2^53, so the Int is exactly the
    /// Double that `Double(String)` would give.
    @usableFromInline
    static func smallInteger(_ text: UnsafeRawBufferPointer) -> Int? {
        let negative = text.first == UInt8(ascii: "-")
        let digits = negative ? text.count - 1 : text.count
        guard digits > 0, digits <= 15 else { return nil }
        var magnitude = 0
        for byte in text[(negative ? 1 : 0)...] {
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            magnitude = magnitude * 10 + Int(digit)
        }
        return negative ? -magnitude : magnitude
    }
}
