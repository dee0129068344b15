import Glibc
import PiePolicy
import PieSandbox
import PieSystem

/// One `grep` search: the matcher, the file filter, the context and the match limit.
///
/// A tree is searched in walk order, a batch of files at a time: the batch's files are read and
/// searched on a few concurrent tasks while the walker gathers the next batch, then their matches
/// are added in walk order until the limit, so the output is the same as one file after another.
struct GrepSearch: Sendable {
    /// The output lines of one match: the matching line with its context.
    struct Match: Sendable {
        var lines: [String]
        var linesTruncated: Bool
    }

    struct Found {
        var lines: [String] = []
        var matches = 0
        var linesTruncated = false

        /// Adds one file's matches in order; false once `limit` matches are in.
        mutating func add(_ file: [Match], limit: Int) -> Bool {
            for match in file {
                matches += 1
                lines += match.lines
                if match.linesTruncated { linesTruncated = true }
                if matches >= limit { return false }
            }
            return true
        }
    }

    /// A file of the walk to search, read through its open directory.
    private struct Candidate: Sendable {
        var directory: (any DirectoryHandle)?
        var name: String
        var path: String
        var shown: String
    }

    /// Files gathered per concurrent task in one batch.
    static let filesPerTask = 64

    let matcher: GrepMatcher
    let glob: GlobPattern?
    let context: Int
    let limit: Int
    let files: any FileOperations
    let maxFileBytes: Int
    /// Concurrent tasks searching a batch.
    let tasks: Int

    init(
        pattern: String, literal: Bool, ignoreCase: Bool, glob: GlobPattern?, context: Int, limit: Int,
        files: any FileOperations, maxFileBytes: Int, tasks: Int = GrepSearch.defaultTasks
    ) throws(ToolFailure) {
        matcher = try GrepMatcher(pattern: pattern, literal: literal, ignoreCase: ignoreCase)
        self.glob = glob
        self.context = context
        self.limit = limit
        self.files = files
        self.maxFileBytes = maxFileBytes
        self.tasks = max(1, tasks)
    }

    /// One task per online processor, at most four.
    static var defaultTasks: Int { min(4, max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// Whether the glob (if any) lets the file shown as `shown` be searched.
    func accepts(_ shown: String) -> Bool {
        guard let glob else { return true }
        let components = PathBytes.components(shown)
        return glob.hasSlash ? glob.matches(components: components) : glob.matches(name: components.last ?? "")
    }

    /// Searches one file named by path; returns false once the match limit is reached.
    func scan(_ path: String, shownAs shown: String, into found: inout Found) -> Bool {
        guard accepts(shown), let bytes = try? files.read(path, maxBytes: maxFileBytes) else { return true }
        return found.add(matches(in: bytes, shownAs: shown), limit: limit)
    }

    /// Searches the walk's regular files into `found`; returns true when the match limit (or a
    /// cancellation) stopped it before the walk ended.
    func scan(_ walker: inout TreeWalker, into found: inout Found) async -> Bool {
        var batch = Self.gather(&walker, count: tasks * Self.filesPerTask, accepting: self)
        while !batch.isEmpty {
            if Task.isCancelled { return true }
            let current = batch
            let results = await withTaskGroup(of: (Int, [[Match]]).self) { group in
                let size = (current.count + tasks - 1) / tasks
                for (part, start) in stride(from: 0, to: current.count, by: size).enumerated() {
                    let slice = Array(current[start..<min(start + size, current.count)])
                    group.addTask { (part, search(slice)) }
                }
                batch = Self.gather(&walker, count: tasks * Self.filesPerTask, accepting: self)
                var parts: [(Int, [[Match]])] = []
                for await part in group { parts.append(part) }
                return parts.sorted { $0.0 < $1.0 }.flatMap(\.1)
            }
            for file in results where !found.add(file, limit: limit) { return true }
        }
        return false
    }

    /// The next `count` files of the walk the glob accepts.
    private static func gather(_ walker: inout TreeWalker, count: Int, accepting search: GrepSearch) -> [Candidate] {
        var batch: [Candidate] = []
        while batch.count < count, let entry = walker.next() {
            guard entry.kind == .regular, search.accepts(entry.relative) else { continue }
            batch.append(Candidate(directory: entry.directory, name: entry.name, path: entry.path, shown: entry.relative))
        }
        return batch
    }

    /// Reads and searches `files` in order. What was read through a directory that moved while it
    /// was held (renamed, perhaps out of the roots) is dropped: checked after the reads.
    private func search(_ candidates: [Candidate]) -> [[Match]] {
        var results = candidates.map { candidate -> [Match] in
            let bytes =
                if let directory = candidate.directory {
                    try? directory.read(candidate.name, maxBytes: maxFileBytes)
                } else {
                    try? files.read(candidate.path, maxBytes: maxFileBytes)
                }
            return bytes.map { matches(in: $0, shownAs: candidate.shown) } ?? []
        }
        var start = 0
        while start < candidates.count {
            var end = start + 1
            let directory = candidates[start].directory
            while end < candidates.count, candidates[end].directory === directory { end += 1 }
            if let directory, !directory.isInPlace() {
                for index in start..<end { results[index] = [] }
            }
            start = end
        }
        return results
    }

    /// The matches of one file's bytes, at most `limit`; none for a binary file (a NUL in the
    /// first `GrepTool.binarySniffBytes`).
    func matches(in bytes: [UInt8], shownAs shown: String) -> [Match] {
        let binary = bytes.withUnsafeBytes { raw in
            ByteSearch.contains(0, in: UnsafeRawBufferPointer(rebasing: raw.prefix(GrepTool.binarySniffBytes)))
        }
        guard !binary, matcher.mayMatch(bytes), matcher.hasRequiredLiteral(bytes) else { return [] }
        var text = String(decoding: bytes, as: UTF8.self)
        if bytes.withUnsafeBytes({ ByteSearch.contains(0x0D, in: $0) }) { text = LineEndings.toLF(text) }
        let lines = Truncation.lines(text)
        // The empty "line" after a final newline is not a line of the file.
        let count = lines.last?.isEmpty == true ? lines.count - 1 : lines.count
        var found: [Match] = []
        for index in 0..<count where matcher.matches(lines[index]) {
            var match = Match(lines: [], linesTruncated: false)
            let first = max(0, index - context)
            let last = min(count - 1, index + context)
            for number in first...last {
                let cut = Truncation.truncateLine(lines[number])
                if cut.wasTruncated { match.linesTruncated = true }
                let separator = number == index ? ":" : "-"
                match.lines.append("\(shown)\(separator)\(number + 1)\(separator) \(cut.text)")
            }
            found.append(match)
            if found.count >= limit { break }
        }
        return found
    }
}
