import PiePolicy
import PieSandbox

/// One `grep` search: the matcher, the file filter, the context and the match limit, applied
/// file by file.
struct GrepSearch {
    struct Found {
        var lines: [String] = []
        var matches = 0
        var linesTruncated = false
    }

    let matcher: GrepMatcher
    let glob: GlobPattern?
    let context: Int
    let limit: Int
    let files: any FileOperations
    let maxFileBytes: Int

    init(
        pattern: String, literal: Bool, ignoreCase: Bool, glob: GlobPattern?, context: Int, limit: Int,
        files: any FileOperations, maxFileBytes: Int
    ) throws(ToolFailure) {
        matcher = try GrepMatcher(pattern: pattern, literal: literal, ignoreCase: ignoreCase)
        self.glob = glob
        self.context = context
        self.limit = limit
        self.files = files
        self.maxFileBytes = maxFileBytes
    }

    /// Searches one file; returns false once the match limit is reached.
    func scan(_ path: String, shownAs shown: String, into found: inout Found) -> Bool {
        if let glob {
            let components = PathBytes.components(shown)
            let hit = glob.hasSlash ? glob.matches(components: components) : glob.matches(name: components.last ?? "")
            guard hit else { return true }
        }
        guard let bytes = try? files.read(path, maxBytes: maxFileBytes),
            !bytes.prefix(GrepTool.binarySniffBytes).contains(0)
        else { return true }
        guard matcher.mayMatch(bytes) else { return true }
        let lines = Truncation.lines(LineEndings.toLF(String(decoding: bytes, as: UTF8.self)))
        // The empty "line" after a final newline is not a line of the file.
        let count = lines.last?.isEmpty == true ? lines.count - 1 : lines.count
        for index in 0..<count where matcher.matches(lines[index]) {
            found.matches += 1
            let first = max(0, index - context)
            let last = min(count - 1, index + context)
            for number in first...last {
                let cut = Truncation.truncateLine(lines[number])
                if cut.wasTruncated { found.linesTruncated = true }
                let separator = number == index ? ":" : "-"
                found.lines.append("\(shown)\(separator)\(number + 1)\(separator) \(cut.text)")
            }
            if found.matches >= limit { return false }
        }
        return true
    }
}
