"""Translation memory: a locale's new messages filled from every catalog it already has.

A new issue shares headings, the series' boilerplate, names and whole
sentences with earlier ones. ``publisher update`` offers each untranslated
message the translation of the same text in any catalog of the locale
(translated, with a translator comment naming the file and line it came
from), or of a text at least :data:`CUTOFF` % alike (rapidfuzz ratio; fuzzy,
with the remembered msgid as ``#|`` previous, for review). The memory is also
exported as TMX for CAT tools (:func:`tmx_bytes`, through translate-toolkit).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from babel.messages.catalog import Catalog, Message
from rapidfuzz import fuzz, process, utils

CUTOFF = 85.0  # similarity (0–100) from which a remembered translation is offered as fuzzy
COMMENT = "translation memory"


@dataclass(frozen=True)
class Unit:
    source: str
    target: str
    context: str | None
    origin: str  # file:line of the msgid it was read from


@dataclass
class Memory:
    locale: str
    units: list[Unit] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._exact: dict[tuple[str, str | None], Unit] = {}
        self._texts: list[str] = []
        self._by_text: list[Unit] = []
        self._seen: set[str] = set()
        for unit in self.units:
            self._index(unit)

    def _index(self, unit: Unit) -> None:
        key = (unit.source, unit.context)
        if key in self._exact:
            return
        self._exact[key] = unit
        if unit.source not in self._seen:
            self._seen.add(unit.source)
            self._texts.append(unit.source)
            self._by_text.append(unit)

    def remembered(self) -> list[Unit]:
        """One unit per text and context (the first catalog read wins)."""
        return list(self._exact.values())

    def add_catalog(self, catalog: Catalog, display: str) -> None:
        """Remember every translated, reviewed singular message of ``catalog`` (read from ``display``)."""
        for message in catalog:
            if message.id and isinstance(message.id, str) and isinstance(message.string, str) and message.string and not message.fuzzy:
                unit = Unit(message.id, message.string, message.context, f"{display}:{(message.lineno or 0) + 1}")
                self.units.append(unit)
                self._index(unit)

    def lookup(self, text: str, context: str | None) -> tuple[Unit, float] | None:
        """The remembered unit for ``text``: exact (score 100, same context) or the closest at least CUTOFF alike."""
        exact = self._exact.get((text, context))
        if exact is not None:
            return exact, 100.0
        if not self._texts:
            return None
        found = process.extractOne(text, self._texts, scorer=fuzz.ratio, processor=utils.default_process, score_cutoff=CUTOFF)
        if found is None:
            return None
        _, score, index = found
        return self._by_text[index], float(score)


@dataclass
class Filled:
    exact: int = 0
    fuzzy: int = 0
    untranslated: int = 0

    def __iadd__(self, other: Filled) -> Filled:
        self.exact, self.fuzzy, self.untranslated = self.exact + other.exact, self.fuzzy + other.fuzzy, self.untranslated + other.untranslated
        return self


def _empty(message: Message) -> bool:
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    return not any(strings)


def fill(catalog: Catalog, memory: Memory) -> Filled:
    """Fill ``catalog``'s untranslated singular messages from ``memory`` in place; count what was filled."""
    filled = Filled()
    for message in catalog:
        if not message.id or not isinstance(message.id, str) or not _empty(message):
            continue
        found = memory.lookup(message.id, message.context)
        if found is None:
            filled.untranslated += 1
            continue
        unit, score = found
        message.string = unit.target
        if score >= 100.0 and unit.source == message.id and unit.context == message.context:
            message.flags.discard("fuzzy")
            message.user_comments.append(f"{COMMENT}: {unit.origin}")
            filled.exact += 1
        else:
            message.flags.add("fuzzy")
            message.previous_id = [unit.source]
            message.previous_context = unit.context
            message.user_comments.append(f"{COMMENT} ({score:.0f} %): {unit.origin}")
            filled.fuzzy += 1
    return filled


def tmx_bytes(memories: list[Memory], source_lang: str) -> bytes:
    """The memories as one TMX 1.4 file (translate-toolkit): a translation unit per remembered text, context and language.

    Each unit notes the catalog and line it was read from, and carries its msgctxt as context.
    """
    from translate.storage.tmx import tmxfile

    source = source_lang.replace("_", "-")
    store = tmxfile(sourcelanguage=source, targetlanguage=memories[0].locale.replace("_", "-") if memories else None)
    for memory in memories:
        for unit in memory.remembered():
            store.addtranslation(unit.source, source, unit.target, memory.locale.replace("_", "-"), unit.origin, unit.context)
    return bytes(store)
