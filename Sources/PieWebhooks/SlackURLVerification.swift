import PieJSON

/// Slack's Events API checks a new request URL by sending a signed `{"type":"url_verification",
/// "challenge":"…"}` and expecting the challenge back (api.slack.com, "url_verification" event).
/// It is answered, after the signature checked out, with 200 and the challenge, and queues no
/// run: it is Slack's handshake, not an event.
enum SlackURLVerification {
    /// The challenge of a url_verification body, or nil for any other body (a form-encoded slash
    /// command, an event, anything that is not that JSON shape).
    static func challenge(in body: [UInt8]) -> String? {
        guard body.first == UInt8(ascii: "{") else { return nil }
        let value: JSONValue
        do {
            value = try JSONParser.parse(body)
        } catch {
            // Not JSON, so not the handshake: an ordinary delivery, which the run sees as data.
            return nil
        }
        guard value["type"]?.stringValue == "url_verification", let challenge = value["challenge"]?.stringValue else { return nil }
        return challenge
    }
}
