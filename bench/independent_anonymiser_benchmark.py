"""The anonymiser on data nobody on this project wrote, beside plain Presidio, in one run.

    PYTHONPATH=. nice -n 10 python bench/independent_anonymiser_benchmark.py \
        [--sentences 600] [--per-frame 6] [--speed-texts 2100]

Three parts, each scoring ``lived_experience`` and plain Presidio (``AnalyzerEngine`` over the
same spaCy en_core_web_md, one document per call) in the same process:

a. presidio-evaluator 0.3.2 (MIT): sentences generated from its templates and fake-person
   table, scored with its own ``TokenEvaluator`` (token level) and ``SpanEvaluator`` (entity
   level), per entity type and for "any PII";
b. first and last names by country from Faker's locales (MIT), only names the gazetteer was
   not built from (enforced in ``name_sources.evaluation_names``), planted in ten sentence
   frames; recall per country with a Wilson 95% interval; plus what each rule that drops a
   spaCy PERSON span costs (real names lost) and saves (non-names not removed);
c. speed: ``Anonymiser.anonymise_frame`` on 2,100 answers against plain Presidio one
   document per call, same model, same run.

Needs the ``bench`` extra (presidio-evaluator, faker). Writes the "Independent benchmark"
section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from pathlib import Path

import pandas as pd

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from markdown_table import md, replace_section  # noqa: E402

from lived_experience.anonymise import Anonymiser  # noqa: E402
from lived_experience.anonymise.detection import Detection  # noqa: E402
from lived_experience.anonymise.evaluate import PlainPresidio  # noqa: E402
from lived_experience.anonymise.gazetteer import load_gazetteer  # noqa: E402
from lived_experience.anonymise.name_sources import (  # noqa: E402
    COUNTRY_SOURCES,
    FRAMES,
    PlantedText,
    country_names,
    evaluation_names,
    planted_texts,
    wilson_interval,
)
from lived_experience.anonymise.settings import DEFAULT_ENTITIES, AnonymiserSettings  # noqa: E402
from lived_experience.models import load_spacy  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "benchmarks.md"
NAMES_DOC = REPO / "docs" / "benchmarks_names.md"
SECRET = b"independent-benchmark-secret-0000"
SECTION = "## Independent benchmark (data we did not write)"

#: presidio-evaluator's template tags -> the label both systems are scored on. ``None``: not
#: an identifier in this project's scope, scored as "O" in the "in scope" view: countries and
#: nationalities (kept by design: they are the research), job titles and honorifics (roles
#: are the research), a year or a weekday alone (kept by design: the research's time line,
#: see recognisers/dates.py), ages (neither system looks for them). Street addresses, postcodes,
#: cities and states are all LOCATION; company names ORGANIZATION; US identifiers stay in
#: scope (plain Presidio looks for them, we do not: a miss counts against us).
TEMPLATE_LABELS: dict[str, str | None] = {
    **dict.fromkeys(
        (
            "person",
            "name",
            "name_female",
            "name_male",
            "first_name",
            "first_name_male",
            "first_name_female",
            "first_name_nonbinary",
            "last_name",
            "last_name_male",
            "last_name_female",
        ),
        "PERSON",
    ),
    **dict.fromkeys(
        (
            "address",
            "street_name",
            "building_number",
            "secondary_address",
            "city",
            "state",
            "state_abbr",
            "postcode",
            "zipcode",
        ),
        "LOCATION",
    ),
    **dict.fromkeys(("date_time", "date_of_birth"), "DATE_TIME"),
    "email": "EMAIL_ADDRESS",
    "phone_number": "PHONE_NUMBER",
    "url": "URL",
    "organization": "ORGANIZATION",
    "credit_card_number": "CREDIT_CARD",
    "iban": "IBAN_CODE",
    "ip_address": "IP_ADDRESS",
    "ssn": "US_SSN",
    "us_driver_license": "US_DRIVER_LICENSE",
    **dict.fromkeys(
        (
            "country",
            "nationality",
            "nation_woman",
            "nation_man",
            "nation_plural",
            "job",
            "prefix",
            "prefix_male",
            "prefix_female",
            "age",
            "year",
            "day_of_week",
        ),
        None,
    ),
}
#: presidio-evaluator's own labels -> the labels of its "as published" view
DATASET_LABELS = {
    "PERSON": "PERSON",
    "EMAIL_ADDRESS": "EMAIL_ADDRESS",
    "PHONE_NUMBER": "PHONE_NUMBER",
    "GPE": "LOCATION",
    "LOCATION": "LOCATION",
    "STREET_ADDRESS": "LOCATION",
    "ZIP_CODE": "LOCATION",
    "DATE_TIME": "DATE_TIME",
    "DOMAIN_NAME": "URL",
    "URL": "URL",
    "ORGANIZATION": "ORGANIZATION",
    "CREDIT_CARD": "CREDIT_CARD",
    "IBAN_CODE": "IBAN_CODE",
    "IP_ADDRESS": "IP_ADDRESS",
    "US_SSN": "US_SSN",
    "US_DRIVER_LICENSE": "US_DRIVER_LICENSE",
}
#: our entity types -> the same labels ("ID" is generic: never an error against any PII)
OURS = {
    "PERSON": "PERSON",
    "EMAIL_ADDRESS": "EMAIL_ADDRESS",
    "PHONE_NUMBER": "PHONE_NUMBER",
    "URL": "URL",
    "SOCIAL_HANDLE": "URL",
    "DATE": "DATE_TIME",
    "UK_PLACE": "LOCATION",
    "UK_POSTCODE": "LOCATION",
    "PLACE_ABROAD": "LOCATION",
    "NHS_SITE": "ORGANIZATION",
    "NHS_ORGANISATION": "ORGANIZATION",
    "CREDIT_CARD": "CREDIT_CARD",
    "IBAN_CODE": "IBAN_CODE",
    "IP_ADDRESS": "IP_ADDRESS",
}
PLAIN = {
    "PERSON": "PERSON",
    "EMAIL_ADDRESS": "EMAIL_ADDRESS",
    "PHONE_NUMBER": "PHONE_NUMBER",
    "URL": "URL",
    "DATE_TIME": "DATE_TIME",
    "LOCATION": "LOCATION",
    "ORGANIZATION": "ORGANIZATION",
    "CREDIT_CARD": "CREDIT_CARD",
    "IBAN_CODE": "IBAN_CODE",
    "IP_ADDRESS": "IP_ADDRESS",
    "US_SSN": "US_SSN",
    "US_DRIVER_LICENSE": "US_DRIVER_LICENSE",
    "NRP": "NRP",
}
SCORED = (
    "PERSON",
    "LOCATION",
    "ORGANIZATION",
    "DATE_TIME",
    "PHONE_NUMBER",
    "EMAIL_ADDRESS",
    "URL",
    "CREDIT_CARD",
    "IBAN_CODE",
    "IP_ADDRESS",
    "US_SSN",
    "US_DRIVER_LICENSE",
)
VIEWS = ("in scope", "all labels")


# -- a. presidio-evaluator -----------------------------------------------------------------
def evaluator_samples(n: int) -> list[object]:
    """Sentences from presidio-evaluator's own templates and fake-person table (seeded).

    Spans keep the template tag (``city``, ``country``...), mapped to labels here through
    :data:`TEMPLATE_LABELS` (in scope) or presidio-evaluator's own mapping (all labels).
    Its hospital provider is left out: it tries to download a list from Wikidata.
    """
    from presidio_evaluator.data_generator import (
        PresidioSentenceFaker,
        presidio_additional_entity_providers,
        presidio_templates_file_path,
    )

    providers = [p for p in presidio_additional_entity_providers if "Hospital" not in p.__name__]
    templates = [
        line.strip()
        for line in presidio_templates_file_path.read_text().splitlines()
        if line.strip() and "hospital" not in line.lower()
    ]
    faker = PresidioSentenceFaker(
        locale="en_GB",
        lower_case_ratio=0.05,
        sentence_templates=templates,
        entity_providers=providers,
        entity_type_mapping={tag: tag for tag in PresidioSentenceFaker.ENTITY_TYPE_MAPPING},
        random_seed=42,
    )
    random.seed(42)
    samples = faker.generate_new_fake_sentences(n)
    for sample in samples:  # its templates write line breaks as backslash + n: make them
        sample.full_text = sample.full_text.replace("\\n", " \n")  # breaks, same length
    return samples


def gold_label(tag: str, view: str) -> str:
    """The label of a template tag in a view ("O" when out of scope)."""
    if view == "in scope":
        return TEMPLATE_LABELS.get(tag, tag.upper()) or "O"
    from presidio_evaluator.data_generator import PresidioSentenceFaker

    label = PresidioSentenceFaker.ENTITY_TYPE_MAPPING.get(tag, tag.upper())
    return DATASET_LABELS.get(label, "OTHER_PII")


def _token_frame(
    samples: list[object], detections: list[list[Detection]], labels: dict, view: str
) -> pd.DataFrame:
    """presidio-evaluator's 5-column results frame from our spans (tokens: spaCy blank en)."""
    import spacy

    tokenizer = spacy.blank("en").tokenizer
    rows = []
    for sentence_id, (sample, found) in enumerate(zip(samples, detections, strict=True)):
        text = sample.full_text  # type: ignore[attr-defined]
        gold = [
            (s.start_position, s.end_position, gold_label(s.entity_type, view))
            for s in sample.spans  # type: ignore[attr-defined]
        ]
        for token in tokenizer(text):
            if token.is_space:
                continue
            a, b = token.idx, token.idx + len(token)
            annotation = next((lab for s, e, lab in gold if s < b and a < e), "O")
            prediction = next(
                (labels.get(d.entity_type, "ID") for d in found if d.start < b and a < d.end), "O"
            )
            rows.append(
                {
                    "sentence_id": sentence_id,
                    "token": token.text,
                    "annotation": annotation,
                    "prediction": prediction,
                    "start_indices": a,
                }
            )
    return pd.DataFrame(rows)


