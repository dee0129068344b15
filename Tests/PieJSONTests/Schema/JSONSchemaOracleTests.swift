import Foundation
import PieJSON
import PieTestSupport
import Testing

/// Thousands of random (schema, instance) pairs over every supported keyword, judged by pie and by
/// Python's `jsonschema` (PyPI, pinned in scripts/install-deps.sh; the official
/// JSON-Schema-Test-Suite is not available offline): the verdicts must agree. One python3 process
/// judges them all (jsonschema_oracle.py). Fails, never skips, when the oracle is missing.
@Suite struct JSONSchemaOracleTests {
    static let schemaCount = 800

    @Test("800 random schemas × 4 instances: the same verdict as Python's jsonschema")
    func agreesWithJSONSchema() async throws {
        var generator = RandomSchema(seed: 2026)
        var cases: [(document: JSONValue, schema: JSONSchema?, instance: JSONValue)] = []
        var lines: [String] = []
        for _ in 0..<Self.schemaCount {
            let (document, instances) = generator.next()
            let schema = try? JSONSchema.compile(document)
            for instance in instances {
                cases.append((document, schema, instance))
                lines.append(JSONValue.object(["schema": document, "instance": instance]).rendered)
            }
        }
        let verdicts = try await Self.runOracle(lines)
        try #require(verdicts.count == cases.count, "jsonschema_oracle.py printed \(verdicts.count) lines for \(cases.count) cases")

        var mismatches: [String] = []
        var validCount = 0
        var refusedCount = 0
        for (testCase, verdict) in zip(cases, verdicts) {
            // A schema pie refuses must be one the draft's metaschema refuses too (the generator
            // makes some: a repeated type name); pie refuses no valid schema the generator makes.
            guard let schema = testCase.schema else {
                refusedCount += 1
                if !verdict.hasPrefix("error") {
                    mismatches.append("schema \(testCase.document.rendered): pie refused it, jsonschema \(verdict)")
                }
                continue
            }
            let problems = schema.validate(testCase.instance)
            let ours = problems.isEmpty ? "valid" : "invalid"
            if ours == "valid" { validCount += 1 }
            if schema.isValid(testCase.instance) != problems.isEmpty { mismatches.append("isValid disagrees with validate") }
            if verdict != ours {
                mismatches.append(
                    "schema \(testCase.document.rendered) instance \(testCase.instance.rendered): pie \(ours) \(problems), jsonschema \(verdict)")
            }
        }
        let mismatchCount = mismatches.count
        #expect(mismatchCount == 0, "\(mismatchCount) of \(cases.count) differ:\n\(mismatches.prefix(8).joined(separator: "\n"))")
        // Both verdicts are well represented, so neither side agrees by always saying the same.
        let judged = cases.count - refusedCount
        #expect(validCount > judged / 5 && validCount < judged * 4 / 5, "\(validCount) of \(judged) valid")
        #expect(refusedCount < cases.count / 10, "\(refusedCount) of \(cases.count) refused")
    }

    static func runOracle(_ lines: [String]) async throws -> [String] {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("jsonschema_oracle.py").path
        let input = lines.joined(separator: "\n") + "\n"
        let result = try await HostProcess.run(["/usr/bin/env", "python3", script], input: Array(input.utf8))
        try #require(
            result.status == 0,
            "python3 jsonschema_oracle.py failed (jsonschema missing? run scripts/install-deps.sh): \(result.stderrText)")
        return result.stdoutText.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }
}
