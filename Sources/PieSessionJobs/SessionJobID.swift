/// Session job ids: the kind's letter and a number (`c1`, `t3`), the next one above every id the
/// file holds, so a removed job's id is not handed out again while later ones exist.
public enum SessionJobID {
    public static func isValid(_ id: String, kind: SessionJobKind) -> Bool {
        number(id, kind: kind) != nil
    }

    public static func next(after jobs: [SessionJob], kind: SessionJobKind) -> String {
        let highest = jobs.compactMap { number($0.id, kind: kind) }.max() ?? 0
        return kind.idPrefix + String(highest + 1)
    }

    static func number(_ id: String, kind: SessionJobKind) -> Int? {
        guard id.hasPrefix(kind.idPrefix) else { return nil }
        let digits = id.dropFirst(kind.idPrefix.count)
        guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ $0.isASCII && $0.isNumber }), digits.first != "0" else {
            return nil
        }
        return Int(digits)
    }
}
