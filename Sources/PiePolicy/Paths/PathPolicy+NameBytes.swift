extension PathPolicy {
    /// Whether a single name, given as raw bytes that need not be UTF-8, matches a `**/NAME` deny
    /// pattern. The sandbox's mask walk asks this for names it cannot represent as a `String`.
    public func deniesName(_ name: [UInt8]) -> Bool {
        denyNameGlobs.contains { $0.matches(name) }
    }
}
