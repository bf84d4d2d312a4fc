import XCTest

@testable import Exercises

/// Each exercise with its right answer (in every form a learner might write it),
/// wrong answers, and answers of the wrong kind. The right answers here are worked
/// out by hand, independently of the formulas the bank computes them with.
private struct Case {
    var id: String
    /// The answer as the chapter writes it; no hint may contain it.
    var canonical: String
    var right: [Answer]
    var wrong: [Answer]
    var wrongKind: [Answer] = [.bool(true)]
}

private func volume(_ dims: Int...) -> Answer { .dimensions(dims) }
private func numbers(_ values: Double...) -> Answer { .list(values.map(Answer.number)) }

private let cases: [Case] = [
    Case(id: "neuron-weighted-sum", canonical: "5",
         right: [.number(5), .number(5.0000001), .text("5.0"), numbers(5)],
         wrong: [.number(6), .number(7.5), .number(-5)]),
    Case(id: "dense-parameters", canonical: "7850",
         right: [.number(7850), .text("7,850"), .dimensions([7850])],
         wrong: [.number(7840), .number(784), .number(10)]),
    Case(id: "maps-mnist", canonical: "24x24",
         right: [volume(24, 24), numbers(24, 24), .text("24 x 24"), .text("[24, 24]")],
         wrong: [volume(25, 25), volume(28, 28), volume(23, 23), volume(24, 24, 8)]),
    Case(id: "neurons-mnist-conv", canonical: "4608",
         right: [.number(4608), .text("4,608"), .number(4608.0)],
         wrong: [.number(5000), .number(6272), .number(576)]),
    Case(id: "volume-mnist-conv", canonical: "24x24x8",
         right: [volume(24, 24, 8), numbers(24, 24, 8), .text("24 x 24 x 8"), .text("(24, 24, 8)"), .text("24×24×8")],
         wrong: [volume(25, 25, 8), volume(28, 28, 8), volume(24, 24, 1), volume(23, 23, 8), volume(24, 24), volume(24, 24, 5)],
         wrongKind: [.bool(true), .text("twenty-four")]),
    Case(id: "volume-mnist-pad", canonical: "28x28x8",
         right: [volume(28, 28, 8), numbers(28, 28, 8), .text("28x28x8")],
         wrong: [volume(24, 24, 8), volume(29, 29, 8), volume(28, 28, 1)]),
    Case(id: "pad-same", canonical: "2",
         right: [.number(2), .text("2"), .dimensions([2])],
         wrong: [.number(4), .number(5), .number(1)]),
    Case(id: "colour-image-volume", canonical: "32x32x3",
         right: [volume(32, 32, 3), numbers(32, 32, 3), .text("32 x 32 x 3")],
         wrong: [volume(32, 32, 5), volume(32, 32, 1), .number(3072), volume(32, 32)]),
    Case(id: "volume-cifar", canonical: "26x26x20",
         right: [volume(26, 26, 20), numbers(26, 26, 20), .text("26x26x20")],
         wrong: [volume(27, 27, 20), volume(25, 25, 20), volume(32, 32, 20), volume(26, 26, 3), volume(26, 26, 60), volume(26, 26, 7)]),
    Case(id: "filter-volume-cifar", canonical: "7x7x3",
         right: [volume(7, 7, 3), numbers(7, 7, 3), .text("7 x 7 x 3")],
         wrong: [volume(7, 7, 1), volume(7, 7, 20), volume(7, 7)]),
    Case(id: "stride-instead-of-pool", canonical: "14x14x8",
         right: [volume(14, 14, 8), numbers(14, 14, 8), .text("14x14x8")],
         wrong: [volume(27, 27, 8), volume(13, 13, 8), volume(15, 15, 8), volume(14, 14, 1)]),
    Case(id: "alexnet-conv1", canonical: "55x55x96",
         right: [volume(55, 55, 96), numbers(55, 55, 96), .text("55 x 55 x 96")],
         wrong: [volume(217, 217, 96), volume(56, 56, 96), volume(55, 55, 3)]),
    Case(id: "output-size-formula", canonical: "32",
         right: [.number(32), .text("32"), .number(32.0)],
         wrong: [.number(30), .number(63), .number(31), .number(33)]),
    Case(id: "maxpool-by-hand", canonical: "[[6, 8], [3, 4]]",
         right: [.list([numbers(6, 8), numbers(3, 4)]), .list([volume(6, 8), volume(3, 4)])],
         wrong: [.list([numbers(3.75, 2.75), numbers(1.5, 1.75)]), .list([numbers(1, 0), numbers(0, 0)]),
                 .list([numbers(6, 6, 8), numbers(6, 6, 8), numbers(3, 4, 4)]), .list([numbers(6, 8), numbers(4, 3)])],
         wrongKind: [.number(6), .bool(false)]),
    Case(id: "pool-volume-mnist", canonical: "12x12x8",
         right: [volume(12, 12, 8), numbers(12, 12, 8), .text("12 x 12 x 8")],
         wrong: [volume(12, 12, 4), volume(23, 23, 8), volume(24, 24, 8), volume(6, 6, 8)]),
    Case(id: "pool-parameters", canonical: "0",
         right: [.number(0), .text("0"), .dimensions([0])],
         wrong: [.number(4), .number(32), .number(8)]),
    Case(id: "params-mnist-conv", canonical: "208",
         right: [.number(208), .text("208"), .number(208.0)],
         wrong: [.number(200), .number(4608), .number(26)]),
    Case(id: "params-cifar-conv", canonical: "2960",
         right: [.number(2960), .text("2,960")],
         wrong: [.number(2940), .number(1000), .number(980), .number(13520)]),
    Case(id: "params-dense-equivalent", canonical: "3617280",
         right: [.number(3_617_280), .text("3,617,280"), .text("3617280")],
         wrong: [.number(3_612_672), .number(208)]),
    Case(id: "receptive-two-3x3", canonical: "5x5",
         right: [volume(5, 5), .number(5), numbers(5, 5), .text("5 x 5")],
         wrong: [.number(3), .number(6), .number(9), volume(7, 7)],
         wrongKind: [volume(5, 6), .bool(true)]),
    Case(id: "receptive-conv-pool-conv", canonical: "14x14",
         right: [volume(14, 14), .number(14), .text("14x14")],
         wrong: [.number(9), .number(10), .number(50), .number(13)]),
    Case(id: "compositionality-templates", canonical: "30",
         right: [.number(30), .text("30")],
         wrong: [.number(1000), .number(3), .number(100)]),
    Case(id: "compositionality-combinations", canonical: "625",
         right: [.number(625), .text("625")],
         wrong: [.number(20), .number(1024), .number(9)]),
    Case(id: "deep-net-flatten", canonical: "288",
         right: [.number(288), .text("288")],
         wrong: [.number(512), .number(1568), .number(9)]),
]

