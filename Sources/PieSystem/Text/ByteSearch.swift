import CPieSys
import Glibc

/// Searching bytes with glibc's `memchr` and `memmem` (vectorised, two-way), for scans of whole
/// files where a byte-by-byte Swift loop would cost more than reading them.
public enum ByteSearch {
    /// Whether `needle` occurs in `haystack`; an empty needle always does.
    public static func contains(_ needle: UnsafeRawBufferPointer, in haystack: UnsafeRawBufferPointer) -> Bool {
        guard let pin = needle.baseAddress, !needle.isEmpty else { return true }
        guard let hay = haystack.baseAddress, haystack.count >= needle.count else { return false }
        return cpie_memmem(hay, haystack.count, pin, needle.count) != nil
    }

    /// Whether `byte` occurs in `haystack`.
    public static func contains(_ byte: UInt8, in haystack: UnsafeRawBufferPointer) -> Bool {
        guard let hay = haystack.baseAddress, !haystack.isEmpty else { return false }
        return memchr(hay, Int32(byte), haystack.count) != nil
    }
}
