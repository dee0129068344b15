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
        Array(Folded(name))
    }

    /// The folded bytes of a name, produced without copying it (classify runs this on every
    /// component of every write).
    struct Folded<Base: Collection<UInt8>>: Sequence, IteratorProtocol {
        private let base: Base
        private var index: Base.Index

        init(_ base: Base) {
            self.base = base
            index = base.startIndex
        }

        mutating func next() -> UInt8? {
            guard index != base.endIndex else { return nil }
            let byte = base[index]
            index = base.index(after: index)
            if byte >= 0x41, byte <= 0x5A { return byte | 0x20 }
            if byte == 0xC5, follows([0xBF]) { return UInt8(ascii: "s") }
            if byte == 0xE2, follows([0x84, 0xAA]) { return UInt8(ascii: "k") }
            return byte
        }

        /// Consumes `bytes` when they come next.
        private mutating func follows(_ bytes: [UInt8]) -> Bool {
            var probe = index
            for expected in bytes {
                guard probe != base.endIndex, base[probe] == expected else { return false }
                probe = base.index(after: probe)
            }
            index = probe
            return true
        }
    }

    /// Whether folding leaves `name` as it is (no byte that can start a foldable character), so the
    /// hot path of `classify` can skip the copy.
    static func isFolded(_ name: some Sequence<UInt8>) -> Bool {
        !name.contains { ($0 >= 0x41 && $0 <= 0x5A) || $0 == 0xC5 || $0 == 0xE2 }
    }

    /// `path` folded, as a string (the path itself when folding changes nothing).
    static func folded(_ path: String) -> String {
        isFolded(path.utf8) ? path : String(decoding: fold(path.utf8), as: UTF8.self)
    }

    /// Whether `name` names `guarded` on a case-insensitive file system.
    static func equal(_ name: some Collection<UInt8>, _ guarded: String) -> Bool {
        Folded(name).elementsEqual(Folded(guarded.utf8))
    }

    /// Whether two names are one on a case-insensitive file system.
    static func equal(_ name: some Collection<UInt8>, _ other: some Collection<UInt8>) -> Bool {
        Folded(name).elementsEqual(Folded(other))
    }
}
