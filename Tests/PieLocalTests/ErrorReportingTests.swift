import Testing
@testable import PieLocal
import PieSystem

@Suite struct ErrorReportingTests {
    @Test func redactsKeysBearerTokensAndCredentialMembers() {
        let text = #"bad key sk-live-abcdef used; Authorization: Bearer tok.123 and {"api_key": "k-999", "token":"t-1", "model":"m"}"#
        let clean = SecretRedactor(extraSecrets: ["sk-live-abcdef"]).redactCredentials(text)
        #expect(!clean.contains("sk-live-abcdef"))
        #expect(!clean.contains("tok.123"))
        #expect(!clean.contains("k-999"))
        #expect(!clean.contains("t-1"))
        #expect(clean.contains(#""model":"m""#))
    }

    @Test(arguments: [
        (#"{"error":{"message":"Invalid model","type":"invalid_request_error"}}"#, "Invalid model"),
        (#"{"error":"model 'x' not found"}"#, "model 'x' not found"),
        ("upstream connect error\nor disconnect", "upstream connect error or disconnect"),
        ("<!DOCTYPE html><html><body><h1>503 Service Temporarily Unavailable</h1></body></html>", "503 Service Temporarily Unavailable"),
    ] as [(String, String)])
    func errorBodiesBecomeOneShortLine(_ expectation: (String, String)) {
        #expect(ErrorBody.brief(Array(expectation.0.utf8), secrets: []) == expectation.1)
    }

    @Test func longBodiesAreTruncated() {
        let brief = ErrorBody.brief(Array(String(repeating: "x", count: 5_000).utf8), secrets: [])
        #expect(brief.count == ErrorBody.maxLength + 1)
        #expect(brief.hasSuffix("…"))
    }

    @Test func overflowMessagesFromServersAreRecognised() {
        for message in [
            "This model's maximum context length is 8192 tokens. However, you requested 9000 tokens",
            "prompt is too long: 210000 tokens > 200000 maximum",
            "the request exceeds the available context size, try increasing it",
            "Trying to keep the first 5000 tokens when context the overflows. However, the model is loaded with context length of only 4096 tokens, which is not enough. greater than the context length",
        ] {
            #expect(ContextOverflow.matches(message), "\(message)")
        }
        #expect(!ContextOverflow.matches("rate limit exceeded"))
    }
}
