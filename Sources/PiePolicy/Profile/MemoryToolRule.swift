/// `memory_tool`: what happens when the model saves or deletes a memory. A memory is loaded into
/// the system prompt of every later session, so a saved line outlives the conversation that wrote
/// it: hardened holds each change for a person (`ask`); `deny` turns the tool off.
public enum MemoryToolRule: String, Sendable, CaseIterable, Codable {
    case allow, ask, deny
}
