"""Errors a user can cause, each printable as one ``file:line: message`` line."""

from __future__ import annotations

import re
from dataclasses import dataclass

EXIT_OK = 0
EXIT_CONTENT = 1
EXIT_USAGE = 2

# What a terminal would act on rather than show: C0/C1 controls (escape
# sequences, line ends), line separators and bidi embeddings/overrides/isolates.
UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` safe to print on one terminal line: control characters written as escapes (``\\x1b``)."""
    return UNPRINTABLE.sub(lambda m: repr(m.group(0))[1:-1], text)


@dataclass(frozen=True)
class Location:
    """Where a piece of text came from, so every message can point at it."""

    file: str
    line: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


class PublisherError(Exception):
    """A mistake in the input (content): reported on one line, exit code 1."""

    exit_code = EXIT_CONTENT

    def __init__(self, message: str, where: Location | str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where

    def __str__(self) -> str:
        return printable(f"{self.where}: {self.message}" if self.where else self.message)


class UsageError(PublisherError):
    """A mistake in how the command was called: exit code 2."""

    exit_code = EXIT_USAGE
