import Glibc
import PieAgent
import PiePolicy

/// Picks the session a run records into, from the session flags.
///
/// With `--no-session` nothing is opened at all, not even the session index.
enum SessionSetup {
    static func open(_ options: SessionOptions, directory: PieDirectory, cwd: String) throws(PieExit) -> SessionRecorder? {
        if options.noSession {
            if options.resume || options.resumeID != nil || options.session != nil {
                throw PieExit.usage("--no-session cannot be combined with --session, --resume or --resume-id")
            }
            return nil
        }
        let store = SessionStore(directory: directory)
        return SessionRecorder(store: store, session: try open(options, store: store, cwd: cwd))
    }

    private static func open(_ options: SessionOptions, store: SessionStore, cwd: String) throws(PieExit) -> Session {
        if options.resume, options.resumeID == nil, options.session == nil, store.mostRecent(cwd: cwd) == nil {
            throw PieExit.usage("no session to resume in \(cwd); start one without --resume")
        }
        do throws(SessionError) {
            if let path = options.session.map({ PathNormalizer.join(cwd, $0) }) {
                return access(path, F_OK) == 0 ? try store.open(path: path) : try store.create(cwd: cwd, at: path).session
            }
            if let prefix = options.resumeID {
                return try store.open(path: store.find(idPrefix: prefix).path)
            }
            if options.resume, let newest = store.mostRecent(cwd: cwd) {
                return try store.open(path: newest.path)
            }
            return try store.create(cwd: cwd).session
        } catch {
            throw PieExit.usage(error.description)
        }
    }
}
