import CCrypto

/// Opens OpenSSL's libcrypto at run time, the first time something is hashed. pie does not link
/// it, for the reason it does not link libcurl: every start would pay for mapping it, also the
/// commands that never hash (`pie --version` starts in about 2 ms).
enum CryptoLibrary {
    /// The soname of Debian 12's libssl3 (OpenSSL 3), whose headers (libssl-dev) pie is built against.
    static let defaultName = "libcrypto.so.3"

    /// Makes the `ccrypto_*` functions usable: after the first success, one atomic load.
    static func ensureLoaded() throws(CryptoLibraryError) {
        if ccrypto_ready() == 1 { return }
        try load(named: defaultName)
    }

    /// Opens and checks `name` (injectable for tests); the first success installs its functions.
    static func load(named name: String) throws(CryptoLibraryError) {
        var reason = [CChar](repeating: 0, count: 512)
        let loaded = reason.withUnsafeMutableBufferPointer { buffer in
            ccrypto_load(name, buffer.baseAddress, buffer.count)
        }
        guard loaded == 1 else {
            let text = String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw CryptoLibraryError(library: name, reason: text)
        }
    }
}

/// OpenSSL is set up once per process, by whoever calls it first, and OpenSSL 3 then frees its
/// state in an atexit handler. libcurl (TLS) initialises it too, with that handler; a thread still
/// hashing an audit record while the process exits then crashes inside libcrypto (seen once in a
/// foreground automation run). Loading libcrypto through `CryptoLibrary` first sets it up without
/// the handler (`OPENSSL_INIT_NO_ATEXIT`), so libraries that load it later find it so.
public enum OpenSSLSetup {
    /// Call before loading another library that uses OpenSSL (libcurl). When libcrypto cannot be
    /// loaded here, that library sets OpenSSL up itself, and hashing reports the missing library
    /// where it is needed.
    public static func beforeOtherUsers() {
        do {
            try CryptoLibrary.ensureLoaded()
        } catch {
            return
        }
    }
}
