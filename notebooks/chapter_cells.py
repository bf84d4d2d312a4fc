"""The cells of notebooks/convolutional-neural-networks.ipynb, in order.

The chapter "Convolutional neural networks" told live: each demo of DESIGN.md's
list is a cell that runs (tagged "figure" where it must show a picture). Training
makes one pass over Fashion-MNIST's training set per net; the whole notebook runs in
about half a minute on 2 cores. The interactive demos (chapter_widgets.py) follow the
still pictures they drive, when `INTERACTIVE` is set there.
"""

from chapter_widgets import INTERACTIVE, confusion_demo, convolution_demo, maps_demo, training_demo


def interactive(demo, md, code, figure):
    """A demo's widget cells, or none while the chapter shows still pictures only."""
    return demo(md, code, figure) if INTERACTIVE else []


def chapter_cells(md, code, figure):
    return [
        md(r"""
# Convolutional neural networks

Convolutional neural networks (convnets) are the workhorse of modern computer vision:
they label objects in photographs, read handwriting, turn speech into text, steer cars
between lane markings and play video games from the pixels on the screen. They are
ordinary neural networks with one new kind of layer, the *convolutional layer*, which
copes far better with things moving around, changing size or being seen from another
angle.

This notebook tells the story live. Every picture below is computed by the cell above
it, in the `convnet` language: build a net one cell at a time, look at its filters and
activation maps, train it on real images, and check your understanding with the
exercises. Run it top to bottom (**Run > Run All Cells**); it takes a few minutes.
"""),
        code(r"""
# Passes over the training set for each net: `papermill ... -p epochs 2` sets it.
epochs = 1
""", "parameters"),
        md(r"""
## The data

We use **Fashion-MNIST**: 70,000 greyscale pictures of clothing, 28 by 28 pixels, in 10
classes (T-shirt, trouser, pullover, dress, coat, sandal, shirt, sneaker, bag, ankle boot).
It has exactly the format of MNIST's handwritten digits but is harder, so the mistakes a
net makes are more interesting. It comes with the project's setup (Debian's package
`dataset-fashion-mnist`).

*Using MNIST instead.* If you have MNIST's four files (`train-images-idx3-ubyte.gz` and
friends), put them in a folder and point `CONVNET_DATA` at it before starting Jupyter, then
write `dataset("mnist")` instead of `dataset("fashion-mnist")` in the next cell. Everything
below works the same on digits.
"""),
        code(r"""
data = dataset("fashion-mnist")
data
"""),
        figure(r"""
show(data.test[0:32])
"""),
        md(r"""
## Why ordinary neural nets fall short

Start with the simplest possible classifier: every pixel connected straight to ten output
neurons, one per class. Each output neuron computes a weighted sum of all 784 pixels plus
a bias, $z = b + \sum w x$, and the largest $z$ wins.
"""),
        code(r"""
flat = sequential(28x28x1, dense(10), softmax())
summary(flat)
"""),
        code(r"""
train(flat, data.train, epochs: epochs, batch: 32, optimizer: sgd(lr: 0.01, momentum: 0.9), l2: 0.01)
evaluate(flat, data.test)
"""),
        md(r"""
(The `l2` weight decay pulls weights that the data does not need back towards zero, which
costs a little accuracy but makes the pictures below much cleaner.)

Because the layer has to hold everything it knows about a class in one set of 784 weights,
those weights end up looking like a *template* of the class: roughly the average of its
pictures. Drawn as images, the ten templates are recognisable shapes: a trouser leg, the
outline of a bag, a shoe.
"""),
        figure(r"""
templates(flat)
"""),
        md(r"""
One template per class works when every example looks alike. It fails when a class varies:
a sandal seen from either side, a shirt with or without sleeves, a dog curled up or
stretched out (on colour photographs such as CIFAR-10 the templates blur into smudges). A
single layer can only average those variations together. Adding a hidden layer helps,
since it could learn a "left-facing" and a "right-facing" template and let the output
combine them, but memorising every variation of every object this way would take an
impractical number of neurons.

## Compositionality

The way out is to describe things by their *parts*. You recognise a car you have never seen
because it has wheels, doors and a windshield, in some combination you may not have met
before. Suppose a net keeps 10 templates of wheels, 10 of doors and 10 of windshields:
"""),
        code(r"""
cars = 10 * 10 * 10
templates_kept = 10 + 10 + 10
print(cars, "cars described by", templates_kept, "part templates")
"""),
        md(r"""
Parts multiply while their cost adds. Better still, parts are shared: wagons have wheels,
houses have doors. A convnet learns such parts, layer by layer: small patterns first, then
patterns of patterns.

## Where convnets come from

* **Hubel and Wiesel (1960s)** recorded single neurons in a cat's visual cortex and found
  cells that fire for an edge or a bar at one place and one angle, with later cells
  combining them into more complex patterns.
* **Fukushima's neocognitron (1980)** built that hierarchy as a network: each layer slides
  a set of pattern detectors over the output of the layer before. Its detectors were set by
  hand; there was no way yet to learn them.
* **LeNet (1990s)**, from Yann LeCun's team at AT&T, trained such a network with
  backpropagation to read handwritten digits on bank cheques.
* **AlexNet (2012)** won the ImageNet challenge by a wide margin with a much deeper
  convnet trained on GPUs, and vision has been built on convnets since.

## Convolutional layers

A convolutional layer computes the same weighted sum as a fully-connected neuron, but over
a small window: a *filter* of, say, 3x3 weights. The filter slides over the image, and at
each position the weighted sum of the pixels under it becomes one pixel of an *activation
map*. Every pixel of the map sees only the 3x3 patch under the filter: that patch is its
*receptive field*.

Here is one image and a hand-written filter that responds to a dark-to-bright change from
top to bottom (a horizontal edge):
"""),
        figure(r"""
img = data.test[0]
img
"""),
        figure(r"""
edge = kernel([[-1, -1, -1],
               [ 0,  0,  0],
               [ 1,  1,  1]])
edge
"""),
        figure(r"""
convolve(img, edge)
"""),
        md(r"""
One step of that slide, at column 10 and row 12 of the map: the filter's window on the
image (orange), the 3x3 patch under it, the filter's weights, their products, and their
sum, which is the map's pixel there. The map is filled in up to that position, in reading
order, as the filter sweeps the image. `step.sum` is that number; try other positions.
"""),
        figure(r"""
step = convolution_step(img, edge, 10, 12)
step
"""),
        md(r"""
Bright pixels in the map mark where the filter found its pattern; dark ones, where it
found the opposite. Turn the filter on its side and it finds vertical edges instead:
"""),
        figure(r"""
convolve(img, kernel([[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]]))
"""),
        md(r"""
Before nets learned their filters, vision was built on hand-made ones like these.
`filter(name)` has the classic ones: `"edge-horizontal"`, `"edge-vertical"`, `"sobel-x"`,
`"sobel-y"`, `"blur"`, `"gaussian"`, `"sharpen"`, `"outline"` and `"identity"`.
"""),
        figure(r"""
show([convolve(img, filter("blur")), convolve(img, filter("sharpen")), convolve(img, filter("outline"))], title: "blur, sharpen, outline")
"""),
        md(r"""
A conv layer does not use hand-made filters: it *learns* them, many at once, each making
its own map. The next net has one conv layer of 8 filters of 5x5, a pooling layer and an
output layer. Train it briefly and look at what it learned.
"""),
        code(r"""
first = sequential(28x28x1, conv(8, 5x5), relu(), maxpool(2x2), dense(10), softmax())
summary(first)
"""),
        code(r"""
train(first, data.train, epochs: epochs, batch: 32, optimizer: sgd(lr: 0.01, momentum: 0.9))
evaluate(first, data.test)
"""),
        figure(r"""
filters(first, 1)
"""),
        *interactive(convolution_demo, md, code, figure),
        md(r"""
Each filter makes its own activation map from the image: here are the 8, each under the
filter that made it (`layer_maps(first, data.test[k])` for another image).
"""),
        figure(r"""
layer_maps(first, img)
"""),
        *interactive(maps_demo, md, code, figure),
        md(r"""
And the same maps inside the whole net, with the layers after them:
"""),
        figure(r"""
activations(first, img)
"""),
        md(r"""
Count the pixels of one map. A 5x5 filter fits in a 28-pixel row at 28 - 5 + 1 = 24
positions, so each map is **24x24**, not the 25x25 that is easy to write by mistake, and
the 8 maps hold 8 x 24 x 24 = 4,608 neurons. The kernel computes it for us:
"""),
        code(r"""
shape(conv(8, 5x5), 28x28x1)
"""),
        code(r"""
check(shape(conv(8, 5x5), 28x28x1) == 24x24x8, "5x5 filters on 28x28 give 24x24 maps")
24 * 24 * 8
"""),
        md(r"""
A conv layer has a few settings besides its number of filters and their size. The
*stride* is how far the filter jumps between positions; the *padding* adds a border of
zeros so the filter can also sit on the edge pixels. In general, along each side,

$$\text{out} = \frac{\text{in} + 2 \cdot \text{pad} - \text{size}}{\text{stride}} + 1$$

With pad 2, a 5x5 filter keeps a 28x28 image at 28x28:
"""),
        code(r"""
shape(conv(8, 5x5, pad: 2), 28x28x1)
"""),
        md(r"""
## Pooling layers

Pooling shrinks each activation map, usually by half in each direction. *Max pooling* with
2x2 windows keeps the largest value of each 2x2 block. It has nothing to learn, costs
almost nothing, and makes the net less sensitive to a pattern moving by a pixel. On a small
matrix:
"""),
        figure(r"""
m = kernel([[1, 3, 2, 0],
            [5, 6, 1, 8],
            [0, 2, 4, 1],
            [3, 1, 0, 2]])
m
"""),
        md(r"""
The top-left 2x2 block holds 1, 3, 5 and 6, so the first pooled value is 6; the other three
blocks give 8, 3 and 4. The kernel agrees:
"""),
        figure(r"""
pooled = maxpool(m, 2x2)
check(pooled == kernel([[6, 8], [3, 4]]), "each 2x2 block keeps its largest value")
pooled
"""),
        md(r"""
And on an activation map: the map the first learned filter makes from our image, then the
same map pooled to half its width and height. The shape survives; the detail that goes is
mostly where exactly each feature was.
"""),
        figure(r"""
map1 = convolve(img, filters(first, 1)[0])
map1
"""),
        figure(r"""
maxpool(map1, 2x2)
"""),
        code(r"""
shape(maxpool(2x2), 24x24x8)
"""),
        md(r"""
Some recent architectures drop pooling and shrink the maps with a stride of 2 in the conv
layer itself (the "all-convolutional" nets):
"""),
        code(r"""
shape(conv(8, 4x4, stride: 2, pad: 1), 28x28x1)
"""),
        md(r"""
## Volumes

From here on it helps to see the data flowing through a convnet as a *volume*: width x
height x depth. Our greyscale image is 28x28x1. The conv layer's 8 maps stack into a
24x24x8 volume, and pooling makes it 12x12x8.

A colour image has three channels (red, green, blue), so a 32x32 CIFAR-10 picture is a
**32x32x3** volume (not 32x32x5). A filter always spans the full depth of its input, so
filters on a colour image are 7x7x3, say, and each still makes one map. Twenty of them
give a 26x26x20 volume:
"""),
        code(r"""
shape(conv(20, 7x7), 32x32x3)
"""),
        code(r"""
check(shape(conv(20, 7x7), 32x32x3) == 26x26x20, "20 filters of 7x7x3 on 32x32x3")
check(shape(maxpool(2x2), shape(conv(8, 5x5), 28x28x1)) == 12x12x8, "pooling halves 24x24x8")
"""),
        md(r"""
The output volume is a kind of image with 20 channels instead of 3. That is the key to what
comes next: the next conv layer treats it exactly as the first treated the pixels.

## Things get deep

Now a real convnet: three conv layers, each followed by a 2x2 max pool, then two
fully-connected layers. The padding keeps each conv's width and height, so the volume goes
28x28x8, 14x14x16, 7x7x32 and, after the last pool, 3x3x32.
"""),
        code(r"""
deep = sequential(28x28x1,
  conv(8, 5x5, pad: 2), relu(), maxpool(2x2),
  conv(16, 5x5, pad: 2), relu(), maxpool(2x2),
  conv(32, 3x3, pad: 1), relu(), maxpool(2x2),
  dense(64), relu(),
  dense(10), softmax())
summary(deep)
"""),
        code(r"""
check(shape(deep, 1) == 28x28x8, "pad 2 keeps 28x28")
"""),
        md(r"""
Train it for one pass over the 60,000 training images (the interrupt button stops training
at the next batch and keeps what the net has learned), then test it on the 10,000 test
images it has never seen. With `watch: img` the live display shows the net learning: the
loss and accuracy so far, the first layer's filters and the maps they make of our image,
redrawn about four times a second.
"""),
        figure(r"""
history = train(deep, data.train, epochs: epochs, batch: 32, optimizer: sgd(lr: 0.01, momentum: 0.9), watch: img)
evaluate(deep, data.test)
"""),
        figure(r"""
history
"""),
        *interactive(training_demo, md, code, figure),
        md(r"""
What do several conv layers give us? The first layer finds small patterns in the pixels:
edges, blobs, corners. The second layer's "pixels" are the first layer's activation maps,
so it finds patterns *of those patterns*: a corner next to an edge, a curve above a bar.
Each layer sees a larger patch of the original image than the one before (its receptive
field grows with every conv and pool), so the features get larger and more specific as we
go deeper. Here are the activations at every step for one image:
"""),
        figure(r"""
activations(deep, img)
"""),
        figure(r"""
filters(deep, 1)
"""),
        md(r"""
## Where the net goes wrong

A confusion matrix counts, for each true class (rows), which class the net predicted
(columns). The diagonal holds the right answers; the shaded cells off it show which classes
look alike to the net (shirts, T-shirts, pullovers and coats, on Fashion-MNIST).
"""),
        figure(r"""
matrix = confusion(deep, data.test)
matrix
"""),
        md(r"""
The matrix remembers which images fell in each cell. Here are the shirts the net took for
T-shirts (any pair of classes, by name or number, works the same):
"""),
        figure(r"""
confusion_examples(matrix, "Shirt", "T-shirt/top")
"""),
        *interactive(confusion_demo, md, code, figure),
        md(r"""
## Check yourself

The exercise bank has questions on every part of this chapter. `exercises()` lists them
with your progress, `exercise(id)` shows one, and `answer(id, value)` checks your answer:
it says why a right answer is right, and gives a hint (never the answer) for a wrong one.
The notebook `exercises.ipynb` walks through them.
"""),
        code(r"""
exercise("volume-cifar")
"""),
        code(r"""
answer("volume-cifar", 26x26x20)
"""),
        code(r"""
exercises()
"""),
    ]
