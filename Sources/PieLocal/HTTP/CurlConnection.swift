import CCurl

/// A libcurl multi handle with one easy handle, reused for consecutive requests so the
/// connection (and its TLS session) stays open between turns.
///
/// `@unchecked Sendable`: the handles are only touched by the one transfer that has checked the
/// connection out of `CurlConnectionPool`, except `wakeUp()`, which libcurl documents as callable
/// from any thread.
final class CurlConnection: @unchecked Sendable {
    let multi: UnsafeMutableRawPointer
    let easy: UnsafeMutableRawPointer

    init?() {
        guard let multi = ccurl_multi_init() else { return nil }
        guard let easy = ccurl_easy_init() else {
            ccurl_multi_cleanup(multi)
            return nil
        }
        self.multi = multi
        self.easy = easy
    }

    /// Interrupts a `curl_multi_poll` in progress so the transfer loop notices cancellation.
    func wakeUp() {
        _ = ccurl_multi_wakeup(multi)
    }

    deinit {
        ccurl_easy_cleanup(easy)
        ccurl_multi_cleanup(multi)
    }
}
