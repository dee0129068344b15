import Testing

@testable import PieSystem

@Suite("SecretRedactor") struct SecretRedactorTests {
    let redactor = SecretRedactor(
        environment: [
            "OPENAI_API_KEY": "sk-abcdef123456", "GITHUB_TOKEN": "ghp_token_value", "DB_PASSWORD": "hunter22",
            "MY_SECRET": "short", "PATH": "/usr/bin:/bin",
        ],
        extraSecrets: ["stored-provider-key-xyz"])

    @Test func namedVariablesAndExtrasAreRedacted() {
        let text = "key=sk-abcdef123456 tok=ghp_token_value pw=hunter22 extra=stored-provider-key-xyz path=/usr/bin:/bin"
        #expect(
            redactor.redact(text)
                == "key=[REDACTED] tok=[REDACTED] pw=[REDACTED] extra=[REDACTED] path=/usr/bin:/bin")
    }

    @Test func shortValuesAndOrdinaryNamesAreKept() {
        #expect(redactor.redact("short and /usr/bin:/bin") == "short and /usr/bin:/bin")
        #expect(SecretRedactor.isSecretName("aws_secret_access_key"))
        #expect(!SecretRedactor.isSecretName("HOME"))
    }

    @Test func streamCatchesASecretSplitAcrossChunks() {
        var stream = SecretRedactor.Stream(redactor)
        var output = stream.feed(Array("before sk-abc".utf8))
        output += stream.feed(Array("def123456 after".utf8))
        output += stream.finish()
        #expect(String(decoding: output, as: UTF8.self) == "before [REDACTED] after")
    }

    @Test func streamDoesNotHoldBackUnrelatedText() {
        var stream = SecretRedactor.Stream(redactor)
        #expect(stream.feed(Array("plain text".utf8)) == Array("plain text".utf8))
    }
}
