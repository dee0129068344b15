import Glibc
import PieAgent
import PiePolicy

/// Opens the session a `SessionSelection` names. With `.none` nothing is opened at all, not even
/// the session index.
enum SessionOpening {
    static func recorder(
        _ selection: SessionSelection, directory: PieDirectory, cwd: String
    ) throws(AgentBuildError) -> SessionRecorder? {
        if selection == .none { return nil }
        // A sub-agent's transcript is not a conversation of the project: it stays out of the index.
        var delegated = false
        if case .delegated = selection { delegated = true }
        let store = SessionStore(directory: directory, useIndex: !delegated)
        return SessionRecorder(store: store, session: try open(selection, store: store, cwd: cwd))
    }

    private static func open(_ selection: SessionSelection, store: SessionStore, cwd: String) throws(AgentBuildError) -> Session {
        if selection == .latest, store.mostRecent(cwd: cwd) == nil { throw .noSessionToResume(cwd: cwd) }
        do throws(SessionError) {
            switch selection {
            case .file(let file):
                let path = PathNormalizer.join(cwd, file)
                return access(path, F_OK) == 0 ? try store.open(path: path) : try store.create(cwd: cwd, at: path).session
            case .id(let prefix):
                return try store.open(path: store.find(idPrefix: prefix).path)
            case .latest:
                if let newest = store.mostRecent(cwd: cwd) { return try store.open(path: newest.path) }
                return try store.create(cwd: cwd).session
            case .new, .none:
                return try store.create(cwd: cwd).session
            case .delegated(let parent, let call):
                return try store.create(
                    cwd: cwd, parentSession: parent, parentToolCall: call,
                    in: store.directory.subAgentSessionsDirectory(cwd: cwd)).session
            }
        } catch {
            throw .session(error)
        }
    }
}
