/// libcurl could not be opened, so pie cannot make HTTP requests. Commands that need no model
/// still work; the description says what failed and how to install the library.
public struct CurlLoadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The name given to `dlopen`, e.g. `libcurl.so.4`.
    public let library: String
    /// What `dlopen`, `dlsym` or `curl_global_init` reported.
    public let reason: String

    public var description: String {
        "\(library) could not be loaded (\(reason)); pie needs it for HTTP requests: install it with `apt-get install libcurl4`"
    }
}
