"""The chapter's interactive demos: widget cells that chapter_cells.py places beside the
still pictures they drive (DESIGN.md's demos 2, 3, 6 and 7, issue 10).

Each cell shows its controls, then ends in a `live(...)` picture, whose output carries the
picture as first drawn beside the widget view: where no widget front end is (nbconvert's
HTML, the console) that still picture is what shows. They use the widget built-ins of
the `comms` branch (slider, play, dropdown, row, show, live, train(..., controls:));
`INTERACTIVE` says whether the chapter includes them. Run with comms merged and
INTERACTIVE = True, test_notebooks.py and test_browser.py pass (a slider moved, pause
pressed during training, no widget console errors).
"""

# True once the language has widget values and live(...) (docs/language.md, "Widgets and
# live pictures"); the chapter then shows these cells after the still demos.
INTERACTIVE = True


def convolution_demo(md, code, figure):
    """Demo 2: a filter sliding over the image, by hand (x, y) or swept by a Play."""
    return [
        md(r"""
**Slide it yourself.** Move x and y, or pick another filter (hand-made ones, then the first
layer's learned ones). Press play to sweep the filter over the whole image and watch the
map fill in.
"""),
        figure(r"""
learned = filters(first, 1)
k = dropdown([filter("edge-horizontal"), filter("edge-vertical"), filter("sobel-x"), filter("blur"),
              filter("sharpen"), learned[0], learned[1], learned[2], learned[3]], description: "filter")
x = slider(0, 23, value: 10, description: "x")
y = slider(0, 23, value: 12, description: "y")
show(row(x, y, k))
live(convolution_step(img, k.value, x.value, y.value))
"""),
        md(r"""
Or let it sweep: play moves the window one position at a time, row after row.
"""),
        figure(r"""
sweep = play(0, 575, interval: 120, description: "sweep")
show(row(sweep, k))
live(convolution_step(img, k.value, sweep: sweep.value))
"""),
    ]


def maps_demo(md, code, figure):
    """Demo 3: the first layer's 8 maps for an image the reader picks."""
    return [
        figure(r"""
pick = slider(0, 9999, description: "test image")
show(pick)
live(layer_maps(first, data.test[pick.value]))
"""),
    ]


def training_demo(md, code, figure):
    """Demo 6: training watched live, with pause/resume, stop and the learning rate."""
    return [
        md(r"""
**Watch a net learn.** The chart, the first layer's filters and the maps they make of our
image are redrawn about four times a second. Pause, resume, change the learning rate or
stop: each acts at the next batch, and the net keeps what it has learned. This small net
takes about a second a pass over the data, so it makes five: time to try the controls.
"""),
        figure(r"""
watched = sequential(28x28x1, conv(8, 5x5), relu(), maxpool(2x2), dense(10), softmax())
train(watched, data.train, epochs: epochs * 5, batch: 32, optimizer: sgd(lr: 0.01, momentum: 0.9), watch: img, controls: true)
"""),
    ]


def confusion_demo(md, code, figure):
    """Demo 7: pick a (true, predicted) pair of the confusion matrix and see its images."""
    return [
        figure(r"""
actual = dropdown(data.test.classes, value: "Shirt", description: "true class")
guess = dropdown(data.test.classes, value: "T-shirt/top", description: "predicted")
show(row(actual, guess))
live(confusion_examples(matrix, actual.value, guess.value))
"""),
    ]
