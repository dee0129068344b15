/// Path arithmetic on UTF-8 bytes, the way the kernel sees a path.
///
/// The kernel splits a path on the byte 0x2F and compares names byte for byte. Swift's `String`
/// works on grapheme clusters and compares by canonical equivalence, and both are wrong for paths:
/// U+0600 (a Prepend character) and the `/` after it form one cluster, so `x\u{600}/..` splits into
/// one component and the `..` is never collapsed; `"é" == "e\u{301}"` although the two name
/// different files. Every split, prefix test and comparison of paths in pie's policy, sandbox and
/// tools goes through here instead.
#if canImport(Glibc)
    import Glibc
#endif

public enum PathBytes {
    static let slash = UInt8(ascii: "/")
    static let dot = UInt8(ascii: ".")

    /// The components between slashes, empty ones dropped, split on the byte `/` only.
    public static func components(_ path: some StringProtocol) -> [Substring] {
        let text = Substring(path)
        return text.utf8.split(separator: slash, omittingEmptySubsequences: true).map { Substring($0) }
    }

    /// Whether `a` and `b` are the same bytes (not merely canonically equivalent).
    public static func equal(_ a: some StringProtocol, _ b: some StringProtocol) -> Bool {
        a.utf8.count == b.utf8.count && startsWith(a, b)
    }

    /// Whether the bytes of `text` begin with the bytes of `prefix`.
    public static func hasPrefix(_ text: some StringProtocol, _ prefix: some StringProtocol) -> Bool {
        startsWith(text, prefix)
    }

    /// `hasPrefix` with one `memcmp` over the strings' contiguous UTF-8 (every native string and
    /// substring has it): the policy asks this for every root, deny entry and protected path of
    /// every path it judges, and the element-wise `starts(with:)` was a tenth of a decision.
    static func startsWith(_ text: some StringProtocol, _ prefix: some StringProtocol) -> Bool {
        let count = prefix.utf8.count
        guard text.utf8.count >= count else { return false }
        if count == 0 { return true }
        let compared = text.utf8.withContiguousStorageIfAvailable { textBytes in
            prefix.utf8.withContiguousStorageIfAvailable { prefixBytes in
                memcmp(textBytes.baseAddress!, prefixBytes.baseAddress!, count) == 0
            }
        }
        if let compared, let result = compared { return result }
        return text.utf8.starts(with: prefix.utf8)
    }

    /// Runs `body` over the UTF-8 bytes of `text`, in place for a native string (every string pie
    /// builds), copied otherwise. Loops over these bytes cost a few instructions a byte where
    /// iterating `String.UTF8View` costs tens, and the policy walks every path of every call.
    static func withBytes<T>(of text: String, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        return Array(text.utf8).withUnsafeBufferPointer(body)
    }

    /// `PathNormalizer.isWithin` on bytes: `path` equals `root` or continues it with a `/`.
    static func isWithin(_ path: UnsafeBufferPointer<UInt8>, _ root: UnsafeBufferPointer<UInt8>) -> Bool {
        if root.count == 1, root[0] == slash { return true }
        guard path.count >= root.count else { return false }
        guard root.isEmpty || memcmp(path.baseAddress!, root.baseAddress!, root.count) == 0 else { return false }
        return path.count == root.count || path[root.count] == slash
    }

    /// Whether `path` is absolute: its first byte is `/`.
    public static func isAbsolute(_ path: some StringProtocol) -> Bool {
        path.utf8.first == slash
    }

    /// Whether a component is exactly `.`. Inlinable, as `isDotDot`: every directory entry listed
    /// is asked, and the unspecialized generic comparison was a visible part of a tree walk.
    @inlinable
    public static func isDot(_ component: some StringProtocol) -> Bool {
        let utf8 = component.utf8
        return utf8.count == 1 && utf8.first == UInt8(ascii: ".")
    }

    /// Whether a component is exactly `..`.
    @inlinable
    public static func isDotDot(_ component: some StringProtocol) -> Bool {
        let utf8 = component.utf8
        return utf8.count == 2 && utf8.allSatisfy { $0 == UInt8(ascii: ".") }
    }

    /// The bytes of `text` after its first `count` bytes; `count` must fall on a scalar boundary
    /// (it does after a byte-matched prefix that ends in, or is followed by, `/`).
    public static func dropFirst(_ text: String, bytes count: Int) -> String {
        let utf8 = text.utf8
        return String(Substring(utf8[utf8.index(utf8.startIndex, offsetBy: count)...]))
    }

    /// The last component (after the last `/` byte), or the whole path when it has no slash.
    public static func lastComponent(_ path: String) -> String {
        guard let last = components(path).last else { return path }
        return String(last)
    }

    /// Everything before the last `/` byte: `/` for `/a`, nil for a path without a slash.
    public static func parent(_ path: String) -> String? {
        let utf8 = path.utf8
        guard let slash = utf8.lastIndex(of: slash) else { return nil }
        if slash == utf8.startIndex { return "/" }
        return String(Substring(utf8[..<slash]))
    }

    /// `path` relative to `base` (both normalized), or nil when it is not strictly beneath `base`.
    public static func relative(_ path: String, to base: String) -> String? {
        guard PathNormalizer.isWithin(path, base), path.utf8.count != base.utf8.count else { return nil }
        return dropFirst(path, bytes: base.utf8.count == 1 ? 1 : base.utf8.count + 1)
    }
}
