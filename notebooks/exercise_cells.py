"""The cells of notebooks/exercises.ipynb: the exercise bank, worked through.

Each section shows a question with `exercise(id)`, a first try that is a common
mistake (the hint it gets), and a right answer, written in the forms a learner
might use (24x24x8, [24, 24, 8], "24 x 24 x 8").
"""


def exercise_cells(md, code):
    cells = [
        md(r"""
# Exercises: convolutional neural networks

`exercises()` lists every exercise of the chapter with your progress: `[x]` solved,
`[~]` tried, `[ ]` not yet. `exercise(id)` shows a question, and `answer(id, value)`
checks an answer. A wrong answer gets a hint aimed at the mistake it looks like, never
the answer itself. Volumes can be written as the chapter writes them (`24x24x8`) or as a
list (`[24, 24, 8]`); numbers as whole numbers or decimals.

Below, each question is followed by a typical first try and then a right one. Try your
own answers in new cells before reading on.
"""),
        code(r"""
exercises()
"""),
    ]
    # (id, a common mistake, the right answer in some form, a note shown before the question)
    walkthrough = [
        ("neuron-weighted-sum", "6", "5", "A fully-connected neuron, as in the previous chapter."),
        ("maps-mnist", "25x25", "24x24", "The chapter's own text slips here."),
        ("volume-mnist-conv", "[24, 24, 1]", "[24, 24, 8]", "The same layer, as a volume."),
        ("volume-mnist-pad", "24x24x8", "28x28x8", "Now with padding."),
        ("colour-image-volume", "32x32x5", "32x32x3", "Another slip in the chapter's text."),
        ("volume-cifar", "27x27x20", "26x26x20", "The chapter's colour example."),
        ("params-cifar-conv", "2940", "2960", "What does that layer learn?"),
        ("maxpool-by-hand", "[[3.75, 2.75], [1.5, 1.75]]", "[[6, 8], [3, 4]]", "Pooling by hand."),
        ("receptive-conv-pool-conv", "9x9", "14", "How far does a deeper neuron see?"),
        ("compositionality-templates", "1000", "30", "Parts instead of wholes."),
    ]
    for exercise_id, mistake, right, note in walkthrough:
        cells += [
            md(f"### {exercise_id}\n\n{note}"),
            code(f'exercise("{exercise_id}")'),
            code(f'answer("{exercise_id}", {mistake})'),
            code(f'answer("{exercise_id}", {right})'),
        ]
    cells += [
        md(r"""
### Computing an answer instead of working it out

`answer` takes any value, so the kernel's own arithmetic can answer for you: useful to
check a calculation, less useful for learning it.
"""),
        code(r"""
answer("deep-net-flatten", 3 * 3 * 32)
"""),
        code(r"""
answer("stride-instead-of-pool", shape(conv(8, 4x4, stride: 2, pad: 1), 28x28x1))
"""),
        md(r"""
### train-fashion

The last exercise is answered with a net. The kernel tests it on 1,000 Fashion-MNIST test
images it has never seen. An untrained net is about as good as guessing:
"""),
        code(r"""
exercise("train-fashion")
"""),
        code(r"""
data = dataset("fashion-mnist")
net = sequential(28x28x1, conv(8, 5x5, pad: 2), relu(), maxpool(2x2), dense(10), softmax())
answer("train-fashion", net)
"""),
        md(r"""
One pass over part of the training set is enough for this small convnet:
"""),
        code(r"""
train(net, data.train[0:20000], epochs: 1, batch: 32, optimizer: sgd(lr: 0.01, momentum: 0.9))
answer("train-fashion", net)
"""),
        md(r"""
### Your progress

The listing now marks the exercises answered above. The others are yours.
"""),
        code(r"""
exercises()
"""),
    ]
    return cells
