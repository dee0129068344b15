/// A claim whose COMMIT went out on a connection that broke before the answer came: the run may
/// be running under this lease in the store, or still queued. This process never runs it.
struct UnconfirmedClaim: Sendable, Equatable {
    var run: RunID
    var owner: LeaseOwner
    /// The lease generation the claim took: it tells this claim from any later one of the run.
    var generation: Int64
}
