import CCrypto

/// SHA-256 (FIPS 180-4) computed by OpenSSL's libcrypto, for the audit log's hash chain and the
/// session directory names. Incremental: `update` any number of times, then `finalize` once.
public struct SHA256: ~Copyable {
    /// Length of a digest in bytes.
    public static let byteCount = 32
    private let context: OpaquePointer

    /// Loads libcrypto on first use.
    public init() throws(CryptoLibraryError) {
        try CryptoLibrary.ensureLoaded()
        guard let context = ccrypto_sha256_new() else { throw Self.failure("EVP_DigestInit_ex failed") }
        self.context = context
    }

    deinit { ccrypto_digest_free(context) }

    public mutating func update(_ bytes: some Collection<UInt8>) throws(CryptoLibraryError) {
        let done =
            bytes.withContiguousStorageIfAvailable { buffer in
                ccrypto_digest_update(context, buffer.baseAddress, buffer.count)
            } ?? Array(bytes).withUnsafeBufferPointer { ccrypto_digest_update(context, $0.baseAddress, $0.count) }
        guard done == 1 else { throw Self.failure("EVP_DigestUpdate failed") }
    }

    /// The 32-byte digest of everything given to `update`.
    public consuming func finalize() throws(CryptoLibraryError) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Self.byteCount)
        let context = self.context
        discard self
        let done = digest.withUnsafeMutableBufferPointer { ccrypto_sha256_finish(context, $0.baseAddress) }
        guard done == 1 else { throw Self.failure("EVP_DigestFinal_ex failed") }
        return digest
    }

    /// The digest of `bytes` in one call.
    public static func hash(_ bytes: some Collection<UInt8>) throws(CryptoLibraryError) -> [UInt8] {
        var hasher = try SHA256()
        try hasher.update(bytes)
        return try hasher.finalize()
    }

    /// The lowercase hex digest of a string's UTF-8 bytes.
    public static func hex(_ text: String) throws(CryptoLibraryError) -> String {
        Hex.lowercase(try hash(text.utf8))
    }

    static func failure(_ reason: String) -> CryptoLibraryError {
        CryptoLibraryError(library: CryptoLibrary.defaultName, reason: reason)
    }
}
