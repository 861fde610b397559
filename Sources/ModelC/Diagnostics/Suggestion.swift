/// "Did you mean" for misspelled names: the closest candidate by edit distance (transpositions
/// count as one edit), or one that differs only in case.
public enum Suggestion {
    /// The best candidate close enough to `word` to be worth suggesting.
    public static func closest(to word: String, among candidates: some Sequence<String>) -> String? {
        let lowered = word.lowercased()
        let length = lowered.unicodeScalars.count
        let allowed = max(1, min(3, (word.count + 2) / 4))
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            if candidate == word { continue }
            let other = candidate.lowercased()
            if other == lowered { return candidate }
            // The distance is at least the difference in length: a candidate that differs by more than
            // `allowed` cannot be suggested, and skipping it keeps a 100,000-character word from
            // costing 100,000 × length steps per candidate.
            guard abs(other.unicodeScalars.count - length) <= allowed else { continue }
            let distance = editDistance(lowered, other)
            if best == nil || distance < best!.distance {
                best = (candidate, distance)
            }
        }
        if let best, best.distance <= allowed { return best.candidate }
        // An abbreviation of a longer name (`val_acc` for `val_accuracy`), or a name with an extra
        // ending (`training` for `train`).
        guard lowered.count >= 3 else { return nil }
        let all = Array(candidates)
        return all.filter { $0.lowercased().hasPrefix(lowered) }.min { $0.count < $1.count }
            ?? all.filter { $0.count >= 3 && lowered.hasPrefix($0.lowercased()) }.max { $0.count < $1.count }
    }

    /// Names for a message: all of a dozen or fewer, else the first four and the last eight, counted,
    /// so that an error repeated for each of thousands of entries does not list thousands of names.
    static func list(_ names: [String]) -> String {
        func shown(_ part: some Sequence<String>) -> [String] { part.map { Excerpt.of($0, limit: 40) } }
        guard names.count > 12 else { return shown(names).joined(separator: ", ") }
        return (shown(names.prefix(4)) + ["…"] + shown(names.suffix(8))).joined(separator: ", ") + " (\(names.count) in all)"
    }

    /// The fix a did-you-mean offers: replace the word at `range` with the closest candidate.
    public static func fix(for word: String, among candidates: some Sequence<String>, at range: SourceRange) -> Fix? {
        closest(to: word, among: candidates).map { Fix.replace(range, word, with: $0) }
    }

    /// `; did you mean 'x'?` or an empty string.
    public static func phrase(for word: String, among candidates: some Sequence<String>) -> String {
        closest(to: word, among: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }

    /// Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent swaps.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a.unicodeScalars)
        let y = Array(b.unicodeScalars)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous2 = [Int](repeating: 0, count: y.count + 1)
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    value = min(value, previous2[j - 2] + 1)
                }
                current[j] = value
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[y.count]
    }
}

/// Did-you-means (and other explanations that cost time in proportion to the candidates) left for
/// one checker: a spec with thousands of unknown names gets them for the first 100 only, which is as
/// many diagnostics as the renderer shows of a file.
struct ExplanationBudget {
    static let maximum = 100
    private var left = ExplanationBudget.maximum

    /// Whether one more explanation may be given (and counts it).
    mutating func spend() -> Bool {
        guard left > 0 else { return false }
        left -= 1
        return true
    }
}
