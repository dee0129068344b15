/// Dollars spent, split like `Usage`.
public struct Cost: Sendable, Hashable {
    public var input: Double
    public var output: Double
    public var cacheRead: Double
    public var cacheWrite: Double

    public init(input: Double = 0, output: Double = 0, cacheRead: Double = 0, cacheWrite: Double = 0) {
        self.input = input
        self.output = output
        self.cacheRead = cacheRead
        self.cacheWrite = cacheWrite
    }

    public var total: Double { input + output + cacheRead + cacheWrite }

    /// Prices are per million tokens.
    public init(usage: Usage, pricing: ModelPricing) {
        let perToken = 1.0 / 1_000_000
        self.init(
            input: Double(usage.input) * pricing.input * perToken,
            output: Double(usage.output) * pricing.output * perToken,
            cacheRead: Double(usage.cacheRead) * pricing.cacheRead * perToken,
            cacheWrite: Double(usage.cacheWrite) * pricing.cacheWrite * perToken)
    }

    public static func + (lhs: Cost, rhs: Cost) -> Cost {
        Cost(
            input: lhs.input + rhs.input, output: lhs.output + rhs.output, cacheRead: lhs.cacheRead + rhs.cacheRead,
            cacheWrite: lhs.cacheWrite + rhs.cacheWrite)
    }
}
