import PiePolicy
import PieSandbox

/// pi's `resolveReadPath`: when a path does not exist, try the spellings a model gets wrong when
/// copying macOS file names (narrow no-break space before AM/PM, curly apostrophe).
enum ReadPathFallback {
    static func existing(_ path: String, files: any FileOperations) -> String {
        if exists(path, files: files) { return path }
        let screenshot = path.replacing(" AM.", with: "\u{202F}AM.").replacing(" PM.", with: "\u{202F}PM.")
        let curly = path.replacing("'", with: "\u{2019}")
        for candidate in [screenshot, curly] where !PathBytes.equal(candidate, path) && exists(candidate, files: files) {
            return candidate
        }
        return path
    }

    private static func exists(_ path: String, files: any FileOperations) -> Bool {
        (try? files.info(path)) != nil
    }
}
