import ArgumentParser
import PieAgent

/// `pie sessions …` and the `--list-sessions`, `--list-all-sessions`, `--delete-session` flags.
struct SessionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessions",
        abstract: "List and search recorded sessions.",
        subcommands: [List.self, Search.self, Reindex.self],
        defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List this directory's sessions, newest first.")

        @Flag(help: "List every project's sessions.")
        var all = false

        func run() throws {
            let store = try SessionListing.store()
            try SessionListing.list(store: store, cwd: all ? nil : ProcessContext.currentDirectory())
        }
    }

    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "search", abstract: "Full-text search across every project's sessions.")

        @Argument(help: "Words to find.")
        var text: String

        @Option(help: "At most this many sessions.")
        var limit = 20

        func run() throws {
            let store = try SessionListing.store()
            let (hits, diagnostics) = store.search(text, limit: limit)
            for diagnostic in diagnostics { printError("pie: warning: \(diagnostic)") }
            for hit in hits {
                print("\(hit.sessionId.prefix(13))  \(hit.cwd)  \(hit.name ?? "")")
                print("    \(hit.snippet)")
            }
            if hits.isEmpty { throw PieExit(code: 1, message: "no session mentions '\(text)'") }
        }
    }

    struct Reindex: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reindex", abstract: "Rebuild the session index from the JSONL files.")

        func run() throws {
            let refresh = try SessionListing.store().reindex()
            print(refresh)
        }
    }
}

/// Session listings for humans.
enum SessionListing {
    static func store() throws(PieExit) -> SessionStore {
        guard let directory = PieDirectory.resolve(environment: ProcessContext.environment()) else {
            throw PieExit.usage("cannot find pie's state directory: set HOME or PIE_DIR")
        }
        return SessionStore(directory: directory)
    }

    /// Prints sessions of `cwd` (all projects when nil); exit 1 when there are none.
    static func list(store: SessionStore, cwd: String?) throws(PieExit) {
        let listing = cwd.map { store.list(cwd: $0) } ?? store.listAll()
        for diagnostic in listing.diagnostics { printError("pie: warning: \(diagnostic)") }
        for session in listing.sessions {
            let title = session.name ?? session.preview
            let place = cwd == nil ? "  \(session.cwd)" : ""
            print("\(session.id)  \(Timestamp.iso(milliseconds: session.updated))  \(session.entryCount) entries\(place)  \(title)")
        }
        if listing.sessions.isEmpty {
            throw PieExit(code: 1, message: cwd.map { "no sessions in \($0)" } ?? "no sessions")
        }
    }

    /// Deletes the session whose id starts with `prefix`.
    static func delete(store: SessionStore, prefix: String) throws(PieExit) {
        do throws(SessionError) {
            let summary = try store.find(idPrefix: prefix)
            for diagnostic in try store.delete(summary) { printError("pie: warning: \(diagnostic)") }
            print("deleted \(summary.id) (\(summary.path))")
        } catch {
            throw PieExit(code: 1, message: error.description)
        }
    }
}
