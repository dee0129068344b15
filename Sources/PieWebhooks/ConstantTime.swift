/// Byte comparison whose running time depends on the lengths only, never on where the bytes first
/// differ: a signature compared with `==` stops at the first wrong byte, and the time it takes
/// tells an attacker how many leading bytes of a forged signature were right.
public enum ConstantTime {
    /// True when `lhs` and `rhs` hold the same bytes. Every byte pair of the shorter length is
    /// visited and folded into one accumulator with OR of XORs; the lengths (public: a signature's
    /// length is fixed by its scheme) are compared separately.
    public static func equal(_ lhs: some Collection<UInt8>, _ rhs: some Collection<UInt8>) -> Bool {
        var difference: UInt8 = lhs.count == rhs.count ? 0 : 1
        for (left, right) in zip(lhs, rhs) {
            difference |= left ^ right
        }
        return difference == 0
    }
}
