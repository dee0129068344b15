import PiePolicy
import PieSandbox

/// pi's `write`: creates or overwrites a file, creating missing parent directories.
public struct WriteTool: AgentTool {
    public init() {}

    public let name = "write"
    public let description =
        "Write content to a file. Creates the file if it doesn't exist, overwrites if it does. "
        + "Automatically creates parent directories."
    public let runsAlone = true

    public let schema = ToolSchema([
        .init("path", .string, "Path to the file to write (relative or absolute)", required: true),
        .init("content", .string, "Content to write to the file", required: true),
    ])

    public func policyRequest(_ arguments: ValidatedArguments, context: ToolContext) -> ToolRequest {
        .file(tool: .write, path: context.resolve(arguments.string("path") ?? ""))
    }

    public func execute(_ arguments: ValidatedArguments, context: ToolContext) async throws(ToolFailure) -> ToolResult {
        try context.checkCancelled()
        let path = arguments.string("path") ?? ""
        let bytes = Array((arguments.string("content") ?? "").utf8)
        let limit = context.policy.maxFileWriteBytes
        guard bytes.count <= limit else {
            throw ToolFailure(
                "Content is \(bytes.count) bytes, over the policy's write limit of \(limit) bytes")
        }
        do {
            try context.files.write(context.resolve(path), contents: bytes)
        } catch {
            throw ToolFailure(error.message)
        }
        // pi reports the JavaScript string length; pie reports the UTF-8 bytes actually written.
        return .text("Successfully wrote \(bytes.count) bytes to \(path)")
    }
}