def evaluator_scores(
    samples: list[object], found: dict[str, tuple[list[list[Detection]], dict]]
) -> pd.DataFrame:
    from presidio_evaluator.evaluation import SpanEvaluator, TokenEvaluator

    rows = []
    for name, (detections, labels) in found.items():
        for view in VIEWS:
            frame = _token_frame(samples, detections, labels, view)
            for level, evaluator in (
                ("token", TokenEvaluator(skip_words=[], generic_entities=["ID", "OTHER_PII"])),
                ("entity", SpanEvaluator(skip_words=[], generic_entities=["ID", "OTHER_PII"])),
            ):
                result = evaluator.calculate_score_on_df(frame, beta=1)
                rows.append(
                    {
                        "system": name,
                        "view": view,
                        "level": level,
                        "entity": "any PII",
                        "precision": result.pii_precision,
                        "recall": result.pii_recall,
                        "support": int(result.pii_annotated or 0),
                    }
                )
                if view != "in scope":
                    continue
                for entity in SCORED:
                    metrics = result.per_type.get(entity)
                    if metrics is None or not metrics.num_annotated:
                        continue
                    rows.append(
                        {
                            "system": name,
                            "view": view,
                            "level": level,
                            "entity": entity,
                            "precision": metrics.precision,
                            "recall": metrics.recall,
                            "support": metrics.num_annotated,
                        }
                    )
    table = pd.DataFrame(rows)
    table[["precision", "recall"]] = table[["precision", "recall"]].astype(float).round(3)
    return table


