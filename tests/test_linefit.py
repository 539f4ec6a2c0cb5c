"""Paragraph-wide line breaking (publisher/linefit.py) on small documents made for it.

The editions are measured in tests/test_typography.py (English word gaps);
here each rule is seen alone: a loose line shared out with the lines before
it, the planned breaks kept by the layout, a plan the layout cannot keep
given its text back, and the no-runt rule broken only to spare a loose line.
"""

from __future__ import annotations

import dataclasses
import re

import weasyprint

from publisher import linebreaks, linefit, pdf

META = '<meta name="justify-loose" content="0.45em -0.01em">'
CSS = "@page { size: 90mm 120mm; margin: 10mm } body { margin: 0; font: 10pt/14pt serif; text-align: justify } p { margin: 0 0 4pt }"


def html(body: str, meta: str = META) -> str:
    return f"<html lang=en><head>{meta}<style>{CSS}</style></head><body>{body}</body></html>"


def loosest(document: object, text: str) -> float:
    """The most space added to a word space (px) in the justified lines of the paragraph starting with ``text``."""
    for element, lines in linefit._lines_by_element(document).items():
        if "".join(element.itertext()).replace("\u2060", "").startswith(text):
            return max((getattr(box, "justification_spacing", 0) or 0) for line in lines[:-1] for box in linefit._texts(line))
    raise AssertionError(f"no paragraph {text!r}")


def line_texts(document: object, text: str) -> list[str]:
    for element, lines in linefit._lines_by_element(document).items():
        if "".join(element.itertext()).replace("\u2060", "").startswith(text):
            return ["".join(box.text for box in linefit._texts(line)).replace("\u2060", "").strip() for line in lines]
    raise AssertionError(f"no paragraph {text!r}")


FILLER = ["Ab", "cd", "ef", "gh", "ij", "kl", "mn", "op", "qr", "st", "uv", "wx", "yz"]
LIMIT = 0.45 * 10 * 4 / 3  # px: the edition's justify-loose limit at 10pt


def greedy_loose(ending: str) -> str:
    """A paragraph of short words, then a long word that fits on no line's end and ``ending``: greedy breaking leaves one line loose past the limit."""
    for count in range(20, 60):
        body = "<p>" + " ".join(FILLER[n % len(FILLER)] for n in range(count)) + f" Incomprehensibilities{ending}</p>"
        if loosest(weasyprint.HTML(string=html(body)).render(), "Ab cd") > LIMIT:
            return body
    raise AssertionError("no loose paragraph found")


def test_a_loose_line_is_shared_out_with_the_lines_before_it() -> None:
    body = greedy_loose(" ab cd ef gh ij kl mn op qr st uv wx yz ab cd.")
    greedy = weasyprint.HTML(string=html(body)).render()
    before = loosest(greedy, "Ab cd")
    planned = pdf._laid_out(lambda: weasyprint.HTML(string=html(body)))
    after = loosest(planned, "Ab cd")
    assert after < 0.75 * before, f"{after:.1f} px, greedy {before:.1f} px"
    assert len(line_texts(planned, "Ab cd")) == len(line_texts(greedy, "Ab cd")), "as many lines as the greedy paragraph"
    words = " ".join(line_texts(planned, "Ab cd")).split()
    assert words == body[3:-4].split(), "every word kept, in order"


def test_without_the_editions_limit_nothing_is_planned() -> None:
    source = weasyprint.HTML(string=html(greedy_loose(" end."), meta=""))
    assert not linefit.plan(source.etree_element, source.render())


def test_a_plan_the_layout_does_not_keep_gives_the_paragraph_its_text_back() -> None:
    source = weasyprint.HTML(string=html(greedy_loose(" ab cd ef gh ij kl mn op qr st uv wx yz ab cd.")))
    root = source.etree_element
    [paragraph] = root.iter("p")
    before = paragraph.text
    plans = linefit.plan(root, source.render())
    assert plans and paragraph.text != before and "\u2060" in paragraph.text
    paragraph.set("style", "font-size: 12pt")  # the planned lines no longer fit as planned
    assert plans.check(source.render()), "the changed paragraph is not laid out as planned"
    assert paragraph.text == before and paragraph.get("data-linefit") is None


def test_a_released_paragraph_gets_its_soft_hyphens_back_and_is_released_once() -> None:
    body = greedy_loose(" hy\u00adphen\u00adat\u00aded ab cd ef gh ij kl mn op qr st uv wx yz ab cd.")
    source = weasyprint.HTML(string=html(body))
    root = source.etree_element
    [paragraph] = root.iter("p")
    before = paragraph.text
    plans = linefit.plan(root, source.render())
    assert plans and paragraph.text != before
    inner = next(iter(plans.owners))
    assert plans.release(inner) and paragraph.text == before and "\u00ad" in paragraph.text
    assert not plans.release(paragraph), "released once"


