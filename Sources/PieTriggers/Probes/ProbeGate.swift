/// Lets one probe of a runner run at a time, in the order they asked. Probes of one project share
/// its protected-path placeholders, and a sandbox planned while another run removes its
/// placeholder fails to start (bubblewrap: "Can't find source path …/.gitmodules"); probes are
/// short, so taking turns costs little.
actor ProbeGate {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func enter() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func leave() {
        guard !waiting.isEmpty else {
            busy = false
            return
        }
        waiting.removeFirst().resume()
    }
}
