/// Token counts for one response. `input` excludes cached tokens, which are counted in
/// `cacheRead`, so the four buckets can be priced independently.
public struct Usage: Sendable, Hashable {
    public var input: Int
    public var output: Int
    public var cacheRead: Int
    public var cacheWrite: Int
    /// Of `output`, how many were reasoning tokens (informational; already included in `output`).
    public var reasoning: Int

    public init(input: Int = 0, output: Int = 0, cacheRead: Int = 0, cacheWrite: Int = 0, reasoning: Int = 0) {
        self.input = input
        self.output = output
        self.cacheRead = cacheRead
        self.cacheWrite = cacheWrite
        self.reasoning = reasoning
    }

    public var totalTokens: Int { input + output + cacheRead + cacheWrite }

    public static func + (lhs: Usage, rhs: Usage) -> Usage {
        Usage(
            input: lhs.input + rhs.input, output: lhs.output + rhs.output,
            cacheRead: lhs.cacheRead + rhs.cacheRead, cacheWrite: lhs.cacheWrite + rhs.cacheWrite,
            reasoning: lhs.reasoning + rhs.reasoning)
    }
}
