/// Usage and cost per response and for the session so far (what `/cost` shows). Each response
/// is priced with the model that produced it, so fallbacks across providers add up correctly.
public struct CostTracker: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var model: String
        public var usage: Usage
        public var cost: Cost
    }

    public private(set) var entries: [Entry] = []
    public private(set) var totalUsage = Usage()
    public private(set) var totalCost = Cost()

    public init() {}

    @discardableResult
    public mutating func record(_ usage: Usage, model: ModelDescriptor) -> Entry {
        let entry = Entry(model: model.qualifiedID, usage: usage, cost: Cost(usage: usage, pricing: model.cost))
        entries.append(entry)
        totalUsage = totalUsage + usage
        totalCost = totalCost + entry.cost
        return entry
    }

    public var last: Entry? { entries.last }
}
