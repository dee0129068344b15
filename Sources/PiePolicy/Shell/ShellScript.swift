/// The result of parsing one piece of shell text: its command list and the bodies of the
/// here-documents it reads. Bodies are collected separately because the shell reads them after
/// the line that names them, possibly far from the redirection; their only effect on what runs
/// is the substitutions inside, which are judged wherever the body sits.
struct ShellScript: Sendable, Equatable {
    var list: ShellList
    var hereDocuments: [ShellWord]
}