def removed_by_tag(
    samples: list[object], found: dict[str, tuple[list[list[Detection]], dict]]
) -> pd.DataFrame:
    """Share of each template tag's values fully removed, per system (where recall is lost)."""
    rows = []
    for name, (detections, _) in found.items():
        for sample, spans in zip(samples, detections, strict=True):
            text = sample.full_text  # type: ignore[attr-defined]
            for s in sample.spans:  # type: ignore[attr-defined]
                rows.append(
                    {
                        "system": name,
                        "tag": s.entity_type,
                        "in scope as": TEMPLATE_LABELS.get(s.entity_type) or "kept by design",
                        "removed": _removed(text, (s.start_position, s.end_position), spans),
                    }
                )
    frame = pd.DataFrame(rows)
    table = frame.pivot_table(
        index=["in scope as", "tag"], columns="system", values="removed", aggfunc="mean"
    ).round(3)
    counts = frame[frame.system == frame.system.iloc[0]].groupby(["in scope as", "tag"]).size()
    table.insert(0, "values", counts)
    return table.reset_index().sort_values(["in scope as", "tag"])


def false_positives(
    samples: list[object], found: dict[str, tuple[list[list[Detection]], dict]]
) -> pd.DataFrame:
    """Detections that touch no in-scope identifier, by system and detected type."""
    rows = []
    for name, (detections, _) in found.items():
        for sample, spans in zip(samples, detections, strict=True):
            gold = [
                (s.start_position, s.end_position, TEMPLATE_LABELS.get(s.entity_type))
                for s in sample.spans  # type: ignore[attr-defined]
            ]
            for d in spans:
                hits = [lab for s, e, lab in gold if d.start < e and s < d.end]
                if any(hits):
                    continue
                rows.append(
                    {
                        "system": name,
                        "detected as": d.entity_type,
                        "on": "a kept-by-design value" if hits else "plain words",
                    }
                )
    if not rows:
        return pd.DataFrame(columns=["system", "detected as", "on", "detections"])
    frame = pd.DataFrame(rows)
    return frame.groupby(["system", "detected as", "on"]).size().reset_index(name="detections")


