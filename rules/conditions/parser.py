"""Tokens to a syntax tree of raw literals (still text, with their spans); types come later.

Grammar (case-insensitive ``not``)::

    cell    := "not" "(" items ")" | "not" items | items
    items   := item ("," item)*
    item    := OP literal | opener literal ".." literal closer | literal [".." literal] | literal
    opener  := "[" (closed) | "(" or "]" (open)
    closer  := "]" (closed) | ")" or "[" (open)
    literal := NUMBER | DATE | STRING | WORD
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Union

from .errors import ConditionSyntaxError
from .lexer import Token, lex, replace

_OPENERS = {"LBRACK": True, "LPAREN": False, "RBRACK": False}  # token -> end included
_CLOSERS = {"RBRACK": True, "RPAREN": False, "LBRACK": False}
# Slips of the finger for "not" that no attribute value plausibly starts with.
_NOT_TYPOS = frozenset({"nto", "ont", "nott", "noot", "nnot", "nt"})


@dataclass(frozen=True)
class Literal:
    token: Token  # NUMBER, DATE, STRING or WORD


@dataclass(frozen=True)
class Comparison:
    op: Token
    literal: Literal


@dataclass(frozen=True)
class Interval:
    start: int  # of the opener, or of the low bound when there is none
    low: Literal
    high: Literal
    low_closed: bool
    high_closed: bool


Item = Union[Literal, Comparison, Interval]


@dataclass(frozen=True)
class Syntax:
    negated: bool
    items: tuple[Item, ...]


def parse_syntax(text: str) -> Syntax:
    """The syntax tree of a stripped, non-blank cell text; ConditionSyntaxError when it has none."""
    return _Parser(text, lex(text)).cell()


class _Parser:
    def __init__(self, text: str, tokens: Iterator[Token]):
        self.text = text
        self.pending = tokens
        self.tokens: list[Token] = []  # lexed so far
        self.lex_error: ConditionSyntaxError | None = None
        self.i = 0

    def at(self, index: int) -> Token:
        while len(self.tokens) <= index:
            if self.tokens and self.tokens[-1].kind == "END":
                return self.tokens[-1]
            if self.lex_error:
                raise self.lex_error
            try:
                self.tokens.append(next(self.pending))
            except ConditionSyntaxError as error:  # a generator that raised is spent: keep its error
                self.lex_error = error
                raise
        return self.tokens[index]

    def peek(self) -> Token:
        return self.at(self.i)

    def lookahead(self) -> Token | None:
        """The token after the next one, or None when it does not lex (reported later, if reached)."""
        try:
            return self.at(self.i + 1)
        except ConditionSyntaxError:
            return None

    def take(self) -> Token:
        token = self.peek()
        self.i += 1
        return token

    def cell(self) -> Syntax:
        if self.peek().kind != "NOT":
            self._check_not_typo()
            return Syntax(False, self._until_end())
        self.take()
        if self.peek().kind == "END":
            raise ConditionSyntaxError('nothing follows "not"', self.text, len(self.text),
                                       None, "write the values to exclude, e.g. not EU, US")
        if self.peek().kind != "LPAREN":
            return Syntax(True, self._until_end())
        # "not (" opens either a group, not(EU, US), or a range open at its low end, not (1..5]:
        # try the group first and keep whichever reading got further when both fail.
        start = self.i
        try:
            self.take()
            items = self.items()
            self.expect("RPAREN")
            self.expect("END")
            return Syntax(True, items)
        except ConditionSyntaxError as as_group:
            self.i = start
            try:
                return Syntax(True, self._until_end())
            except ConditionSyntaxError as as_range:
                raise as_group if as_group.position >= as_range.position else as_range from None

    def _until_end(self) -> tuple[Item, ...]:
        items = self.items()
        self.expect("END")
        return items

    def _check_not_typo(self) -> None:
        first = self.peek()
        if first.kind != "WORD":
            return
        word, *rest = first.text.split(None, 1)
        after = self.lookahead()
        if word.casefold() in _NOT_TYPOS and (rest or (after and after.kind == "LPAREN")):
            fixed = replace(self.text, first.start, first.start + len(word), "not")
            raise ConditionSyntaxError(f'"{word}" looks like a misspelt "not"', self.text,
                                       first.start, fixed)

    def expect(self, kind: str) -> Token:
        token = self.peek()
        if token.kind == kind:
            return self.take()
        if token.kind == "END" and kind == "RPAREN":
            raise ConditionSyntaxError('")" closing "not(" is missing', self.text, token.start,
                                       self.text + ")")
        raise self.unexpected(token)

    def unexpected(self, token: Token, hint: str | None = None) -> ConditionSyntaxError:
        if token.kind == "END":
            return ConditionSyntaxError("a value is missing", self.text, token.start, None, hint)
        if token.kind in _CLOSERS and self.i > 0 and self.tokens[self.i - 1].kind in ("NUMBER", "DATE"):
            hint = hint or "a range needs its opening bracket too, e.g. [100..400]"
        return ConditionSyntaxError(f'unexpected "{self.text[token.start:token.end]}"', self.text,
                                    token.start, None, hint)

    def items(self) -> tuple[Item, ...]:
        items = [self.item()]
        while self.peek().kind == "COMMA":
            self.take()
            items.append(self.item())
        return tuple(items)

    def item(self) -> Item:
        token = self.peek()
        if token.kind == "OP":
            self.take()
            return Comparison(token, self.literal())
        if token.kind in _OPENERS:
            self.take()
            low = self.literal()
            self.dots(low)
            high = self.literal()
            closer = self.peek()
            if closer.kind not in _CLOSERS:
                at = high.token.end
                raise ConditionSyntaxError("the range is not closed", self.text, at,
                                           replace(self.text, at, at, "]"), 'add "]" or ")"')
            self.take()
            return Interval(token.start, low, high, _OPENERS[token.kind], _CLOSERS[closer.kind])
        low = self.literal()
        if self.peek().kind != "DOTS":
            return low
        self.take()
        if self.peek().kind in ("END", "COMMA"):
            at = self.peek().start
            raise ConditionSyntaxError("the range has no upper end", self.text, at,
                                       replace(self.text, low.token.start, at, ">= " + self._raw(low)))
        high = self.literal()
        return Interval(low.token.start, low, high, True, True)

    def dots(self, low: Literal) -> None:
        if self.peek().kind == "DOTS":
            self.take()
            return
        token = self.peek()
        if token.kind == "END":
            raise ConditionSyntaxError("the range has no upper end", self.text, token.start, None,
                                       'write both ends, e.g. [100..400]')
        after = self.lookahead()
        fixed = None
        if token.kind == "COMMA" and after and after.kind in ("NUMBER", "DATE", "STRING", "WORD"):
            fixed = replace(self.text, low.token.end, after.start, "..")
        raise ConditionSyntaxError(f'unexpected "{self.text[token.start:token.end]}"', self.text,
                                   token.start, fixed, 'separate the ends of a range with ".."')

    def literal(self) -> Literal:
        token = self.peek()
        if token.kind in ("NUMBER", "DATE", "STRING", "WORD"):
            if token.kind == "WORD" and token.text.split(None, 1)[0].casefold() == "not":
                raise ConditionSyntaxError('"not" is misplaced', self.text, token.start, None,
                                           '"not" must start the cell and applies to all of it')
            if token.kind == "WORD" and not any(ch.isalnum() for ch in token.text):
                raise self.meaningless(token)
            self.take()
            return Literal(token)
        if token.kind == "END" and self.i > 0 and self.tokens[self.i - 1].kind == "COMMA":
            comma = self.tokens[self.i - 1]
            raise ConditionSyntaxError('a value is missing after ","', self.text, comma.start,
                                       self.text[:comma.start].rstrip() or None)
        if token.kind == "COMMA":
            raise ConditionSyntaxError('a value is missing before ","', self.text, token.start)
        raise self.unexpected(token)

    def meaningless(self, token: Token) -> ConditionSyntaxError:
        """A bare value of punctuation alone: "-" means any value only when it is the whole cell
        ("not -" would exclude every cluster); anything else of its kind is quoted when meant."""
        if token.text == "-":
            return ConditionSyntaxError('"-" stands for any value only when it is the whole cell',
                                        self.text, token.start, None,
                                        "clear the cell to match every cluster")
        return ConditionSyntaxError(f'"{token.text}" has no letter or digit', self.text,
                                    token.start, None,
                                    f'put it in quotes if a value really is "{token.text}"')

    def _raw(self, literal: Literal) -> str:
        return self.text[literal.token.start:literal.token.end]
