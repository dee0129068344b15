import PieLocal

/// Why an assistant reply ended, including the two endings the provider cannot report itself:
/// the run was cancelled (`aborted`) or the call failed (`error`).
public enum AssistantStopReason: String, Sendable, Hashable {
    case stop
    case length
    case toolUse
    case refused
    case error
    case aborted

    public init(_ reason: StopReason) {
        switch reason {
        case .stop: self = .stop
        case .length: self = .length
        case .toolUse: self = .toolUse
        case .refused: self = .refused
        }
    }
}
