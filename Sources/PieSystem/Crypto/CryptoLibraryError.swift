/// libcrypto could not be opened or did not compute a digest; the message names the package to
/// install.
public struct CryptoLibraryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The name given to `dlopen`, e.g. `libcrypto.so.3`.
    public let library: String
    /// What `dlopen`, `dlsym` or the digest call reported.
    public let reason: String

    public var description: String {
        "\(library) could not be loaded (\(reason)); pie needs it for SHA-256 (audit log, session "
            + "directories): install it with `apt-get install libssl3`"
    }
}
