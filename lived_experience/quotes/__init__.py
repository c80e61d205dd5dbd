"""The quote bank: representative, diverse, safe quotes per code for report authors.

>>> from lived_experience.quotes import build_quote_bank, write_docx
"""

from lived_experience.quotes.attribution import k_safe_attributions
from lived_experience.quotes.bank import (
    QUOTE_COLUMNS,
    QuoteBank,
    build_quote_bank,
    parse_where,
    select_where,
)
from lived_experience.quotes.export import (
    mix_sentence,
    write_csv,
    write_docx,
    write_markdown,
    write_mix,
)
from lived_experience.quotes.placeholders import SurrogateNames, readable_placeholders
from lived_experience.quotes.stage import (
    CODED_SEGMENT_COLUMNS,
    QUOTE_FORMATS,
    QuoteSettings,
    run,
    typed_segments,
    write_quote_bank,
)
from lived_experience.quotes.window import quote_window

__all__ = [
    "CODED_SEGMENT_COLUMNS",
    "QUOTE_FORMATS",
    "QUOTE_COLUMNS",
    "QuoteBank",
    "QuoteSettings",
    "build_quote_bank",
    "parse_where",
    "select_where",
    "readable_placeholders",
    "SurrogateNames",
    "k_safe_attributions",
    "quote_window",
    "run",
    "typed_segments",
    "write_csv",
    "write_docx",
    "write_markdown",
    "write_mix",
    "write_quote_bank",
    "mix_sentence",
]
