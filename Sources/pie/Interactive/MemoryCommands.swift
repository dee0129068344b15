import PieAgent
import PieSandbox

/// `/memory`: the memories later sessions load (the user's and this project's), listed, and
/// removed after a `[y/N]` question as the policy's approvals ask it: only `y` or `yes` removes.
struct MemoryCommands {
    let store: MemoryStore
    /// Shows the question and returns the answer line, or nil when none can come.
    let ask: (String) async -> String?

    func run(_ argument: String) async throws(PieExit) {
        let words = argument.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        switch words.first ?? "" {
        case "", "list":
            guard words.count <= 1 else { throw PieExit.usage("usage: \(SlashCommand.memory.usage)") }
            let memories = try attempt { () throws(MemoryError) in try store.list() }
            print(MemoryTool.listing(memories, scope: nil))
            print("(\(store.user.path), \(store.project.path))")
        case "remove":
            guard words.count == 2 else { throw PieExit.usage("usage: \(SlashCommand.memory.usage)") }
            let (scope, name) = try Self.target(words[1])
            let memories = try attempt { () throws(MemoryError) in try store.list(scope: scope) }
            guard let memory = memories.first(where: { $0.name == name.value }) else {
                let known = memories.map(\.name)
                throw PieExit(
                    code: 1,
                    message: "/memory remove: there is no \(scope.rawValue) memory '\(name)'; "
                        + (known.isEmpty ? "there are none" : "there are: " + known.joined(separator: ", ")))
            }
            let answer = await ask(
                "Remove the \(scope.rawValue) memory '\(name)' (\(memory.size) bytes: \(memory.firstLine))? [y/N] ")
            let word = (answer ?? "").trimmedWhitespace().lowercased()
            guard word == "y" || word == "yes" else {
                print("kept \(scope.rawValue)/\(name)")
                return
            }
            let path = try attempt { () throws(MemoryError) in try store.delete(name, scope: scope) }
            print("removed \(scope.rawValue)/\(name) (\(path))")
        default:
            throw PieExit.usage("/memory: unknown subcommand '\(words[0])'; usage: \(SlashCommand.memory.usage)")
        }
    }

    /// `NAME`, `user/NAME` or `project/NAME`, as `/memory` lists them.
    static func target(_ text: String) throws(PieExit) -> (MemoryScope, MemoryName) {
        var scope = MemoryScope.user
        var rest = Substring(text)
        if let slash = text.firstIndex(of: "/") {
            guard let named = MemoryScope(rawValue: String(text[..<slash])) else {
                throw PieExit.usage("/memory remove: '\(text)' is not NAME, user/NAME or project/NAME")
            }
            scope = named
            rest = text[text.index(after: slash)...]
        }
        do {
            return (scope, try MemoryName(String(rest)))
        } catch {
            throw PieExit.usage("/memory remove: \(error.message)")
        }
    }

    private func attempt<T>(_ body: () throws(MemoryError) -> T) throws(PieExit) -> T {
        do {
            return try body()
        } catch {
            throw PieExit(code: 1, message: error.message)
        }
    }
}