final class ExerciseBankTests: XCTestCase {
    let bank = ExerciseBank.standard

    func testBank_hasAtLeastFifteenExercises_withUniqueIDs() {
        XCTAssertGreaterThanOrEqual(bank.exercises.count, 15)
        XCTAssertEqual(Set(bank.exercises.map(\.id)).count, bank.exercises.count)
    }

    func testEveryExercise_hasACase() {
        // train-fashion takes a trained net: TrainingExerciseTests checks it.
        let covered = Set(cases.map(\.id) + ["train-fashion"])
        for exercise in bank.exercises {
            XCTAssertTrue(covered.contains(exercise.id), "no test case for \(exercise.id)")
        }
    }

    func testRightAnswers_inEveryForm_areCorrect() throws {
        for testCase in cases {
            for answer in testCase.right {
                let verdict = try bank.check(id: testCase.id, answer: answer)
                XCTAssertTrue(verdict.isCorrect, "\(testCase.id): \(answer) gave \(verdict)")
            }
        }
    }

    func testWrongAnswers_getHints_thatDoNotGiveTheAnswerAway() throws {
        for testCase in cases {
            for answer in testCase.wrong {
                let verdict = try bank.check(id: testCase.id, answer: answer)
                guard case .incorrect(let hint) = verdict else {
                    XCTFail("\(testCase.id): \(answer) should be incorrect, gave \(verdict)")
                    continue
                }
                XCTAssertFalse(hint.isEmpty)
                XCTAssertFalse(containsToken(hint, testCase.canonical), "\(testCase.id): hint gives away \(testCase.canonical): \(hint)")
                if let first = testCase.canonical.split(whereSeparator: { !$0.isNumber }).first {
                    XCTAssertFalse(containsToken(hint, String(first)), "\(testCase.id): hint contains \(first): \(hint)")
                }
            }
        }
    }

