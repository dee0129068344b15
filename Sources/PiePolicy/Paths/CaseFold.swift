/// A file name as a case-insensitive file system compares it, for the names pie guards (`.git`,
/// `HEAD`, protected names): APFS and HFS+ in their default form, FAT and exFAT, and casefolded
/// ext4 directories treat `.GIT/config` as `.git/config`, so a check that compares bytes exactly
/// lets `.GIT/hooks/pre-commit` through to git's hooks. Folding is Unicode's simple case folding
/// restricted to what ends in ASCII: `A`–`Z`, and U+017F (ſ) and U+212A (Kelvin sign), which fold
/// to `s` and `k`. A name that folds to a guarded name is guarded; on a case-sensitive file system
/// that refuses a few more names than needed, never fewer.
enum CaseFold {
    /// The folded form of `name`; bytes that are not UTF-8 are kept as they are.
    static func fold(_ name: some Collection<UInt8>) -> [UInt8] {
        var folded: [UInt8] = []
        folded.reserveCapacity(name.count)
        var index = name.startIndex
        while index != name.endIndex {
            let byte = name[index]
            let next = name.index(after: index)
            if byte >= 0x41, byte <= 0x5A {
                folded.append(byte | 0x20)
            } else if byte == 0xC5, next != name.endIndex, name[next] == 0xBF {
                folded.append(UInt8(ascii: "s"))
                index = name.index(after: next)
                continue
            } else if byte == 0xE2, next != name.endIndex, name[next] == 0x84,
                name.index(after: next) != name.endIndex, name[name.index(after: next)] == 0xAA
            {
                folded.append(UInt8(ascii: "k"))
                index = name.index(next, offsetBy: 2)
                continue
            } else {
                folded.append(byte)
            }
            index = next
        }
        return folded
    }

    /// Whether `name` names `guarded` on a case-insensitive file system.
    static func equal(_ name: some Collection<UInt8>, _ guarded: String) -> Bool {
        fold(name) == fold(Array(guarded.utf8))
    }
}