# -- b. names by country ------------------------------------------------------------------
def country_texts(per_frame: int) -> tuple[list[PlantedText], pd.DataFrame]:
    gazetteer = load_gazetteer()
    texts: list[PlantedText] = []
    sources = []
    for source in COUNTRY_SOURCES:
        first, last = country_names(source)
        eval_first = evaluation_names(first, gazetteer)
        eval_last = evaluation_names(last, gazetteer)
        assert not {n.casefold() for n in eval_first + eval_last} & set(gazetteer)
        texts += planted_texts(source.country, eval_first, eval_last, per_frame, seed=2026)
        sources.append(
            {
                "country": source.country,
                "Faker locales": ", ".join(sorted({*source.first_locales, *source.last_locales})),
                "held-out first/last names": f"{len(eval_first)}/{len(eval_last)}",
                "note": source.note,
            }
        )
    return texts, pd.DataFrame(sources)


def _removed(text: str, span: tuple[int, int], found: list[Detection]) -> bool:
    start, end = span
    return all(
        text[i].isspace() or any(d.start <= i < d.end for d in found) for i in range(start, end)
    )


def country_recall(
    planted: list[PlantedText], systems: dict[str, object]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    texts = [p.text for p in planted]
    rows = []
    dropped_rows = []
    for name, system in systems.items():
        dropped: list[tuple[int, Detection, str]] = []
        if isinstance(system, Anonymiser):
            found = system.detect(texts, dropped=dropped)
        else:
            found = system.detect(texts)  # type: ignore[attr-defined]
        for p, f in zip(planted, found, strict=True):
            for span in p.spans:
                rows.append(
                    {
                        "system": name,
                        "country": p.country,
                        "frame": p.frame,
                        "removed": _removed(p.text, span, f),
                    }
                )
        for index, detection, reason in dropped:
            if not detection.recogniser.startswith("Spacy"):
                continue
            on_name = any(
                detection.start < e and s < detection.end for s, e in planted[index].spans
            )
            dropped_rows.append({"system": name, "reason": reason, "on_a_real_name": on_name})
    frame = pd.DataFrame(rows)
    by_country = []
    for (system, country), group in frame.groupby(["system", "country"], sort=False):
        k, n = int(group["removed"].sum()), len(group)
        low, high = wilson_interval(k, n)
        by_country.append(
            {
                "system": system,
                "country": country,
                "names": n,
                "recall": round(k / n, 3),
                "95% CI": f"{low:.3f}-{high:.3f}",
            }
        )
    by_frame = frame.groupby(["frame", "system"], sort=False)["removed"].mean().round(3).unstack()
    return pd.DataFrame(by_country), by_frame.reset_index(), pd.DataFrame(dropped_rows)


def drop_rule_table(
    dropped: pd.DataFrame,
    evaluator_dropped: list[tuple[int, Detection, str]],
    samples: list[object],
) -> pd.DataFrame:
    rows = []
    for index, detection, reason in evaluator_dropped:
        if not detection.recogniser.startswith("Spacy"):
            continue
        sample = samples[index]
        on_name = any(
            TEMPLATE_LABELS.get(s.entity_type) == "PERSON"
            and detection.start < s.end_position
            and s.start_position < detection.end
            for s in sample.spans  # type: ignore[attr-defined]
        )
        rows.append({"reason": reason, "on_a_real_name": on_name, "data": "presidio-evaluator"})
    if not dropped.empty:
        rows += [
            {"reason": r, "on_a_real_name": o, "data": "names by country"}
            for r, o in zip(dropped["reason"], dropped["on_a_real_name"], strict=True)
        ]
    if not rows:
        return pd.DataFrame(
            columns=[
                "rule",
                "data",
                "spaCy PERSON spans dropped",
                "cost: real names lost",
                "saved: non-names kept",
            ]
        )
    table = pd.DataFrame(rows)
    out = (
        table.groupby(["reason", "data"])
        .agg(dropped=("on_a_real_name", "size"), cost=("on_a_real_name", "sum"))
        .reset_index()
    )
    out["saved"] = out["dropped"] - out["cost"]
    out.columns = [
        "rule",
        "data",
        "spaCy PERSON spans dropped",
        "cost: real names lost",
        "saved: non-names kept",
    ]
    return out


# -- c. speed ------------------------------------------------------------------------------
def speed(n_texts: int, ours: Anonymiser, plain: PlainPresidio) -> dict[str, object]:
    from lived_experience.synthetic.generate import generate_study

    study = generate_study(seed=11, n_respondents=n_texts, n_pulse=0, n_transcripts=0)
    frame = study.survey[["respondent_id", "q_experience"]].copy()
    texts = frame["q_experience"].tolist()
    ours.anonymise_texts(texts[:64])
    plain.detect(texts[:64])
    load_before = os.getloadavg()[0]
    ours_runs, plain_runs = [], []
    for _ in range(2):  # alternated, best of two each: the machine is shared
        start = time.perf_counter()
        ours.anonymise_frame(frame, ["q_experience"], id_column="respondent_id")
        ours_runs.append(time.perf_counter() - start)
        start = time.perf_counter()
        plain.detect(texts)
        plain_runs.append(time.perf_counter() - start)
    ours_s, plain_s = min(ours_runs), min(plain_runs)
    return {
        "answers": len(texts),
        "lived_experience anonymise_frame (s)": round(ours_s, 1),
        "plain Presidio, one document per call (s)": round(plain_s, 1),
        "speed-up": round(plain_s / ours_s, 2),
        "load average (1 min) before / after": f"{load_before:.2f} / {os.getloadavg()[0]:.2f}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sentences", type=int, default=600)
    parser.add_argument("--per-frame", type=int, default=6)
    parser.add_argument("--speed-texts", type=int, default=2100)
    args = parser.parse_args()
    command = "PYTHONPATH=. python bench/independent_anonymiser_benchmark.py " + " ".join(
        sys.argv[1:]
    )

    nlp = load_spacy(None, ner_only=True)
    ours = Anonymiser(secret=SECRET, nlp=nlp)
    abroad = Anonymiser(
        AnonymiserSettings(entities=(*DEFAULT_ENTITIES, "PLACE_ABROAD")), secret=SECRET, nlp=nlp
    )
    plain = PlainPresidio(load_spacy(None))

    samples = evaluator_samples(args.sentences)
    texts = [s.full_text for s in samples]  # type: ignore[attr-defined]
    evaluator_dropped: list[tuple[int, Detection, str]] = []
    found = {
        "lived_experience": (ours.detect(texts, dropped=evaluator_dropped), OURS),
        "lived_experience, places abroad replaced": (abroad.detect(texts), OURS),
        "plain Presidio": (plain.detect(texts), PLAIN),
    }
    scores = evaluator_scores(samples, found)
    by_tag = removed_by_tag(samples, found)
    wrong = false_positives(samples, found)

    planted, sources = country_texts(args.per_frame)
    by_country, by_frame, dropped = country_recall(
        planted, {"lived_experience": ours, "plain Presidio": plain}
    )
    rules = drop_rule_table(dropped, evaluator_dropped, samples)
    timing = speed(args.speed_texts, ours, plain)
    write_report(
        command.strip(), args, scores, by_tag, wrong, by_country, by_frame, sources, rules, timing
    )


def write_report(  # type: ignore[no-untyped-def]
    command, args, scores, by_tag, wrong, by_country, by_frame, sources, rules, timing
) -> None:
    wide = by_country.pivot(index="country", columns="system", values=["recall", "95% CI"])
    wide.columns = [f"{a} ({b})" for a, b in wide.columns]
    wide = wide.reindex([s.country for s in COUNTRY_SOURCES]).reset_index()
    ours_recall = by_country[by_country.system == "lived_experience"].set_index("country")["recall"]
    plain_recall = by_country[by_country.system == "plain Presidio"].set_index("country")["recall"]
    n_names = int(by_country["names"].iloc[0])
    support = scores[scores.system == "plain Presidio"].set_index(["view", "level", "entity"])[
        "support"
    ]
    score_wide = scores.pivot_table(
        index=["view", "level", "entity"],
        columns="system",
        values=["precision", "recall"],
        sort=False,
    )
    score_wide.columns = [f"{b} {a}" for a, b in score_wide.columns]
    score_wide.insert(0, "support", support.reindex(score_wide.index).fillna(0).astype(int))
    per = f"{n_names} names per country: {len(FRAMES)} frames x {args.per_frame}"
    names_section = f"""### b. Names by country ({per})

A name counts as removed only if every character of it is. Frames: sentence-initial full
name, lower case after "told", two first names joined by "and", "X on nights", "X from the
ED", "X, she's ...", possessive, after a role, surname after "Dr", mid-sentence full name.
Overall (mean over countries): lived_experience **{ours_recall.mean():.3f}**
(worst country {ours_recall.min():.3f}, {ours_recall.idxmin()}), plain Presidio
**{plain_recall.mean():.3f}** (worst
{plain_recall.min():.3f}, {plain_recall.idxmin()}). Countries below the 0.97 target (ours):
{", ".join(f"{c} {r:.3f}" for c, r in ours_recall.items() if r < 0.97) or "none"}.

{md(wide)}

Recall by frame:

{md(by_frame)}

Sources per country (where Faker has no locale for a country, the closest documented locale
stands in, and the note says so):

{md(sources)}
"""
    headline = scores[
        (scores.view == "in scope") & (scores.level == "token") & (scores.entity == "any PII")
    ].set_index("system")
    section = f"""{SECTION}

Command: `{command}` ({platform.machine()}, {os.cpu_count()} cores, spaCy en_core_web_md
3.8.0, presidio-evaluator 0.3.2, Faker 40.54.0). Both systems run in the same process on the
same texts; plain Presidio is `AnalyzerEngine` with its default recognisers over the same
en_core_web_md pipeline, one document per call. Nothing below was written by this project:
the sentences are presidio-evaluator's templates filled from its fake-person table and
Faker, and the names are Faker's locale lists (see docs/benchmarks_names.md for how names
the gazetteer was built from are kept out).

### a. presidio-evaluator ({args.sentences} generated sentences, seed 42)

Scored with presidio-evaluator's own `TokenEvaluator` (token level) and `SpanEvaluator`
(entity level, character IoU >= 0.9). "any PII" counts a detection of any type on any
annotated span as correct (the question for anonymisation: was it removed?).

How labels are matched (`TEMPLATE_LABELS` in the script; the sentences keep the template
tag each value came from, so nothing is guessed):

* **in scope** (the headline): person names -> PERSON; street addresses, building numbers,
  postcodes, cities and states -> LOCATION; companies -> ORGANIZATION; dates and dates of
  birth -> DATE_TIME; phone, e-mail, URL, credit card, IBAN, IP address, US SSN and US
  driving licence each their own type. Countries, nationalities, job titles, honorifics, a
  year or a weekday on its own, and ages are scored as ordinary words ("O"): this project
  keeps countries, nationalities and roles by design (they are the research), keeps years
  and weekdays alone (the time line; a specific date is removed) and neither system looks
  for ages, so removing one counts as a false positive here, for both systems alike.
* **all labels**: presidio-evaluator's own mapping, every annotated value counts (countries
  and nationalities as PII); only "any PII" is shown.
* Our types are mapped as: UK_PLACE, UK_POSTCODE and PLACE_ABROAD -> LOCATION; NHS_SITE and
  NHS_ORGANISATION -> ORGANIZATION; DATE -> DATE_TIME; SOCIAL_HANDLE -> URL; our UK
  registration and staff numbers are generic ("ID": right on any PII). Plain Presidio's
  types map one to one (its NRP is not a scored label: a hit on a nationality counts as a
  false positive in scope, as ours would).
* "places abroad replaced" is the documented setting `entities: [..., PLACE_ABROAD]`; by
  default cities abroad are kept (where someone trained or came from is often the point).
* presidio-evaluator's templates write some line breaks as a backslash and an "n"; they
  are turned into a space and a real line break (same length, so every span keeps its
  offsets) before either system sees them.

Headline (in scope, token level, any PII): lived_experience precision
**{headline.loc["lived_experience", "precision"]:.3f}**, recall
{headline.loc["lived_experience", "recall"]:.3f}; plain Presidio precision
**{headline.loc["plain Presidio", "precision"]:.3f}**, recall
{headline.loc["plain Presidio", "recall"]:.3f}.

{md(score_wide.reset_index())}

Where recall is lost: share of each template tag's values fully removed, per system.

{md(by_tag)}

Where precision is lost: detections that touch no in-scope value, by the type detected
("a kept-by-design value": a country, nationality, job title or age).

{md(wrong)}

{names_section}

### What each rule that drops a spaCy PERSON span costs and saves

Every PERSON span spaCy's model finds is kept unless a rule below drops it; "cost" is a
dropped span that overlapped a real name (a name left in), "saved" one that did not (a word
kept that would have been replaced). Same run, data from parts a and b.

{md(rules) if not rules.empty else "No spaCy PERSON span was dropped on these data."}

### c. Speed on {timing["answers"]} answers

{md(pd.DataFrame([timing]))}

Same process, same en_core_web_md model, warm, alternated and best of two runs each (the
machine is shared: the load average is beside the figures); ours is the whole
`anonymise_frame` (detect,
replace, indirect-identifier flags, entities table), Presidio's is detection only.
"""
    replace_section(DOC, "independent-anonymiser", section)
    replace_section(
        NAMES_DOC,
        "names-by-country",
        f"## Names by country (independent benchmark, part b)\n\nCommand: `{command}` (same run "
        f"as the Independent benchmark section of docs/benchmarks.md).\n\n"
        + names_section.split("\n", 1)[1],
    )
    print(section)


if __name__ == "__main__":
    main()
