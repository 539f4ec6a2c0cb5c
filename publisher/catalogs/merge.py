"""Merge a template into a catalog without losing a translation, in linear time.

Babel's ``Catalog.update`` does the bookkeeping (new, kept, obsolete); its
fuzzy matching uses difflib against every message and grows quadratically, so
it is switched off and done here with rapidfuzz's indexed matcher instead.
A message whose text changed keeps its old translation, marked fuzzy with the
previous msgid; a message that disappeared becomes obsolete (``#~``); an
obsolete message comes back, translated, when its text returns.
"""

from __future__ import annotations

import copy

from babel.messages.catalog import Catalog, Message
from rapidfuzz import fuzz, process

CUTOFF = 70.0  # similarity (0–100) below which an old translation is not offered


def _key(message: Message) -> str | tuple[str, str]:
    mid = message.id if isinstance(message.id, str) else message.id[0]
    return (mid, message.context) if message.context else mid


def merge(catalog: Catalog, template: Catalog) -> Catalog:
    """Return ``catalog`` updated to ``template`` (the input is not modified)."""
    merged = copy.deepcopy(catalog)
    template = copy.deepcopy(template)  # Babel inserts the template's own messages; never share them
    # An obsolete message whose text is back in the template is live again.
    for message in template:
        if message.id and merged.get(message.id, message.context) is None:
            key = _key(message)
            revived = merged.obsolete.pop(key, None)
            if revived is not None:
                merged[revived.id] = revived
    before = {_key(m) for m in merged if m.id}
    previous = {_key(m): (m.previous_id, m.previous_context) for m in merged if m.id and m.previous_id}
    merged.update(template, no_fuzzy_matching=True, update_header_comment=False, keep_user_comments=True)
    for message in merged:  # Babel's update forgets a still-fuzzy message's previous msgid
        if message.id and message.fuzzy and not message.previous_id and _key(message) in previous:
            message.previous_id, message.previous_context = previous[_key(message)]
    _fuzzy_match(merged, before)
    for key in [k for k, m in merged.obsolete.items() if not _has_string(m)]:
        del merged.obsolete[key]  # nothing to keep (a source-language or never-translated message), as msgmerge does
    return merged


def _fuzzy_match(catalog: Catalog, before: set) -> None:
    """Offer each new message the closest translation left obsolete, marked fuzzy."""
    pool = {k: m for k, m in catalog.obsolete.items() if _has_string(m)}
    if not pool:
        return
    keys = list(pool)
    texts = [k if isinstance(k, str) else k[0] for k in keys]
    # An edit undone: the old message was fuzzy only because its text had moved away from this one.
    made_for = {(m.previous_id[0], m.previous_context): k for k, m in pool.items() if m.fuzzy and m.previous_id}
    for message in catalog:
        if not message.id or _key(message) in before or _has_string(message):
            continue
        text = message.id if isinstance(message.id, str) else message.id[0]
        undone = made_for.get((text, message.context))
        if undone is not None and undone in keys:
            old = pool[undone]
            message.string = _fit(old.string, message)
            message.flags.discard("fuzzy")
            message.previous_id, message.previous_context = (), None
            catalog.obsolete.pop(undone, None)
            index = keys.index(undone)
            del texts[index], keys[index]
            if not keys:
                return
            continue
        found = process.extractOne(text, texts, scorer=fuzz.ratio, score_cutoff=CUTOFF)
        if found is None:
            continue
        _, _, index = found
        old = pool[keys[index]]
        message.string = _fit(old.string, message)
        message.flags.add("fuzzy")
        message.previous_id = [old.id] if isinstance(old.id, str) else list(old.id)
        message.previous_context = old.context
        catalog.obsolete.pop(keys[index], None)
        del texts[index], keys[index]
        if not keys:
            return


def _has_string(message: Message) -> bool:
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    return any(strings)


def _fit(string, message: Message):
    """An old translation shaped for the new message (singular ⇄ plural)."""
    if message.pluralizable:
        if isinstance(string, (list, tuple)):
            return tuple(string)
        return (string,) + ("",) * (max(len(message.string), 2) - 1)
    return string[0] if isinstance(string, (list, tuple)) else string
