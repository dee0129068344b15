import PieJSON
import Testing

/// Backtracking cost: patterns that repeat a repetition are refused, and the others are matched
/// only on strings short enough that even the worst string finishes (length^(repetitions+1) within
/// 10^8), so a server's pattern and a model's string cannot hang pie.
@Suite struct JSONSchemaPatternCostTests {
    static let decimal = #"^(?!^[-+.]*$)[+-]?0*\d*\.?\d*$"#

    @Test(arguments: ["(a+)+", "^(a*)*b$", "(?:x+y)*", "((ab)+c)+", "(a{1,})+", "([a-z]+)*$", "(a(b+)?)+"])
    func repeatedRepetitionIsRefused(pattern: String) throws {
        let document: JSONValue = ["properties": ["code": ["pattern": .string(pattern)]]]
        do {
            _ = try JSONSchema.compile(document)
            Issue.record("\(pattern) compiled")
        } catch {
            #expect(error.keyword == "pattern")
            #expect(error.description.contains("repeats a repetition"))
            #expect(error.description.contains("exponential time"))
        }
    }

    @Test(arguments: ["^(foo|bar)+$", "[a+]+", #"\(a+\)+"#, "(a+){2}", "(ab)+", "^[a-z]+(-[a-z]{1,8})*$", decimal])
    func otherPatternsCompile(pattern: String) throws {
        let document: JSONValue = ["pattern": .string(pattern)]
        #expect(throws: Never.self) { try JSONSchema.compile(document) }
    }

    @Test func longStringsAreReportedNotMatched() throws {
        let schema = try JSONSchema.compile(["pattern": .string(Self.decimal)])
        // Four unbounded repetitions: strings up to 39 characters (40^5 > 10^8).
        #expect(schema.validate(.string(String(repeating: "1", count: 39))) == [])
        #expect(
            schema.validate(.string(String(repeating: "1", count: 40)))
                == [#"value: the string is too long to check against /\#(Self.decimal)/ (more than 39 characters: matching longer strings could take too long)"#])
        // The string that takes Regex half a minute (a thousand zeros and an x) is not matched at all.
        #expect(schema.validate(.string(String(repeating: "0", count: 1000) + "x")).count == 1)
        // One repetition: up to 10,000; none: no limit.
        let word = try JSONSchema.compile(["pattern": "^[a-z]+$"])
        #expect(word.isValid(.string(String(repeating: "a", count: 10_000))))
        #expect(!word.isValid(.string(String(repeating: "a", count: 10_001))))
        #expect(try JSONSchema.compile(["pattern": "abc"]).isValid(.string(String(repeating: "x", count: 50_000) + "abc")))
    }

    @Test func longPropertyNamesAreReportedNotMatched() throws {
        let schema = try JSONSchema.compile(["patternProperties": ["^x-[a-z-]*[a-z]*$": true], "additionalProperties": false])
        // Two unbounded repetitions: names up to 464 characters.
        #expect(schema.isValid(.object(JSONObject([("x" + String(repeating: "-a", count: 200), .null)]))))
        let name = "x" + String(repeating: "-a", count: 300)
        let problems = schema.validate(.object(JSONObject([(name, .null)])))
        #expect(problems.count == 1)
        #expect(problems.first?.contains("is too long to check against") == true)
    }
}
