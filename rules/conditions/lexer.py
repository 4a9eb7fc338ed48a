"""Cell text to tokens, each with its span in the text, so errors can point at a character."""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .errors import ConditionSyntaxError
from .values import straighten

NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d+)?|\.\d+)")
DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
# A comma between groups of three digits is a thousands separator (1,800), as in cells; a list
# of numbers is typed with a space after each comma (1, 800).
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)")
# "not" is a keyword only as the first word of a cell; elsewhere it is a misplaced word.
_NOT = re.compile(r"(not)(?=[\s(\[\]<>\"']|$)", re.IGNORECASE)
_PUNCTUATION = {",": "COMMA", "(": "LPAREN", ")": "RPAREN", "[": "LBRACK", "]": "RBRACK"}
# Characters that end a bare word: punctuation, operators, quotes and look-alikes we explain.
_WORD_STOPS = frozenset(',()[]<>=!"\u2264\u2265\u2026')
# Typed or autocorrected look-alikes of the operators, and what to type instead.
_LOOKALIKES = {"=<": "<=", "=>": ">=", "\u2264": "<=", "\u2265": ">=", "\u2026": ".."}


@dataclass(frozen=True)
class Token:
    """``kind`` is NOT, COMMA, LPAREN, RPAREN, LBRACK, RBRACK, DOTS, OP, NUMBER, DATE, STRING,
    WORD or END; ``text`` what was typed (a STRING's content, without its quotes)."""

    kind: str
    text: str
    start: int
    end: int


def replace(text: str, start: int, end: int, new: str) -> str:
    """``text`` with ``text[start:end]`` replaced by ``new``: how suggestions are built."""
    return text[:start] + new + text[end:]


def lex(text: str) -> Iterator[Token]:
    """The tokens of a stripped cell text, ending with an END token at ``len(text)``.

    Lazy, so that a parser reports the leftmost problem of a cell, not the first one lexed.
    """
    src = straighten(text)
    i = 0
    keyword = _NOT.match(src)
    if keyword:
        yield Token("NOT", keyword.group(1), 0, keyword.end())
        i = keyword.end()
    while True:
        while i < len(src) and src[i].isspace():
            i += 1
        if i >= len(src):
            break
        token = _token(text, src, i)
        yield token
        i = token.end
    yield Token("END", "", len(src), len(src))


def _token(text: str, src: str, i: int) -> Token:
    char = src[i]
    pair = src[i:i + 2]
    if pair == "..":
        if src.startswith("...", i):
            end = i + 2
            while end < len(src) and src[end] == ".":
                end += 1
            raise ConditionSyntaxError('unexpected "."', text, i + 2, replace(text, i, end, ".."),
                                       "a range has two dots")
        return Token("DOTS", "..", i, i + 2)
    for typed, meant in _LOOKALIKES.items():
        if src.startswith(typed, i):
            raise ConditionSyntaxError(f'unexpected "{typed}"', text, i,
                                       replace(text, i, i + len(typed), meant))
    if pair in ("<>", "!="):
        rest = text[i + 2:].strip()
        raise ConditionSyntaxError(f'unexpected "{pair}"', text, i,
                                   f"not {rest}" if rest and i == 0 else None,
                                   'start the cell with "not" to exclude values')
    if char in "<>":
        op = pair if pair in ("<=", ">=") else char
        return Token("OP", op, i, i + len(op))
    if char in "=!":
        before = text[:i].rstrip()
        # "< = 400": the planner meant "<=" and typed a blank in it.
        joined = before + "= " + text[i + 1:].lstrip() if char == "=" and before.endswith(("<", ">")) else None
        hint = "a value alone already tests equality" if char == "=" and not joined else None
        raise ConditionSyntaxError(f'unexpected "{char}"', text, i, joined, hint)
    if char in _PUNCTUATION:
        return Token(_PUNCTUATION[char], char, i, i + 1)
    grouped = _GROUPED.match(src, i)
    if grouped:
        return Token("NUMBER", grouped.group(), i, grouped.end())
    if char in "\"'":
        close = src.find(char, i + 1)
        if close < 0:
            raise ConditionSyntaxError("this quote is not closed", text, i, text + char,
                                       f"add a closing {char}")
        if not src[i + 1:close].strip():
            raise ConditionSyntaxError("empty quotes", text, i, None,
                                       "leave the cell blank to match any value")
        return Token("STRING", src[i + 1:close], i, close + 1)
    end = i
    while end < len(src) and src[end] not in _WORD_STOPS and not src.startswith("..", end):
        end += 1
    word = src[i:end].rstrip()
    kind = "DATE" if DATE.fullmatch(word) else "NUMBER" if NUMBER.fullmatch(word) else "WORD"
    return Token(kind, word, i, i + len(word))
