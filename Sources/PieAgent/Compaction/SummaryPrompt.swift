/// The summariser's instructions. The sections follow pi's so a summary reads the same in both.
public enum SummaryPrompt {
    public static let system = """
        You summarise a coding agent's conversation so the agent can continue the work after its \
        history is dropped. Output only the summary in the requested format. Do not continue the \
        conversation, do not answer questions in it, do not call tools.
        """

    static let sections = """
        Use exactly this structure:

        ## Goal
        What the user wants to achieve.

        ## Constraints & Preferences
        Requirements and preferences the user stated.

        ## Progress
        ### Done
        - [x] Completed steps
        ### In Progress
        - [ ] Current work
        ### Blocked
        - Problems that stop progress, if any

        ## Key Decisions
        - Decisions made and why

        ## Next Steps
        1. What to do next, in order

        ## Critical Context
        - Anything else needed to continue

        Keep exact file paths, function names and error messages.
        """

    /// The user message: the transcript, any earlier summary to update, and optional focus.
    static func request(conversation: String, previous: String?, instructions: String?) -> String {
        var text = "<conversation>\n\(conversation)\n</conversation>\n\n"
        if let previous {
            text += "<previous-summary>\n\(previous)\n</previous-summary>\n\n"
            text += "Update the previous summary with the new conversation: keep what still holds, "
            text += "move finished work to Done, and add new decisions and next steps.\n\n"
        } else {
            text += "Summarise the conversation above.\n\n"
        }
        text += sections
        if let instructions, !instructions.isEmpty { text += "\n\nAdditional focus: \(instructions)" }
        return text
    }

    /// The file lists appended to the model's summary.
    static func fileLists(_ activity: FileActivity) -> String {
        var text = ""
        if !activity.readOnly.isEmpty { text += "\n\n<read-files>\n" + activity.readOnly.joined(separator: "\n") + "\n</read-files>" }
        if !activity.modified.isEmpty {
            text += "\n\n<modified-files>\n" + activity.modifiedSorted.joined(separator: "\n") + "\n</modified-files>"
        }
        return text
    }
}
