/// Why the model stopped, normalised across wire APIs.
public enum StopReason: String, Sendable, Hashable {
    case stop
    case length
    case toolUse
    /// The provider refused or filtered the output.
    case refused
}
