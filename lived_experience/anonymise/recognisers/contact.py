"""E-mail addresses, URLs and social media handles.

Written without tldextract: Presidio's own e-mail and URL recognisers call it, and it tries
to download the Public Suffix List at run time, which an air-gapped environment forbids.
"""

from __future__ import annotations

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from lived_experience.anonymise.recognisers.base import RegexRecognizer, drop_nested


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


#: top-level domains common in answers (ordinary words with a dot, like "e.g.", never match)
_TLD = (
    r"(?:com|co\.uk|org\.uk|nhs\.uk|ac\.uk|gov\.uk|net|org|uk|io|me|info|ie|in|ng|za|ph|"
    r"link|ly|page|site|blog)(?![a-z0-9-])"
)


class OfflineUrlRecognizer(RegexRecognizer):
    ENTITY = "URL"
    NAME = "url.v1"
    PATTERNS = (
        ("url_scheme", r"(?i)\b((?:https?://|www\.)[^\s<>\"')\]]+[^\s<>\"')\].,;:!?])", 0.9, 1),
        # a domain with a path and no scheme: "linkedin.com/in/jane-doe", "x.com/janedoe"
        (
            "domain_path",
            rf"(?i)(?<![\w@./])((?:[a-z0-9-]+\.)+{_TLD}/[^\s<>\"')\]]*[^\s<>\"')\].,;:!?])",
            0.85,
            1,
        ),
        # a bare domain with a common top-level domain: "janedoe.co.uk", "myblog.com"
        ("domain", rf"(?i)(?<![\w@./])((?:[a-z0-9-]+\.)+{_TLD})(?![\w.-]*@)\b", 0.6, 1),
    )

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        # a bare domain inside a longer address is the same address
        return drop_nested(super().analyze(text, entities, nlp_artifacts))


class SocialHandleRecognizer(RegexRecognizer):
    ENTITY = "SOCIAL_HANDLE"
    NAME = "social_handle.v1"
    PATTERNS = (("handle", r"(?<![\w@.])(@[A-Za-z0-9_]{2,30})\b(?!@)", 0.85, 1),)