    func testAnswersOfTheWrongKind_sayWhatKindIsExpected() throws {
        for testCase in cases {
            for answer in testCase.wrongKind {
                let verdict = try bank.check(id: testCase.id, answer: answer)
                guard case .unexpected(let message) = verdict else {
                    XCTFail("\(testCase.id): \(answer) should be of the wrong kind, gave \(verdict)")
                    continue
                }
                XCTAssertTrue(message.contains("expects"), message)
            }
        }
    }

    func testCommonMistakes_getTheirOwnHints() throws {
        let chapterSlip = try bank.check(id: "volume-mnist-conv", answer: .dimensions([25, 25, 8]))
        XCTAssertTrue(chapterSlip.message.contains("chapter"), chapterSlip.message)
        let forgotPad = try bank.check(id: "volume-mnist-pad", answer: .dimensions([24, 24, 8]))
        XCTAssertTrue(forgotPad.message.contains("without padding"), forgotPad.message)
        let forgotBias = try bank.check(id: "params-cifar-conv", answer: .number(2940))
        XCTAssertTrue(forgotBias.message.contains("bias"), forgotBias.message)
        let forgotStride = try bank.check(id: "stride-instead-of-pool", answer: .dimensions([27, 27, 8]))
        XCTAssertTrue(forgotStride.message.contains("stride 1"), forgotStride.message)
        let colourSlip = try bank.check(id: "colour-image-volume", answer: .dimensions([32, 32, 5]))
        XCTAssertTrue(colourSlip.message.contains("slip"), colourSlip.message)
    }

    func testCorrectVerdicts_explainWhy() throws {
        let verdict = try bank.check(id: "volume-cifar", answer: .dimensions([26, 26, 20]))
        XCTAssertEqual(verdict.message.hasPrefix("Correct: 26x26x20."), true, verdict.message)
        XCTAssertTrue(verdict.message.contains("(32 + 2*0 - 7) / 1 + 1 = 26"), verdict.message)
    }

    func testUnknownID_suggestsTheClosestOne() {
        XCTAssertThrowsError(try bank.exercise(id: "volume-cifra")) { error in
            XCTAssertEqual(error as? ExerciseError, .unknownExercise(id: "volume-cifra", suggestion: "volume-cifar"))
            XCTAssertTrue("\(error)".contains("Did you mean \"volume-cifar\"?"))
        }
        XCTAssertThrowsError(try bank.exercise(id: "zzz")) { error in
            XCTAssertEqual(error as? ExerciseError, .unknownExercise(id: "zzz", suggestion: nil))
        }
    }

    func testEveryExercise_hasQuestionTitleAndForm() {
        for exercise in bank.exercises {
            XCTAssertFalse(exercise.title.isEmpty, exercise.id)
            XCTAssertFalse(exercise.question.isEmpty, exercise.id)
            XCTAssertFalse(exercise.answerForm.isEmpty, exercise.id)
            XCTAssertFalse(exercise.section.isEmpty, exercise.id)
        }
    }

    /// True when `token` appears in `text` not as part of a longer number or word.
    private func containsToken(_ text: String, _ token: String) -> Bool {
        var searchRange = text.startIndex..<text.endIndex
        while let found = text.range(of: token, range: searchRange) {
            let before = found.lowerBound == text.startIndex ? nil : text[text.index(before: found.lowerBound)]
            let after = found.upperBound == text.endIndex ? nil : text[found.upperBound]
            let isPart: (Character?) -> Bool = { $0.map { $0.isNumber || $0.isLetter || $0 == "." } ?? false }
            if !isPart(before) && !isPart(after) { return true }
            searchRange = found.upperBound..<text.endIndex
        }
        return false
    }
}
