"""A Pygments lexer for the convnet language (its tokens as Sources/ConvnetLanguage/Syntax/Lexer.swift reads them)."""

from __future__ import annotations

from pygments.lexer import RegexLexer, bygroups, include, words
from pygments.token import Comment, Keyword, Name, Number, Operator, Punctuation, String, Text, Whitespace

# The language's built-ins, as docs/language.md lists them (a test keeps the two in step).
BUILTINS = (
    # data and images
    "dataset", "images", "image", "show", "kernel", "convolve",
    # layers and nets
    "conv", "maxpool", "avgpool", "dense", "relu", "leakyrelu", "sigmoid", "tanh", "softmax", "dropout",
    "flatten", "sequential", "add", "shape", "summary",
    # training and evaluation
    "sgd", "adam", "adagrad", "adadelta", "train", "evaluate", "confusion", "predict",
    # looking inside a net
    "filters", "activations", "templates", "save", "load",
    # the chapter's demos
    "filter", "convolution_step", "layer_maps", "training_view", "confusion_examples",
    # exercises and checks
    "check", "todo", "exercises", "exercise", "answer",
    # session and output
    "print", "warn", "clear", "sleep", "fail", "input", "reset", "vars", "help", "system",
    # values
    "range", "len", "round", "abs", "min", "max", "str",
    # widgets and live pictures
    "slider", "dropdown", "toggle", "checkbox", "button", "play", "link", "picture", "label", "row", "column",
    "live", "training_controls",
)

KEYWORDS = ("for", "in", "if", "elif", "else", "pass")
WORD_OPERATORS = ("and", "or", "not")
CONSTANTS = ("true", "false", "none", "True", "False", "None")


class ConvnetLexer(RegexLexer):
    """The convnet language of convnet-kernel: Python-like cells that build and train convnets."""

    name = "Convnet"
    aliases = ["convnet"]
    filenames = ["*.convnet"]
    mimetypes = ["text/x-convnet"]
    url = "https://github.com/convnet-kernel/convnet-kernel"

    tokens = {
        "root": [
            include("common"),
        ],
        # Inside a call's parentheses, `name:` and `name=` are keyword arguments.
        "call": [
            (r"([^\W\d]\w*)([ \t]*)(:|=)(?!=)", bygroups(Name.Attribute, Whitespace, Punctuation)),
            (r"\)", Punctuation, "#pop"),
            include("common"),
        ],
        "brackets": [
            (r"\]", Punctuation, "#pop"),
            include("common"),
        ],
        "common": [
            (r"\n", Whitespace),
            (r"[ \t\r]+", Whitespace),
            (r"#.*$", Comment.Single),
            (r'"', String.Double, "double"),
            (r"'", String.Single, "single"),
            # A volume is one token: whole numbers joined by x with no spaces (28x28x1, 5x5).
            (r"\d+x\d+(?:x\d+)?\b", Number.Volume),
            (r"(?:\d+\.\d*|\.\d+|\d+)[eE][+-]?\d+", Number.Float),
            (r"\d+\.\d+|\.\d+", Number.Float),
            (r"\d+", Number.Integer),
            (words(KEYWORDS, suffix=r"\b"), Keyword),
            (words(WORD_OPERATORS, suffix=r"\b"), Operator.Word),
            (words(CONSTANTS, suffix=r"\b"), Keyword.Constant),
            (words(BUILTINS, suffix=r"\b(?=[ \t]*\()"), Name.Builtin),
            (r"(\.)([^\W\d]\w*)", bygroups(Punctuation, Name.Attribute)),
            (r"[^\W\d]\w*(?=[ \t]*\()", Name.Function),
            (r"[^\W\d]\w*", Name),
            (r"==|!=|<=|>=|[-+*/%<>=]", Operator),
            (r"\(", Punctuation, "call"),
            (r"\[", Punctuation, "brackets"),
            (r"[)\],:.]", Punctuation),
            (r".", Text),
        ],
        "double": [
            (r'\\[nt\\"\']', String.Escape),
            (r'[^"\\\n]+', String.Double),
            (r"\\", String.Double),
            (r'"', String.Double, "#pop"),
            (r"\n", Whitespace, "#pop"),
        ],
        "single": [
            (r"\\[nt\\\"']", String.Escape),
            (r"[^'\\\n]+", String.Single),
            (r"\\", String.Single),
            (r"'", String.Single, "#pop"),
            (r"\n", Whitespace, "#pop"),
        ],
    }
