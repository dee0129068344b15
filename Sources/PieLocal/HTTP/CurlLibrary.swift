import CCurl
import PieSystem

/// Opens libcurl at run time. pie does not link libcurl: linking it makes the dynamic loader map
/// and relocate some thirty libraries (OpenSSL, gnutls, Kerberos, LDAP, SSH, …) at every start,
/// about 10 ms, also for the commands that make no request. `CurlTransport` loads it instead when
/// it is created, and the first successful load runs `curl_global_init`.
enum CurlLibrary {
    /// The soname of Debian's libcurl4 (OpenSSL flavour), whose headers pie is built against.
    static let defaultName = "libcurl.so.4"

    /// Makes the `ccurl_*` functions usable. Repeated calls are cheap: the library is already
    /// mapped, so `dlopen` only counts a reference. `name` is injectable for tests.
    static func load(named name: String = defaultName) throws(CurlLoadError) {
        OpenSSLSetup.beforeOtherUsers()
        var reason = [CChar](repeating: 0, count: 512)
        let loaded = reason.withUnsafeMutableBufferPointer { buffer in
            ccurl_load(name, buffer.baseAddress, buffer.count)
        }
        guard loaded == 1 else {
            let text = String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw CurlLoadError(library: name, reason: text)
        }
    }
}
