"""papermill's parameters in the convnet language: `papermill in.ipynb out.ipynb -p epochs 2`.

papermill writes the parameters it is given as a cell of the notebook's language, after
the cell tagged `parameters`. This module writes them in the convnet language
(docs/language.md) and registers itself for the kernel and the language `convnet`.
papermill has no entry point group for translators, but it loads every `papermill.engine`
entry point when it starts: this package's (papermill_engine.py) imports this module,
which registers the translator as its last step.
"""

from __future__ import annotations

import math
import re

from papermill.exceptions import PapermillException
from papermill.models import Parameter
from papermill.translators import Translator, papermill_translators

LANGUAGE = "convnet"
RESERVED = {
    "for", "in", "if", "elif", "else", "and", "or", "not", "pass",
    "true", "false", "none", "True", "False", "None",
}  # fmt: skip
# A name as the lexer reads it: letters (any script), digits and _, not starting with a digit.
NAME = re.compile(r"[^\W\d]\w*\Z")
# `name = value  # help`, one per line of the parameters cell.
ASSIGNMENT = re.compile(r"^(?P<name>[^\W\d]\w*)\s*=\s*(?P<value>.*?)\s*(?:#\s*(?P<help>.*))?$")
# Escapes the lexer reads inside "...": \n, \t, \\ and \" (Lexer.string).
ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t"}


class ConvnetTranslator(Translator):
    """Python values (papermill's parameters: JSON and YAML types) as convnet expressions."""

    @classmethod
    def translate_str(cls, val: str) -> str:
        if "\r" in val:
            # The lexer ends a string at a carriage return and has no escape for one.
            raise PapermillException(
                f"the convnet language cannot write a carriage return in a string: {val!r}"
            )
        return '"' + "".join(ESCAPES.get(c, c) for c in val) + '"'

    @classmethod
    def translate_none(cls, val: None) -> str:
        return "none"

    @classmethod
    def translate_bool(cls, val: bool) -> str:
        return "true" if val else "false"

    @classmethod
    def translate_int(cls, val: int) -> str:
        return str(val)

    @classmethod
    def translate_float(cls, val: float) -> str:
        if math.isnan(val):
            raise PapermillException("the convnet language has no way to write NaN")
        if math.isinf(val):
            # Past Double's range, the lexer's number reads as infinity.
            return "1e999" if val > 0 else "-1e999"
        return repr(val)

    @classmethod
    def translate_list(cls, val: list) -> str:
        return "[" + ", ".join(cls.translate(item) for item in val) + "]"

    @classmethod
    def translate_dict(cls, val: dict) -> str:
        raise PapermillException(
            "the convnet language has no dictionaries: pass each value as a parameter of its own"
        )

    @classmethod
    def comment(cls, cmt_str: str) -> str:
        return "\n".join(f"# {line}".rstrip() for line in str(cmt_str).splitlines() or [""])

    @classmethod
    def assign(cls, name: str, str_val: str) -> str:
        if not NAME.match(name) or name in RESERVED:
            raise PapermillException(f"{name!r} is not a name in the convnet language")
        return f"{name} = {str_val}"

    @classmethod
    def inspect(cls, parameters_cell) -> list[Parameter]:
        """The `name = value  # help` lines of the parameters cell (`papermill --help-notebook`)."""
        parameters = []
        for line in parameters_cell.source.splitlines():
            match = ASSIGNMENT.match(line.strip())
            if not match:
                continue
            value = match.group("value")
            parameters.append(
                Parameter(
                    name=match.group("name"),
                    inferred_type_name=infer_type(value),
                    default=value,
                    help=match.group("help") or "",
                )
            )
        return parameters


def infer_type(value: str) -> str:
    """The kind of a literal, in the language's own words (docs/language.md's table of values)."""
    if re.fullmatch(r"-?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?", value):
        return "number"
    if re.fullmatch(r"\d+x\d+(?:x\d+)?", value):
        return "volume"
    if re.fullmatch(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'", value):
        return "string"
    if value in ("true", "false", "True", "False"):
        return "bool"
    if value in ("none", "None"):
        return "NoneType"
    if value.startswith("["):
        return "list"
    return "None"


papermill_translators.register(LANGUAGE, ConvnetTranslator)
