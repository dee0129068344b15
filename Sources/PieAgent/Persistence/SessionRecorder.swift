import PieLocal
import Synchronization

/// Appends each message to the session as the loop finishes it (`message_end`), so a run killed
/// mid-way leaves every completed message on disk and nothing half-written.
///
/// Also records compactions as pi's `compaction` entries, which needs the entry id behind every
/// message of the loop's context: `firstKeptIndex` of a summary is an index into that context.
///
/// A message that cannot be written (its encoding fails, or the append does) is reported as a
/// `SessionDiagnostic` and leaves no trace in the file: the next entry's `parentId` is the last
/// entry actually written, so the tree never points at a missing id. Its place in the loop's
/// context is kept as a gap, so later compaction indices still line up; a compaction whose first
/// kept message is a gap keeps from the next written message on.
public final class SessionRecorder: Sendable {
    private struct State {
        var session: Session
        /// The entry id of each message in the loop's context, in order; nil for one not written.
        var contextEntryIDs: [String?]
        var diagnostics: [SessionDiagnostic] = []
    }

    public let store: SessionStore
    private let state: Mutex<State>

    public init(store: SessionStore, session: Session) {
        self.store = store
        let ids = session.context().items.map(\.entry.id)
        state = Mutex(State(session: session, contextEntryIDs: ids))
    }

    public var session: Session { state.withLock { $0.session } }

    /// Problems met while recording (the run goes on; the caller tells the user).
    public func takeDiagnostics() -> [SessionDiagnostic] {
        state.withLock { state in
            defer { state.diagnostics = [] }
            return state.diagnostics
        }
    }

    /// Changes the session through the store (undo, rename, labels) and returns the session after.
    public func update(_ change: (SessionStore, inout Session) throws(SessionError) -> [SessionDiagnostic]) throws(SessionError) -> Session {
        try state.withLock { state throws(SessionError) -> Session in
            state.diagnostics += try change(store, &state.session)
            state.contextEntryIDs = state.session.context().items.map(\.entry.id)
            return state.session
        }
    }

    /// Records a compaction made outside the loop (`/compact`).
    public func recordManualCompaction(_ summary: CompactionSummary) {
        recordCompaction(summary)
    }

    /// The loop's `onEvent` hook calls this for every event.
    public func observe(_ event: AgentEvent) {
        switch event {
        case .messageEnd(let message):
            record(message)
        case .compactionEnd(_, let summary?):
            recordCompaction(summary)
        default:
            break
        }
    }

    public func record(_ message: AgentMessage) {
        let content: SessionEntryContent?
        do {
            content = try MessageCodec.entryContent(for: message, timestampMilliseconds: Int(Timestamp.nowMilliseconds()))
        } catch {
            state.withLock { state in
                state.diagnostics.append(SessionDiagnostic(
                    kind: .unencodableEntry, path: state.session.path,
                    detail: "a \(Self.role(of: message)) message was not saved: \(error); the session continues without it"))
                state.contextEntryIDs.append(nil)
            }
            return
        }
        guard let content else { return }
        append(content, inContext: true)
    }

    public func recordModelChange(provider: String, modelId: String) {
        append(.modelChange(provider: provider, modelId: modelId), inContext: false)
    }

    public func recordThinkingLevel(_ level: String) {
        append(.thinkingLevelChange(level), inContext: false)
    }

    private func recordCompaction(_ summary: CompactionSummary) {
        state.withLock { state in
            let kept = summary.firstKeptIndex < state.contextEntryIDs.count
                ? state.contextEntryIDs[summary.firstKeptIndex...].firstIndex { $0 != nil } : nil
            guard let kept, let firstKept = state.contextEntryIDs[kept] else {
                state.diagnostics.append(SessionDiagnostic(
                    kind: .unencodableEntry, path: state.session.path,
                    detail: "the compaction was not saved: none of the messages it keeps is in the session file"))
                return
            }
            let content = SessionEntryContent.compaction(
                summary: summary.summary, firstKeptEntryId: firstKept, tokensBefore: summary.tokensBefore)
            do throws(SessionError) {
                let (entries, diagnostics) = try store.append([content], to: &state.session)
                state.diagnostics += diagnostics
                state.contextEntryIDs = entries.map(\.id) + state.contextEntryIDs[summary.firstKeptIndex...]
            } catch {
                state.diagnostics.append(SessionDiagnostic(
                    kind: .writeFailure, path: state.session.path, detail: "could not record the compaction: \(error)"))
            }
        }
    }

    private func append(_ content: SessionEntryContent, inContext: Bool) {
        state.withLock { state in
            do throws(SessionError) {
                let (entries, diagnostics) = try store.append([content], to: &state.session)
                state.diagnostics += diagnostics
                if inContext { state.contextEntryIDs += entries.map(\.id) }
            } catch {
                state.diagnostics.append(SessionDiagnostic(
                    kind: .writeFailure, path: state.session.path, detail: "could not save an entry: \(error)"))
                if inContext { state.contextEntryIDs.append(nil) }
            }
        }
    }

    private static func role(of message: AgentMessage) -> String {
        switch message {
        case .user: "user"
        case .assistant: "assistant"
        case .toolResult: "tool result"
        case .compactionSummary: "summary"
        }
    }
}
