/// Why a delivery's signature was not accepted. Every case is answered with 401 and queues
/// nothing; the text names the header and what a sender must do, and is safe to send back (it
/// never contains the secret or the expected signature).
public enum SignatureFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The scheme's header is absent.
    case missingHeader(String)
    /// The header was sent more than once.
    case repeatedHeader(String)
    /// The header is not in the scheme's form (`expected` describes it).
    case malformedHeader(String, expected: String)
    /// The timestamp (Slack) is further from now than the window allows, in either direction.
    case staleTimestamp(header: String, timestamp: Int64, now: Int64, toleranceSeconds: Int64)
    /// Well-formed, but not the authentication code of this body under this automation's secret.
    case mismatch(header: String)
    /// libcrypto could not compute the code (the server's fault, not the sender's).
    case cryptoUnavailable(String)

    public var description: String {
        switch self {
        case .missingHeader(let name):
            "missing \(name): sign the raw body with the shared secret and send the signature in \(name)"
        case .repeatedHeader(let name):
            "\(name) was sent more than once: send exactly one signature"
        case .malformedHeader(let name, let expected):
            "\(name) is not of the form \(expected)"
        case .staleTimestamp(let name, let timestamp, let now, let tolerance):
            "\(name) \(timestamp) is \(abs(now - timestamp)) s from the server's time \(now) (at most \(tolerance) s allowed): sign with the current time and check both clocks"
        case .mismatch(let name):
            "\(name) does not match the body: check the shared secret and that the body is signed exactly as sent"
        case .cryptoUnavailable(let reason):
            "the server could not compute HMAC-SHA256: \(reason)"
        }
    }
}
