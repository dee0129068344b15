import Testing
@testable import PieJSON

/// `JSONEscaper.escape` is the one string escaper of pie's JSON writers (reports, audit log).
@Suite struct JSONEscaperTests {
    @Test("quotes, backslashes, control characters, DEL and U+2028/9 are escaped; the rest is copied")
    func escaping() {
        var out = ""
        JSONEscaper.escape("\"a\\b\nc\rd\te\u{01}\u{1F}\u{7F}\u{2028}\u{2029}\u{E9}😀e\u{301}\"", into: &out)
        let expected = #""\"a\\b\nc\rd\te\u0001\u001f\u007f\u2028\u2029"# + "\u{E9}😀e\u{301}" + #"\"""#
        #expect(Array(out.utf8) == Array(expected.utf8))
    }

    @Test("text without anything to escape is copied whole")
    func plainText() {
        var out = "x"
        JSONEscaper.escape("/home/user/.ssh", into: &out)
        #expect(out == "x\"/home/user/.ssh\"")
        JSONEscaper.escape("", into: &out)
        #expect(out == "x\"/home/user/.ssh\"\"\"")
    }
}
