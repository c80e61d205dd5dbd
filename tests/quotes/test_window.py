from __future__ import annotations

from lived_experience.quotes.window import quote_window


def test_short_sentence_is_widened_with_whole_neighbours() -> None:
    answer = (
        "Nights are long. I was told I was not ready for promotion again. "
        "The person who got it had two years experience and I trained her myself."
    )
    start = answer.index("I was told")
    quote = quote_window(answer, start, start + 48)
    assert quote is not None and quote.startswith("… I was told")
    assert quote.endswith("trained her myself.") and 15 <= len(quote.split()) <= 121


def test_long_text_is_cut_at_a_word_boundary_with_an_ellipsis() -> None:
    answer = " ".join(f"word{i}" for i in range(200)) + "."
    quote = quote_window(answer, 0, len(answer))
    assert quote is not None and quote.endswith(" …")
    body = quote.removesuffix(" …")
    assert len(body.split()) == 120 and body.split()[-1] == "word119"


def test_answers_under_fifteen_words_are_not_quotes() -> None:
    assert quote_window("Racist patients, every shift.", 0, 29) is None
