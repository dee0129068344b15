import PieLocal
import Synchronization

/// Appends each message to the session as the loop finishes it (`message_end`), so a run killed
/// mid-way leaves every completed message on disk and nothing half-written.
///
/// Also records compactions as pi's `compaction` entries, which needs the entry id behind every
/// message of the loop's context: `firstKeptIndex` of a summary is an index into that context.
public final class SessionRecorder: Sendable {
    private struct State {
        var session: Session
        /// The entry id of each message in the loop's context, in order.
        var contextEntryIDs: [String]
        var diagnostics: [String] = []
    }

    public let store: SessionStore
    private let state: Mutex<State>

    public init(store: SessionStore, session: Session) {
        self.store = store
        let ids = session.context().items.map(\.entry.id)
        state = Mutex(State(session: session, contextEntryIDs: ids))
    }

    public var session: Session { state.withLock { $0.session } }

    /// Problems met while recording (the run goes on; the user is told).
    public func takeDiagnostics() -> [String] {
        state.withLock { state in
            defer { state.diagnostics = [] }
            return state.diagnostics
        }
    }

    /// Changes the session through the store (undo, rename, labels) and returns the session after.
    public func update(_ change: (SessionStore, inout Session) throws(SessionError) -> [SessionDiagnostic]) throws(SessionError) -> Session {
        try state.withLock { state throws(SessionError) -> Session in
            state.diagnostics += try change(store, &state.session).map(\.description)
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
        guard let content = MessageCodec.entryContent(for: message, timestampMilliseconds: Int(Timestamp.nowMilliseconds())) else {
            return
        }
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
            guard summary.firstKeptIndex < state.contextEntryIDs.count else { return }
            let firstKept = state.contextEntryIDs[summary.firstKeptIndex]
            let content = SessionEntryContent.compaction(
                summary: summary.summary, firstKeptEntryId: firstKept, tokensBefore: summary.tokensBefore)
            do throws(SessionError) {
                let (entries, diagnostics) = try store.append([content], to: &state.session)
                state.diagnostics += diagnostics.map(\.description)
                state.contextEntryIDs = entries.map(\.id) + state.contextEntryIDs[summary.firstKeptIndex...]
            } catch {
                state.diagnostics.append("could not record the compaction: \(error)")
            }
        }
    }

    private func append(_ content: SessionEntryContent, inContext: Bool) {
        state.withLock { state in
            do throws(SessionError) {
                let (entries, diagnostics) = try store.append([content], to: &state.session)
                state.diagnostics += diagnostics.map(\.description)
                if inContext { state.contextEntryIDs += entries.map(\.id) }
            } catch {
                state.diagnostics.append("could not save to \(state.session.path): \(error)")
            }
        }
    }
}
