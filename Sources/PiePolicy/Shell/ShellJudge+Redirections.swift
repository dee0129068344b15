/// Redirections and `cd`: where a redirection writes depends on the directory the shell is in,
/// so `cd` commands are followed (lexically) to keep that directory known.
extension ShellJudge {
    mutating func judgeRedirections(_ redirections: [ShellRedirection]) throws(ShellDenial) {
        guard rules.checkRedirections, !redirections.isEmpty else { return }
        for redirection in redirections {
            let target = redirection.target.staticValue
            if let target, OptionBytes.hasPrefix(target, "/dev/tcp/") || OptionBytes.hasPrefix(target, "/dev/udp/") {
                throw deny(
                    "redirect", "redirection to '\(target)' opens a network connection; it is denied")
            }
            var writes = redirection.op.writes
            if redirection.op == .duplicateOutput || redirection.op == .duplicateInput {
                if let target, Self.isDescriptorDuplication(target) { continue }
                writes = redirection.op == .duplicateOutput
            }
            guard writes else { continue }
            let display = "\(redirection.op.rawValue) \(redirection.target.display)"
            guard let target else {
                throw deny(
                    "redirect",
                    "the target of the redirection '\(display)' is only known at run time, so where it writes "
                        + "cannot be checked")
            }
            try checkWritable(target, subject: "the redirection '\(display)'", rule: "redirect")
        }
    }

    /// `2>&1`, `>&-`, `<&3-`: moving or closing a descriptor opens no file.
    static func isDescriptorDuplication(_ target: String) -> Bool {
        let digits = target.hasSuffix("-") ? target.dropLast() : Substring(target)
        return target == "-" || (!digits.isEmpty && digits.utf8.allSatisfy(ShellParser.isDigit))
    }

    /// Checks that `target` (a redirection's, or a file a command writes) lies where writes are
    /// allowed from every directory the shell may be in. `subject` names it in the denial,
    /// `rule` is the rule id recorded. With `tree`, everything below it is written too (`rm -r`),
    /// so it may not hold a protected, git or denied path either; a `destination` that is a
    /// write root is only written into, so it needs no tree check.
    mutating func checkWritable(
        _ target: String, subject: String, rule: String, tree: Bool = false, destination: Bool = false
    ) throws(ShellDenial) {
        let directories: [String]
        if target.utf8.first == UInt8(ascii: "/") {
            directories = ["/"]
        } else if let possibleDirectories {
            directories = possibleDirectories
        } else {
            throw deny(
                rule,
                "\(subject) uses a relative path after a 'cd' to an unknown directory, so where it writes "
                    + "cannot be checked")
        }
        for directory in directories {
            let path = ShellPath.resolve(target, against: directory)
            if rules.writableDevices.contains(where: { PathBytes.equal($0, path) }) { continue }
            if Self.reopensDescriptor(path) {
                throw deny(
                    rule,
                    "\(subject) writes '\(path)', which re-opens whatever file that descriptor holds "
                        + "(after '1<FILE' it truncates FILE); write '>&1' or '>&2' instead")
            }
            if let refusal = context.writeRefusal(path) {
                throw deny(rule, "\(subject) writes '\(path)', \(refusal)")
            }
            if let entry = tree ? context.ask.tree(path) : context.ask.path(path) {
                ask(
                    "ask_paths",
                    "\(subject) writes '\(path)'\(tree ? " and everything below it" : ""), which the ask_paths entry "
                        + "'\(entry)' covers: it runs only when a person approves it")
            }
            guard tree, !(destination && context.writeRoots.contains(where: { PathBytes.equal($0, path) })) else {
                continue
            }
            if let refusal = context.treeRefusal(path) {
                throw deny(
                    "recursive_write",
                    "\(subject) writes '\(path)' and everything below it, \(refusal); name the files below it instead")
            }
        }
        record(rule, .allow, "\(subject) writes inside the write roots")
    }

    /// `/dev/stdout`, `/dev/stderr`, `/dev/fd/N` and their `/proc/self/fd` forms are links to an
    /// open descriptor: opening one for writing opens the descriptor's file anew, even a file the
    /// same command opened for reading.
    static func reopensDescriptor(_ path: String) -> Bool {
        PathBytes.equal(path, "/dev/stdout") || PathBytes.equal(path, "/dev/stderr")
            || PathBytes.equal(path, "/dev/stdin") || PathNormalizer.isWithin(path, "/dev/fd")
            || PathNormalizer.isWithin(path, "/proc/self/fd") || PathNormalizer.isWithin(path, "/proc/thread-self/fd")
    }

    /// Adds the directory `cd` may move to. A `cd` may not run (`false && cd x`), so the old
    /// directories stay possible too.
    mutating func trackDirectoryChange(_ arguments: [ShellWord], unknownArguments: Bool) {
        guard let directories = possibleDirectories else { return }
        var operands = arguments[...]
        while let first = operands.first?.staticValue, OptionBytes.startsWithDash(first), !OptionBytes.equal(first, "-") {
            operands = operands.dropFirst()
            if OptionBytes.equal(first, "--") { break }
        }
        guard !unknownArguments, operands.count == 1, let target = operands.first?.staticValue, target != "-" else {
            possibleDirectories = nil
            return
        }
        var updated = directories
        for directory in directories {
            let moved = ShellPath.resolve(target, against: directory)
            if !updated.contains(moved) { updated.append(moved) }
        }
        possibleDirectories = updated.count > Self.maximumPossibleDirectories ? nil : updated
    }
}
