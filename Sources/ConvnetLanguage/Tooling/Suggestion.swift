import Exercises  // editDistance: one for the bank's and the language's did-you-means

/// "did you mean 'conv'?" for a mistyped name, from the names a learner could have meant.
func suggestion(for name: String, among candidates: [String]) -> String? {
    let lowered = name.lowercased()
    var best: (name: String, distance: Int)?
    for candidate in candidates where candidate != name {
        let d = editDistance(lowered, candidate.lowercased())
        let limit = max(1, min(3, name.count / 3 + 1))
        if d <= limit, best == nil || d < best!.distance || (d == best!.distance && candidate < best!.name) {
            best = (candidate, d)
        }
    }
    return best?.name
}
