/// Compositionality: recognising wholes as combinations of reusable parts.
enum CompositionExercises {
    static let section = "Compositionality"

    static var all: [Exercise] { [templatesForCars, combinations] }

    static var templatesForCars: Exercise {
        let kinds = [("wheels", 10), ("doors", 10), ("windshields", 10)]
        let cars = kinds.map(\.1).reduce(1, *)
        let templates = kinds.map(\.1).reduce(0, +)
        return Exercise(
            id: "compositionality-templates", title: "Templates for a thousand cars", section: section,
            question: """
                A net remembers 10 templates of wheels, 10 of doors and 10 of windshields, and recognises a car
                as any combination of one of each. That covers \(cars) different cars. How many templates does it
                keep, instead of one template per whole car?
                """,
            answerForm: "a number",
            check: Checker.number(
                Double(templates),
                explanation: "Parts add up while the cars they describe multiply: \(templates) templates cover \(cars) cars, and the same parts serve other classes too.",
                mistakes: [
                    Mistake(Double(cars), hint: "That is one template per whole car, the cost compositionality avoids. Count the part templates."),
                    Mistake(Double(kinds.count), hint: "That counts the kinds of part; each kind has several templates."),
                ],
                hint: "Count the templates of each kind of part, and add them."))
    }

    static var combinations: Exercise {
        let (kinds, perKind) = (4, 5)
        var combos = 1
        for _ in 0..<kinds { combos *= perKind }
        return Exercise(
            id: "compositionality-combinations", title: "How many wholes parts can make", section: section,
            question: """
                A face detector learns 5 templates each for eyes, noses, mouths and ears (4 kinds of part).
                Taking one template of each kind, how many different faces can it describe?
                """,
            answerForm: "a number",
            check: Checker.number(
                Double(combos),
                explanation: "\(perKind) choices for each of \(kinds) parts multiply: \(kinds * perKind) templates describe \(combos) faces.",
                mistakes: [
                    Mistake(Double(kinds * perKind), hint: "That is the number of templates; the faces are the ways to pick one of each kind."),
                    Mistake(Double(pow(kinds, perKind)), hint: "Nearly: the choices are per kind, so the number of templates per kind is the base."),
                ],
                hint: "Each kind of part is an independent choice: how many ways are there to make all four choices?"))
    }

    static func pow(_ base: Int, _ exponent: Int) -> Int {
        (0..<exponent).reduce(1) { result, _ in result * base }
    }
}
