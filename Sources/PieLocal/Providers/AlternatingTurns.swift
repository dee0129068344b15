import PieJSON

/// Builds a history for APIs that require user and assistant turns to alternate (Anthropic,
/// Gemini): consecutive items of one role, several tool results say, merge into one turn.
struct AlternatingTurns {
    private(set) var turns: [(role: String, items: [JSONValue])] = []

    /// Adds `items` to the last turn when it has `role`, else starts a turn; nothing is added
    /// for an empty list.
    mutating func append(_ role: String, _ items: [JSONValue]) {
        guard !items.isEmpty else { return }
        if let last = turns.last, last.role == role {
            turns[turns.count - 1].items += items
        } else {
            turns.append((role, items))
        }
    }

    /// The turns as `{"role": …, itemsKey: […]}` objects.
    func json(itemsKey: String) -> [JSONValue] {
        turns.map { .object(["role": .string($0.role), itemsKey: .array($0.items)]) }
    }
}
