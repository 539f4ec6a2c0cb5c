"""Glossary enforcement: an agreed term in a msgid wants its agreed translation in the msgstr.

``locales/<locale>/glossary.yaml`` is a list of ``{en: ..., <locale>: ..., note: ...}``.
Either side may list alternatives with `` / `` ("objectives / goals"); a
parenthesis on the English side says which sense is meant and is not part of
the term ("issue (of the bulletin)"). ``also:`` lists further accepted forms of
the translation (a genitive, a plural, a form the grammar imposes).

Matching is on normalised text. English: case, possessives and plurals
(``corridors``, ``Russia's``, ``policies``). Arabic script: the variant
letters (ي/ی/ى, ك/ک, ة/ه, أ/إ/آ/ا), ZWNJ, tatweel and diacritics are
ignored, and a word of the translation may carry a suffix (Pashto ـې/ـو/ـان,
Dari ـها/ـی, Arabic ـات) or a clitic prefix (ال، و، ب، ل، ف). The longest
English term wins, and one or two words may come between two words of a translated
term (a postposition, an adjective: د آمو دریا په حوزه). Inside "Islamic Emirate of Afghanistan" the shorter
"Islamic Emirate" is not checked on its own.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from publisher import limits
from publisher.errors import PublisherError
from publisher.fsutil import read_regular

# Letters written two ways across Arabic, Persian and Pashto keyboards, folded to one.
FOLD = str.maketrans(
    {"ی": "ي", "ى": "ي", "ې": "ي", "ۍ": "ي", "ئ": "ي", "ك": "ک", "ة": "ه", "ۀ": "ه", "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ؤ": "و", "گ": "ګ"}
)
# Joiners, tatweel and marks that do not change a word: removed before comparing.
IGNORED = re.compile("[\u200c\u200d\u200e\u200f\u0640\u064b-\u065f\u0670\u06d6-\u06ed]")
CLITICS = ("وال", "بال", "فال", "کال", "لل", "ال", "و", "ب", "ل", "ف")
GAP = 2  # words a translation may put between two words of a term (a postposition, an adjective)
INFLECTED = "هياو"  # a final vowel letter that inflection replaces (after folding)
WORD = re.compile(r"[\w'’]+|-")


@dataclass(frozen=True)
class Term:
    source: str  # as written in the glossary
    english: tuple[str, ...]  # normalised words of one English alternative
    translations: tuple[tuple[str, ...], ...]  # normalised words of each accepted translation
    shown: str  # the agreed translation, for the message
    line: int


def fold_script(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    return IGNORED.sub("", text).translate(FOLD).lower()


def english_words(text: str) -> list[str]:
    """Words; a hyphen is a word of its own, so that a compound is seen whole."""
    return [w.replace("’", "'") for w in WORD.findall(text.replace("-", " - "))]


def _english_has(word: str, term: str) -> bool:
    """``word`` is ``term`` or an inflection of it: corridors, Russia's, policies, states'.

    A term written in lower case matches any case; one with a capital (a name, a
    title: "Issue") only as written, so "issues" (problems) is not "Issue".
    """
    if term == term.lower():
        word = word.lower()
    if word == term:
        return True
    rest = word[len(term) :] if word.startswith(term) else None
    if rest in ("s", "es", "'s", "s'", "'"):
        return True
    return term.endswith("y") and word in (term[:-1] + "ies", term[:-1] + "ies'")


def _alternatives(value: str) -> list[str]:
    value = re.sub(r"\s*\([^)]*\)", "", str(value or "")).strip()
    return [part.strip() for part in value.split(" / ") if part.strip()]


def parse(entries: object, locale: str, display: str, text: str = "") -> list[Term]:
    """Terms of a parsed glossary; a malformed entry is an error naming its line."""
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise PublisherError("a glossary is a list of {en: ..., <locale>: ..., note: ...} entries", f"{display}:1")
    lines = [n for n, line in enumerate(text.split("\n"), 1) if line.lstrip().startswith("- ")]
    terms = []
    for index, entry in enumerate(entries):
        line = lines[index] if index < len(lines) else 0
        if not isinstance(entry, dict) or not entry.get("en") or not entry.get(locale):
            raise PublisherError(f"a glossary entry needs 'en' and '{locale}'", f"{display}:{line}")
        also = entry.get("also") or []
        if not isinstance(also, list):
            raise PublisherError("'also' is a list of accepted forms", f"{display}:{line}")
        forms = _alternatives(str(entry[locale]).replace("(", " / ").replace(")", "")) + [str(a) for a in also]
        translations = tuple(tuple(WORD.findall(fold_script(f))) for f in forms if WORD.findall(fold_script(f)))
        for english in _alternatives(entry["en"]):
            words = tuple(english_words(english))
            if words and translations:
                terms.append(Term(str(entry["en"]), words, translations, str(entry[locale]), line))
    return sorted(terms, key=lambda t: -len(t.english))


def load(path: Path, locale: str, display: str) -> list[Term]:
    """The terms of ``path`` (none when there is no glossary)."""
    if not path.exists():
        return []
    text = read_regular(path, display, limits.CATALOG_BYTES).decode("utf-8", errors="replace")
    try:
        entries = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise PublisherError(f"not valid YAML: {getattr(exc, 'problem', exc)}", f"{display}:{mark.line + 1 if mark else 1}") from None
    return parse(entries, locale, display, text)


def _word_has(word: str, stem: str) -> bool:
    if stem.startswith("ال") and len(stem) > 4:  # the article contracts after a clitic: الصين → للصين
        stem = stem[2:]
    if word.startswith(stem) or (stem[-1:] in INFLECTED and len(stem) >= 3 and word.startswith(stem[:-1])):  # Pashto روسیه → روسیې, ډلې → ډلو
        return True
    return any(word.startswith(c) and _word_has(word[len(c) :], stem) for c in CLITICS)


def _contains(words: list[str], phrase: tuple[str, ...]) -> bool:
    """``phrase`` in ``words``, a word of the translation allowed between two of its words (د آمو دریا په حوزه)."""

    def rest(start: int, k: int) -> bool:
        if k == len(phrase):
            return True
        return any(i < len(words) and _word_has(words[i], phrase[k]) and rest(i + 1, k + 1) for i in range(start, start + 1 + GAP))

    return any(_word_has(words[i], phrase[0]) and rest(i + 1, 1) for i in range(len(words)))


def _find(words: list[str], phrase: tuple[str, ...], taken: set[int]) -> list[int] | None:
    """The first span of ``words`` that is ``phrase``, not inside a taken span nor a hyphenated compound."""
    size = len(phrase)
    for i in range(len(words) - size + 1):
        span = set(range(i, i + size))
        if span & taken or (i > 0 and words[i - 1] == "-") or (i + size < len(words) and words[i + size] == "-"):
            continue
        if all(_english_has(words[i + k], phrase[k]) for k in range(size)):
            return sorted(span)
    return None


def misses(terms: list[Term], source: str, translation: str) -> list[Term]:
    """The terms found in ``source`` whose agreed translation is not in ``translation``."""
    words = english_words(source)
    target = fold_script(translation)
    target_words = WORD.findall(target)
    taken: set[int] = set()
    missed: list[Term] = []
    seen: set[str] = set()
    for term in terms:
        while (span := _find(words, term.english, taken)) is not None:
            taken |= set(span)
            if term.source in seen:
                continue
            seen.add(term.source)
            if not any(_contains(target_words, t) for t in term.translations):
                missed.append(term)
    return missed
