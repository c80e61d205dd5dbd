"""E-mail addresses, URLs and social media handles.

Written without tldextract: Presidio's own e-mail and URL recognisers call it, and it tries
to download the Public Suffix List at run time, which an air-gapped environment forbids.
"""

from __future__ import annotations

from lived_experience.anonymise.recognisers.base import RegexRecognizer


class OfflineEmailRecognizer(RegexRecognizer):
    ENTITY = "EMAIL_ADDRESS"
    NAME = "email.v1"
    PATTERNS = (
        (
            "email",
            r"(?i)(?<![\w.+-])([a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
            r"@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,})\b",
            1.0,
            1,
        ),
    )


class OfflineUrlRecognizer(RegexRecognizer):
    ENTITY = "URL"
    NAME = "url.v1"
    PATTERNS = (
        ("url_scheme", r"(?i)\b((?:https?://|www\.)[^\s<>\"')\]]+[^\s<>\"')\].,;:!?])", 0.9, 1),
    )


class SocialHandleRecognizer(RegexRecognizer):
    ENTITY = "SOCIAL_HANDLE"
    NAME = "social_handle.v1"
    PATTERNS = (("handle", r"(?<![\w@.])(@[A-Za-z0-9_]{2,30})\b(?!@)", 0.85, 1),)
