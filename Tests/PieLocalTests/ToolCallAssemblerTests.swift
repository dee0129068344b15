import Testing
@testable import PieLocal
import PieJSON

@Suite struct ToolCallAssemblerTests {
    @Test func fileSizedArgumentsStreamInLinearTime() {
        var assembler = ToolCallAssembler(idSeed: "s")
        var deltas = 0
        var ended: ToolCall?
        let content = String(repeating: "abcde", count: 20_000)
        let emit: (StreamEvent) -> Void = { event in
            switch event {
            case .toolCallDelta: deltas += 1
            case .toolCallEnd(_, let call): ended = call
            default: break
            }
        }
        assembler.update(key: 0, id: "w", name: "write", fragment: #"{"path":"big.txt","content":""#, emit: emit)
        for _ in 0..<20_000 { assembler.update(key: 0, id: nil, name: nil, fragment: "abcde", emit: emit) }
        assembler.update(key: 0, id: nil, name: nil, fragment: #""}"#, emit: emit)
        assembler.end(key: 0, emit: emit)
        #expect(deltas == 20_002)
        #expect(ended?.arguments == ["path": "big.txt", "content": .string(content)])
    }

    @Test func partialArgumentsFollowSmallCallsExactly() {
        var assembler = ToolCallAssembler(idSeed: "s")
        var partials: [JSONValue] = []
        let emit: (StreamEvent) -> Void = { if case .toolCallDelta(_, _, let partial) = $0 { partials.append(partial) } }
        for fragment in [#"{"a""#, #": 1, "b": "x"#, #"y"}"#] {
            assembler.update(key: 3, id: "c", name: "t", fragment: fragment, emit: emit)
        }
        #expect(partials == [[:], ["a": 1, "b": "x"], ["a": 1, "b": "xy"]])
    }
}
