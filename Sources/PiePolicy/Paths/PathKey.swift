/// A path as a dictionary or set key: hashed and compared by its bytes, so two spellings that
/// Swift's `String` deems canonically equivalent (`é` and `e\u{301}`) stay two paths, as they are
/// two files to the kernel.
public struct PathKey: Hashable, Sendable {
    public let bytes: [UInt8]

    public init(_ path: some StringProtocol) {
        bytes = Array(path.utf8)
    }
}