def test_the_no_runt_space_is_broken_only_to_spare_a_loose_line() -> None:
    # The last word held to a long one: the pair leaves the line before loose past the limit, so the space is broken.
    body = greedy_loose("\u00a0end.")
    greedy = weasyprint.HTML(string=html(body)).render()
    planned = pdf._laid_out(lambda: weasyprint.HTML(string=html(body)))
    assert loosest(planned, "Ab cd") < loosest(greedy, "Ab cd")
    # A short word held to the one before costs no loose line: it stays held.
    held = "<p>" + " ".join(["Ab cd ef gh ij kl"] * 6) + " mn\u00a0op.</p>"
    laid = pdf._laid_out(lambda: weasyprint.HTML(string=html(held)))
    assert line_texts(laid, "Ab cd")[-1] != "op."


def test_a_number_and_its_word_are_never_parted() -> None:
    body = greedy_loose(" 500\u00a0million.")
    source = weasyprint.HTML(string=html(body))
    root = source.etree_element
    [paragraph] = root.iter("p")
    assert linefit.plan(root, source.render()), "the paragraph is loose: it is planned"
    assert "500\u00a0million." in "".join(paragraph.itertext())


def test_the_hyphenation_limits_hold_on_planned_paragraphs() -> None:
    words = " ".join(f"inter\u00adna\u00adtion\u00adal{n} co\u00adop\u00ader\u00ada\u00adtion" for n in range(20))
    body = f"<p>{words} Incomprehensibilities end of it.</p>"
    meta = META + '<meta name="hyphenate-limit-lines" content="2"><meta name="hyphenate-limit-final" content="whole">'
    laid = pdf._laid_out(lambda: weasyprint.HTML(string=html(body, meta)))
    lines = line_texts(laid, "inter")
    run = longest = 0
    for line in lines:
        run = run + 1 if line.endswith(("\u2010", "-")) else 0
        longest = max(longest, run)
    assert longest <= 2, lines
    assert not lines[-2].endswith(("\u2010", "-")), "a hyphen on the last line but one"
    assert linebreaks.rules(weasyprint.HTML(string=html(body, meta)).etree_element).lines == 2


def test_only_the_part_of_a_paragraph_that_ends_it_has_its_last_but_one_line() -> None:
    """No hyphen on a paragraph's last line but one: the first part of a paragraph split by a page has no such line (issue 456's English page 4 lost a hyphen to it, and a line opened to 12.4 pt)."""
    body = "<p>" + " ".join(f"word{n}" for n in range(400)) + "</p>"
    document = weasyprint.HTML(string=html(body)).render()
    assert len(document.pages) >= 2
    ends = linebreaks._last_pages(document)
    flagged = [[penultimate for _, penultimate in linebreaks._lines(page, number, ends)] for number, page in enumerate(document.pages)]
    assert not any(flagged[0]), "the first part of the paragraph has no last line but one"
    assert flagged[-1][-2:] == [True, False], "the part that ends it has"


SPACED = '<meta name="justify-loose" content="0.45em -0.01em 0.01em/0.3em">'


def spans(root: object) -> list[object]:
    return [span for span in root.iter("span") if "letter-spacing" in (span.get("style") or "")]


def test_a_line_loose_whatever_the_breaks_spaces_its_letters_too() -> None:
    """A line no breaks can fill (a long word fits nowhere) shares its space out with its letters, 0.01em each at most, and stays inside the measure."""
    body = greedy_loose(" end.")
    without = pdf._laid_out(lambda: weasyprint.HTML(string=html(body)))
    source = weasyprint.HTML(string=html(body, SPACED))
    laid = pdf._laid_out(lambda: source)
    made = spans(source.etree_element)
    assert made, "a loose line is letter-spaced"
    [paragraph] = source.etree_element.iter("p")
    tracked = re.search(r"letter-spacing:(-?[\d.]+)em", paragraph.get("style") or "")
    track = float(tracked.group(1)) if tracked else 0.0  # the paragraph's own tracking, which its lines' spacing includes
    for span in made:
        value = float(span.get("style").split(":")[1].removesuffix("em")) - track
        assert 0 < value <= 0.01 + 1e-9, (span.get("style"), track)
    assert loosest(laid, "Ab cd") < loosest(without, "Ab cd") - 0.5, "its word spaces open less"
    assert line_texts(laid, "Ab cd") == line_texts(without, "Ab cd"), "the same lines"
    for lines in linefit._lines_by_element(laid).values():
        assert not any(linefit._overflows(line) for line in lines), "no line wider than the measure"


def test_a_released_paragraph_loses_its_letter_spaced_lines() -> None:
    body = greedy_loose(" end.")
    source = weasyprint.HTML(string=html(body, SPACED))
    root = source.etree_element
    [paragraph] = root.iter("p")
    before = "".join(paragraph.itertext())
    plans = linefit.plan(root, source.render())
    assert plans and spans(root)
    assert plans.release(spans(root)[0]), "a span belongs to its paragraph"
    assert not spans(root) and "".join(paragraph.itertext()) == before


