import CCrypto

/// HMAC-SHA256 (RFC 2104) computed by libcrypto, for signatures such as webhook payloads.
public enum HMACSHA256 {
    /// The 32-byte authentication code of `message` under `key`.
    public static func authenticationCode(
        key: some Collection<UInt8>, message: some Collection<UInt8>
    ) throws(CryptoLibraryError) -> [UInt8] {
        try CryptoLibrary.ensureLoaded()
        let key = Array(key)
        let message = Array(message)
        var mac = [UInt8](repeating: 0, count: SHA256.byteCount)
        let done = key.withUnsafeBufferPointer { keyBuffer in
            message.withUnsafeBufferPointer { messageBuffer in
                mac.withUnsafeMutableBufferPointer { macBuffer in
                    ccrypto_hmac_sha256(
                        keyBuffer.baseAddress, keyBuffer.count, messageBuffer.baseAddress, messageBuffer.count,
                        macBuffer.baseAddress)
                }
            }
        }
        guard done == 1 else { throw SHA256.failure("HMAC failed") }
        return mac
    }
}
