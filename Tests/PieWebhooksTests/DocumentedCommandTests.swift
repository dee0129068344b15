import PieTestSupport
import Testing
@testable import PieWebhooks

/// docs/webhooks.md's openssl + curl commands, run by bash against a real listener: what a user
/// copies gets 202, the same again 409, a changed body 401.
@Suite struct DocumentedCommandTests {
    /// The documented GitHub-style delivery, with the port and the delivery id made fixed.
    static func script(port: Int, body: String) -> String {
        """
        set -euo pipefail
        export DEPLOY_SECRET='\(WebhookListenerTests.secret)'
        body='\(body)'
        sig=$(printf '%s' "$body" | openssl dgst -sha256 -hmac "$DEPLOY_SECRET" | sed 's/^.*= //')
        curl -sS -o /dev/null -w '%{http_code}\\n' http://127.0.0.1:\(port)/hooks/deploy \\
          -H "X-Hub-Signature-256: sha256=$sig" \\
          -H "X-GitHub-Delivery: doc-1" \\
          -H 'Content-Type: application/json' \\
          --data-binary "$body"
        curl -sS -o /dev/null -w '%{http_code}\\n' http://127.0.0.1:\(port)/hooks/deploy \\
          -H "X-Hub-Signature-256: sha256=$sig" -H "X-GitHub-Delivery: doc-1" --data-binary "$body"
        curl -sS -o /dev/null -w '%{http_code}\\n' http://127.0.0.1:\(port)/hooks/deploy \\
          -H "X-Hub-Signature-256: sha256=$sig" -H "X-GitHub-Delivery: doc-2" --data-binary "$body "
        """
    }

    @Test("the documented openssl + curl delivery: 202, then 409 for the same, 401 for a changed body")
    func githubCommand() async throws {
        let served = try await WebhookListenerTests.serve()
        let body = #"{"action":"completed","deployment":{"environment":"production"}}"#
        let result = try await HostProcess.run(["/bin/bash", "-c", Self.script(port: served.port, body: body)])
        let (status, output) = (result.status, result.stdoutText)
        #expect(status == 0)
        #expect(output == "202\n409\n401\n")
        let runs = await served.sink.runs
        #expect(runs.map(\.bodies) == [[Array(body.utf8)]])
        await served.listener.stop()
    }
}