def test_the_hyphenation_share_is_kept_over_the_whole_document() -> None:
    """Over the share, a hyphen costs more in every paragraph at once (not taken away line by line): the plans keep the share, and the lines stay within it."""
    words = "com\u00admu\u00adni\u00adca\u00adtion in\u00adter\u00adna\u00adtion\u00adal ad\u00admin\u00adis\u00adtra\u00adtion re\u00adspon\u00adsi\u00adbil\u00adi\u00adty"
    body = "".join(f"<p>{' '.join([words] * 3)} ab cd ef gh ij kl mn {n}.</p>" for n in range(6))
    meta = META + '<meta name="hyphenate-limit-share" content="5%">'
    free = pdf._laid_out(lambda: weasyprint.HTML(string=html(body, META)))
    total, soft, hard = linebreaks.counted(free)
    assert soft > 0.05 * total, "without the share, more lines are hyphenated"
    source = weasyprint.HTML(string=html(body, meta))
    root = source.etree_element
    plans = linefit.Plans()
    allowed = int(0.05 * linebreaks.counted(source.render())[0]) - 1
    linefit.plan(root, source.render(), plans=plans, allowed=allowed)
    assert plans.penalty > linefit.HYPHEN_PENALTY, "the hyphen's penalty was raised"
    laid = pdf._laid_out(lambda: weasyprint.HTML(string=html(body, meta)))
    total, soft, hard = linebreaks.counted(laid)
    assert soft + hard <= int(0.05 * total), (soft, total)


def test_the_share_a_penalty_step_leaves_goes_where_it_closes_most(monkeypatch) -> None:
    """A penalty step changes several paragraphs at once: the hyphens it leaves unused go to the paragraph whose loosest line they close most."""
    loosest = {("a", 0): 3.0, ("a", 1): 1.0, ("b", 0): 2.0, ("b", 1): 1.8, ("c", 0): 2.5, ("c", 2): 1.0}
    monkeypatch.setattr(linefit, "_loosest", lambda paragraph, breaks: loosest[(paragraph, sum(cut >= 0 for _, cut in breaks))])

    def choice(name: str, hyphens: int) -> tuple:
        return (name, 0.0, [(n, 0) for n in range(hyphens)] + [(hyphens, -1)])

    chosen = [(name, 0, choice(name, 0)) for name in "abc"]
    previous = [("a", 0, choice("a", 1)), ("b", 0, choice("b", 1)), ("c", 0, choice("c", 2))]
    assert [c[2] for c in linefit._spent(chosen, previous, 1)] == [previous[0][2], chosen[1][2], chosen[2][2]], "one hyphen: to a (2.0 closed), not b (0.2)"
    assert [c[2] for c in linefit._spent(chosen, previous, 3)] == [previous[0][2], chosen[1][2], previous[2][2]], "three: a, then c (0.75 a hyphen), not b (0.2)"
    assert linefit._spent(chosen, previous, 0) == chosen, "none left: as chosen"


def test_an_open_line_of_a_paragraph_tracked_in_gives_its_letters_back() -> None:
    """Tracking in is for tight lines: a line whose spaces open past half the letter-spacing threshold is set untracked, if its spaces stay past that half."""
    size, loose = 10.0, 0.3
    words = [linefit._Word("abcd", 20.0, []) for _ in range(5)] + [linefit._Word("abcd", 21.5, []) for _ in range(5)] + [linefit._Word("end", 15.0, [])]
    natural = 5 * 20.0 + 4 * 3.0
    paragraph = linefit._Paragraph(None, natural + 10.0 + linefit.TOLERANCE, words, [3.0] * 10, 3.0, 0.0, size)  # line 1 opens 2.5 px (0.25 em) a space, line 2 0.0625 em
    breaks = [(4, -1), (9, -1)]
    tracked = linefit._letter_spacing(paragraph, breaks, 0.02, loose, track=-0.01)
    assert tracked == {0: 0.01}, "the open line takes back all of the paragraph's -0.01em; the tight line keeps it"
    opening = (10.0 - 0.01 * size * (20 + 4)) / 4 / size
    assert opening > loose / 2, "and its spaces stay past half the threshold"
    assert linefit._letter_spacing(paragraph, breaks, 0.02, loose, track=0.0) == {}, "a paragraph not tracked in: lines under the threshold keep their letters"
    tight = dataclasses.replace(paragraph, width=paragraph.width - 5.0)  # line 1 opens 0.125 em: under the half
    assert linefit._letter_spacing(tight, breaks, 0.02, loose, track=-0.01) == {}
    some = dataclasses.replace(paragraph, width=paragraph.width - 3.0)  # 0.175 em: all of the tracking would close it past the half, so none is given back
    assert linefit._letter_spacing(some, breaks, 0.02, loose, track=-0.01) == {}
