"""Generate the bundled synthetic study: survey exports, transcripts, gold and labels.

>>> study = generate_study(n_respondents=50, n_transcripts=2)
>>> len(study.survey)
50
"""

from __future__ import annotations

import io
import json
import random
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lived_experience.output import atomic_path, format_csv, write_table, write_text_atomic
from lived_experience.synthetic.names import NAMES_BY_ORIGIN, ORIGINS
from lived_experience.synthetic.organisations import (
    PLANTED_CODES,
    Organisation,
    build_organisations,
)
from lived_experience.synthetic.text_builder import TextBuilder
from lived_experience.synthetic.themes import (
    EMPTY_ANSWERS,
    IDENTIFIER_SENTENCES,
    IMPROVEMENT_SENTENCES,
    INTERVIEWER_QUESTIONS,
    MINORITY_SENTENCES,
    NAME_SENTENCES,
    NEUTRAL_SENTENCES,
    WHITE_SENTENCES,
)

DEFAULT_SEED = 20241122

SURVEY_TEXT_COLUMNS = ("q_experience", "q_improve")
SURVEY_QUESTIONS = {
    "q_experience": "How would you describe your experience of being an ethnic minority "
    "person working in the NHS? (If you are not from an ethnic minority, how do you see race "
    "equality where you work?)",
    "q_improve": "What one thing would improve race equality where you work?",
}

#: 2011 ONS categories as the NHS Staff Survey asks them, with the derived WRES group.
ETHNICITIES: tuple[tuple[str, str, float], ...] = (
    ("White - English / Welsh / Scottish / Northern Irish / British", "White", 0.86),
    ("White - Irish", "White", 0.04),
    ("White - Any other White background", "White", 0.10),
    ("Mixed - White and Black Caribbean", "Ethnic minority", 0.03),
    ("Mixed - White and Black African", "Ethnic minority", 0.02),
    ("Mixed - White and Asian", "Ethnic minority", 0.02),
    ("Mixed - Any other mixed background", "Ethnic minority", 0.02),
    ("Asian or Asian British - Indian", "Ethnic minority", 0.22),
    ("Asian or Asian British - Pakistani", "Ethnic minority", 0.08),
    ("Asian or Asian British - Bangladeshi", "Ethnic minority", 0.03),
    ("Asian or Asian British - Any other Asian background", "Ethnic minority", 0.14),
    ("Black or Black British - African", "Ethnic minority", 0.22),
    ("Black or Black British - Caribbean", "Ethnic minority", 0.06),
    ("Black or Black British - Any other Black background", "Ethnic minority", 0.02),
    ("Chinese", "Ethnic minority", 0.03),
    ("Arab", "Ethnic minority", 0.03),
    ("Any other ethnic group", "Ethnic minority", 0.07),
)
NOT_STATED = ("Prefer not to say", "Not stated")

STAFF_GROUPS: tuple[tuple[str, float, tuple[str, ...]], ...] = (
    (
        "Registered Nurses and Midwives",
        0.34,
        ("Band 5", "Band 5", "Band 6", "Band 6", "Band 7", "Band 8a"),
    ),
    (
        "Medical and Dental",
        0.10,
        ("Medical - Consultant", "Medical - Specialty doctor", "Medical - Doctor in training"),
    ),
    ("Additional Clinical Services", 0.18, ("Band 2", "Band 3", "Band 3", "Band 4")),
    ("Allied Health Professionals", 0.10, ("Band 5", "Band 6", "Band 7", "Band 8a")),
    ("Admin and Clerical", 0.18, ("Band 2", "Band 3", "Band 4", "Band 5", "Band 6", "Band 8b")),
    ("Estates and Ancillary", 0.06, ("Band 1", "Band 2", "Band 3")),
    ("General Management", 0.04, ("Band 8a", "Band 8b", "Band 8c", "Band 8d", "Band 9", "VSM")),
)
LENGTHS_OF_SERVICE = (
    "Less than 1 year",
    "1-2 years",
    "3-5 years",
    "6-10 years",
    "11-15 years",
    "More than 15 years",
)

_VERY_SHORT = (
    ("bullying_from_staff", "Bullying."),
    ("career_progression", "No promotion for us."),
    ("discrimination_from_staff", "Racism from managers."),
    ("abuse_from_public", "Racist patients."),
    ("microaggressions", "Constant microaggressions."),
    ("", "Fine."),
    ("", "ok"),
)

#: interview participants: (origin of their name, role description)
_PARTICIPANT_ROLES = (
    "a [[band 5]] [[staff nurse]]",
    "a [[band 6]] [[midwife]]",
    "a [[consultant]]",
    "a [[healthcare assistant]]",
    "a [[band 7]] [[ward manager]]",
    "a [[porter]]",
    "a [[specialty doctor]]",
    "a [[band 4]] [[administrator]]",
)


@dataclass
class GoldRecord:
    """Gold annotation of one text cell: the text, its identifiers, and words to keep."""

    source: str
    record_id: str
    field: str
    text: str
    entities: list[dict[str, object]]
    protected: list[dict[str, object]]

    def as_json(self) -> str:
        return json.dumps(
            {
                "source": self.source,
                "record_id": self.record_id,
                "field": self.field,
                "text": self.text,
                "entities": self.entities,
                "protected": self.protected,
            },
            ensure_ascii=False,
            sort_keys=True,
        )


@dataclass
class Transcript:
    """One synthetic interview: its turns, and how it is written to disk."""

    document_id: str
    file_format: str  # "txt", "docx" or "vtt"
    org_code: str
    turns: list[tuple[str, str]]  # (speaker label, text)


@dataclass
class SyntheticStudy:
    """Everything :func:`generate_study` makes, in memory."""

    survey: pd.DataFrame
    pulse: pd.DataFrame
    transcripts: list[Transcript]
    gold: list[GoldRecord]
    labels: pd.DataFrame
    organisations: tuple[Organisation, ...]
    stats: Counter[str] = field(default_factory=Counter)


def _weighted(rng: random.Random, options: tuple[tuple[str, str, float], ...]) -> tuple[str, str]:
    total = sum(w for _, _, w in options)
    pick = rng.random() * total
    for name, group, weight in options:
        pick -= weight
        if pick <= 0:
            return name, group
    return options[-1][0], options[-1][1]


def _minority_code_weights(org: Organisation) -> dict[str, float]:
    weights = {code: 1.0 for code in MINORITY_SENTENCES}
    for code, multiplier in org.climate.items():
        weights[code] = 1.6 * multiplier
    return weights


def _pick_codes(rng: random.Random, weights: dict[str, float], k: int) -> list[str]:
    codes = sorted(weights)
    chosen: list[str] = []
    for _ in range(k):
        remaining = [c for c in codes if c not in chosen]
        total = sum(weights[c] for c in remaining)
        pick = rng.random() * total
        for code in remaining:
            pick -= weights[code]
            if pick <= 0:
                chosen.append(code)
                break
    return chosen


def _experience_answer(
    rng: random.Random, org: Organisation, group: str
) -> tuple[TextBuilder, list[str]]:
    builder = TextBuilder(rng=rng, org=org, typo_rate=0.03)
    roll = rng.random()
    if roll < 0.10:
        builder.literal(rng.choice(EMPTY_ANSWERS))
        return builder, []
    if roll < 0.16:
        code, text = rng.choice(_VERY_SHORT)
        builder.literal(text)
        return builder, [code] if code else []
    n_sentences = rng.choice((1, 2, 2, 3, 3, 4, 5, 6))
    if group == "White":
        pool = WHITE_SENTENCES
        n_codes = min(len(pool), 1 if rng.random() < 0.7 else 2)
        codes = _pick_codes(rng, {c: 1.0 for c in pool}, n_codes) if rng.random() < 0.75 else []
    else:
        pool = MINORITY_SENTENCES
        n_codes = 1 if n_sentences <= 2 else rng.choice((1, 2, 2, 3))
        codes = _pick_codes(rng, _minority_code_weights(org), n_codes)
    plan: list[tuple[str, str]] = [(c, rng.choice(pool[c])) for c in codes]
    for _ in range(4 * n_sentences):
        if len(plan) >= n_sentences:
            break
        if codes and rng.random() < 0.5:
            code = rng.choice(codes)
            candidate = (code, rng.choice(pool[code]))
        else:
            candidate = ("", rng.choice(NEUTRAL_SENTENCES))
        if candidate not in plan:
            plan.append(candidate)
    if rng.random() < 0.22:
        code, sentence = rng.choice(IDENTIFIER_SENTENCES)
        plan.append((code, sentence))
    if rng.random() < 0.30:
        code, sentence = rng.choice(NAME_SENTENCES)
        plan.append((code, sentence))
    rng.shuffle(plan)
    for _, sentence in plan:
        builder.sentence(sentence)
    used = sorted({code for code, _ in plan if code})
    return builder, used


def _improvement_answer(rng: random.Random, org: Organisation) -> tuple[TextBuilder, list[str]]:
    builder = TextBuilder(rng=rng, org=org, typo_rate=0.03)
    if rng.random() < 0.18:
        builder.literal(rng.choice(EMPTY_ANSWERS))
        return builder, []
    codes = _pick_codes(rng, {c: 1.0 for c in IMPROVEMENT_SENTENCES}, rng.choice((1, 1, 2)))
    for code in codes:
        builder.sentence(rng.choice(IMPROVEMENT_SENTENCES[code]))
    if rng.random() < 0.05:
        code, sentence = rng.choice(IDENTIFIER_SENTENCES)
        builder.sentence(sentence)
        codes.append(code)
    return builder, sorted({c for c in codes if c})


def _respondent(rng: random.Random, orgs: tuple[Organisation, ...]) -> dict[str, str]:
    org = rng.choice(orgs)
    roll = rng.random()
    if roll < 0.03:
        ethnicity, group = rng.choice(NOT_STATED), "Not stated"
    elif roll < 0.03 + org.minority_share * 1.4:
        minority = tuple(e for e in ETHNICITIES if e[1] == "Ethnic minority")
        ethnicity, group = _weighted(rng, minority)
    else:
        white = tuple(e for e in ETHNICITIES if e[1] == "White")
        ethnicity, group = _weighted(rng, white)
    sg_pick = rng.random() * sum(w for _, w, _ in STAFF_GROUPS)
    staff_group, bands = STAFF_GROUPS[-1][0], STAFF_GROUPS[-1][2]
    for name, weight, options in STAFF_GROUPS:
        sg_pick -= weight
        if sg_pick <= 0:
            staff_group, bands = name, options
            break
    return {
        "org_code": org.code,
        "ethnicity": ethnicity,
        "ethnic_group": group,
        "staff_group": staff_group,
        "band": rng.choice(bands),
        "length_of_service": rng.choice(LENGTHS_OF_SERVICE),
    }


def _survey(
    rng: random.Random,
    orgs: tuple[Organisation, ...],
    n: int,
    gold: list[GoldRecord],
    label_rows: list[dict[str, str]],
    stats: Counter[str],
) -> pd.DataFrame:
    by_code = {o.code: o for o in orgs}
    rows = []
    for i in range(n):
        respondent_id = f"NSS-{i + 1:05d}"
        attributes = _respondent(rng, orgs)
        org = by_code[attributes["org_code"]]
        row: dict[str, str] = {
            "respondent_id": respondent_id,
            "survey_year": rng.choice(("2023", "2024")),
            **attributes,
        }
        for column, builder_and_codes in (
            ("q_experience", _experience_answer(rng, org, attributes["ethnic_group"])),
            ("q_improve", _improvement_answer(rng, org)),
        ):
            builder, codes = builder_and_codes
            row[column] = builder.text()
            _record(gold, stats, "staff_survey.csv", respondent_id, column, builder)
            label_rows.append(
                {
                    "source": "staff_survey.csv",
                    "record_id": respondent_id,
                    "field": column,
                    "codes": ";".join(codes),
                }
            )
        rows.append(row)
    columns = [
        "respondent_id",
        "org_code",
        "survey_year",
        "ethnicity",
        "ethnic_group",
        "staff_group",
        "band",
        "length_of_service",
        *SURVEY_TEXT_COLUMNS,
    ]
    return pd.DataFrame(rows, columns=columns)


def _pulse(
    rng: random.Random,
    orgs: tuple[Organisation, ...],
    n: int,
    gold: list[GoldRecord],
    label_rows: list[dict[str, str]],
    stats: Counter[str],
) -> pd.DataFrame:
    """A Qualtrics-style pulse survey: ResponseId, timestamps, Q1..Q4."""
    by_code = {o.code: o for o in orgs}
    rows = []
    for i in range(n):
        response_id = f"R_{rng.randrange(16**15):015X}"
        attributes = _respondent(rng, orgs)
        org = by_code[attributes["org_code"]]
        builder, codes = _experience_answer(rng, org, attributes["ethnic_group"])
        _record(gold, stats, "pulse_survey_qualtrics.csv", response_id, "Q3", builder)
        label_rows.append(
            {
                "source": "pulse_survey_qualtrics.csv",
                "record_id": response_id,
                "field": "Q3",
                "codes": ";".join(codes),
            }
        )
        day = 1 + i % 28
        rows.append(
            {
                "StartDate": f"2025-03-{day:02d} 09:{i % 60:02d}:00",
                "EndDate": f"2025-03-{day:02d} 09:{(i + 7) % 60:02d}:00",
                "Finished": "True",
                "ResponseId": response_id,
                "Q1": attributes["org_code"],
                "Q2": attributes["ethnic_group"],
                "Q3": builder.text(),
            }
        )
    return pd.DataFrame(rows)


def _record(
    gold: list[GoldRecord],
    stats: Counter[str],
    source: str,
    record_id: str,
    field_name: str,
    builder: TextBuilder,
) -> None:
    gold.append(
        GoldRecord(
            source=source,
            record_id=record_id,
            field=field_name,
            text=builder.text(),
            entities=[e.as_json() for e in builder.entities],
            protected=[p.as_json() for p in builder.protected],
        )
    )
    for span in builder.entities:
        stats[f"type:{span.entity_type}"] += 1
        if span.origin:
            stats[f"origin:{span.origin}"] += 1
    stats["protected"] += len(builder.protected)


def _transcripts(
    rng: random.Random,
    orgs: tuple[Organisation, ...],
    n: int,
    gold: list[GoldRecord],
    label_rows: list[dict[str, str]],
    stats: Counter[str],
) -> list[Transcript]:
    formats = ("txt", "txt", "docx", "vtt")
    out = []
    for t in range(n):
        document_id = f"T{t + 1:02d}"
        file_format = formats[t % len(formats)]
        org = orgs[(t * 7) % len(orgs)]
        origin = (
            ORIGINS[t % len(ORIGINS)]
            if t % 3
            else rng.choice(("south_asian", "black_african", "black_caribbean", "filipino"))
        )
        firsts, lasts = NAMES_BY_ORIGIN[origin]
        first, last = rng.choice(firsts), rng.choice(lasts)
        if file_format == "vtt":
            researcher = rng.choice(("Jo Hartley", "Sam Whitfield", "Ruth Pearson"))
            interviewer_label = f"{researcher} (Researcher)"
            respondent_label = f"{first} {last}"
        else:
            interviewer_label, respondent_label = "Interviewer", "Respondent"
        turns: list[tuple[str, str]] = []
        source = f"transcripts/{document_id}.{file_format}"

        def add_turn(
            speaker: str,
            segment_id: str,
            builder: TextBuilder,
            codes: list[str],
            turns: list[tuple[str, str]] = turns,
            source: str = source,
        ) -> None:
            turns.append((speaker, builder.text()))
            _record(gold, stats, source, segment_id, "text", builder)
            label_rows.append(
                {
                    "source": source,
                    "record_id": segment_id,
                    "field": "text",
                    "codes": ";".join(sorted(set(codes))),
                }
            )

        weights = _minority_code_weights(org)
        codes = _pick_codes(rng, weights, 4)
        for q, question in enumerate(INTERVIEWER_QUESTIONS):
            segment_id = f"{document_id}-{len(turns):04d}"
            builder = TextBuilder(rng=rng, org=org)
            if q == 1 and rng.random() < 0.6:
                builder.literal("Thanks, ")
                builder.entity(first, "PERSON", origin)
                builder.literal(". ")
            builder.literal(question)
            add_turn(interviewer_label, segment_id, builder, [])
            segment_id = f"{document_id}-{len(turns):04d}"
            builder = TextBuilder(rng=rng, org=org)
            used: list[str] = []
            if q == 0:
                builder.sentence(f"I am {rng.choice(_PARTICIPANT_ROLES)} at {{hospital}}.")
                builder.sentence(rng.choice(NEUTRAL_SENTENCES))
            elif q == len(INTERVIEWER_QUESTIONS) - 1:
                builder.sentence("No, I think that covers it.")
            else:
                code = codes[q % len(codes)]
                for sentence in rng.sample(MINORITY_SENTENCES[code], 2):
                    builder.sentence(sentence)
                used.append(code)
                if rng.random() < 0.35:
                    extra_code, sentence = rng.choice(IDENTIFIER_SENTENCES)
                    builder.sentence(sentence)
                    if extra_code:
                        used.append(extra_code)
            add_turn(respondent_label, segment_id, builder, used)
        if file_format == "vtt":
            for index, (speaker, _) in enumerate(turns):
                builder = TextBuilder(rng=rng, org=org)
                name, _, role = speaker.partition(" (")
                name_origin = origin if speaker == respondent_label else "white_british"
                builder.entity(name, "PERSON", name_origin)
                if role:
                    builder.literal(" (" + role)
                _record(
                    gold,
                    stats,
                    f"transcripts/{document_id}.{file_format}",
                    f"{document_id}-{index:04d}",
                    "speaker",
                    builder,
                )
        out.append(Transcript(document_id, file_format, org.code, turns))
    return out


def generate_study(
    seed: int = DEFAULT_SEED,
    n_respondents: int = 2400,
    n_pulse: int = 240,
    n_transcripts: int = 12,
) -> SyntheticStudy:
    """Generate the synthetic study in memory (deterministic for a given seed and sizes)."""
    rng = random.Random(seed)
    orgs = build_organisations()
    gold: list[GoldRecord] = []
    label_rows: list[dict[str, str]] = []
    stats: Counter[str] = Counter()
    survey = _survey(rng, orgs, n_respondents, gold, label_rows, stats)
    pulse = _pulse(rng, orgs, n_pulse, gold, label_rows, stats)
    transcripts = _transcripts(rng, orgs, n_transcripts, gold, label_rows, stats)
    labels = pd.DataFrame(label_rows, columns=["source", "record_id", "field", "codes"])
    return SyntheticStudy(survey, pulse, transcripts, gold, labels, orgs, stats)


# -- writing ---------------------------------------------------------------------------


def _fixed_zip(data: bytes) -> bytes:
    """Rewrite a zip (docx) with fixed timestamps and order, so the bytes are reproducible."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(name))
    return out.getvalue()


def _vtt_time(seconds: float) -> str:
    ms = int(round(seconds * 1000))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def transcript_bytes(transcript: Transcript) -> bytes:
    """The file a researcher would receive for ``transcript``."""
    if transcript.file_format == "txt":
        return "".join(f"{speaker}: {text}\n\n" for speaker, text in transcript.turns).encode()
    if transcript.file_format == "docx":
        import datetime as dt

        import docx

        document = docx.Document()
        fixed = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
        props = document.core_properties
        props.created = props.modified = props.last_printed = fixed
        props.author = props.last_modified_by = "lived_experience synthetic data"
        props.title = f"Interview {transcript.document_id}"
        props.revision = 1
        for speaker, text in transcript.turns:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{speaker}:").bold = True
            paragraph.add_run(f" {text}")
        buffer = io.BytesIO()
        document.save(buffer)
        return _fixed_zip(buffer.getvalue())
    # Teams-style WebVTT: one cue per sentence, each with the speaker's voice tag.
    lines = ["WEBVTT", ""]
    clock = 1.0
    cue = 1
    for speaker, text in transcript.turns:
        pieces = _split_sentences(text)
        for piece in pieces:
            duration = max(1.5, len(piece.split()) * 0.4)
            lines += [
                f"{transcript.document_id}-{cue}",
                f"{_vtt_time(clock)} --> {_vtt_time(clock + duration)}",
                f"<v {speaker}>{piece}</v>",
                "",
            ]
            clock += duration + 0.3
            cue += 1
    return "\n".join(lines).encode()


def _split_sentences(text: str) -> list[str]:
    """Split at '. ' so that joining the pieces with one space gives the text back."""
    pieces: list[str] = []
    current = ""
    for word in text.split(" "):
        current = f"{current} {word}" if current else word
        if word.endswith((".", "?", "!")) and len(current) > 40:
            pieces.append(current)
            current = ""
    if current:
        pieces.append(current)
    return pieces


def _readme(study: SyntheticStudy) -> str:
    stats = study.stats
    types = sorted(k.split(":", 1)[1] for k in stats if k.startswith("type:"))
    origins = sorted(k.split(":", 1)[1] for k in stats if k.startswith("origin:"))
    code_counts: Counter[str] = Counter()
    for codes in study.labels["codes"]:
        for code in filter(None, str(codes).split(";")):
            code_counts[code] += 1
    lines = [
        "# Synthetic study data",
        "",
        "Everything in this folder is invented by `lived_experience.synthetic` (seed "
        f"{DEFAULT_SEED}). Regenerate it, byte for byte, with",
        "",
        "```",
        "lived-experience generate-synthetic --output-dir data/synthetic",
        "```",
        "",
        "No real person, patient or member of staff is described. Phone numbers come from",
        "Ofcom's ranges reserved for drama; NHS numbers pass the Modulus 11 check but are",
        "random; organisations, hospitals and wards are fictional places.",
        "",
        "## Files",
        "",
        "| file | what it is |",
        "| --- | --- |",
        f"| `staff_survey.csv` | staff survey export, {len(study.survey)} respondents in "
        f"{study.survey['org_code'].nunique()} organisations, waves 2023 and 2024: "
        "respondent id, organisation code, ethnicity (2011 ONS categories as the NHS Staff "
        "Survey asks them) and the derived group (White / Ethnic minority / Not stated), "
        "staff group, Agenda for Change band, length of service, and two free-text answers "
        "`q_experience` and `q_improve` (blank, N/A, very short, long, typos, lower-case "
        "names) |",
        f"| `pulse_survey_qualtrics.csv` | a Qualtrics-style export (UTF-8 with BOM, three "
        f"header rows) of {len(study.pulse)} pulse-survey answers, free text in `Q3` |",
        f"| `transcripts/` | {len(study.transcripts)} interviews: plain text with "
        "`Interviewer:` / `Respondent:` turns, Word .docx, and Teams-style WebVTT with "
        "timestamps and speaker names |",
        "| `organisations.csv` | the 30 organisations, with the planted climate the WRES "
        "cross-reference should recover |",
        "| `gold/annotations.jsonl` | gold identifiers and protected descriptors, one line per "
        "text cell (see below) |",
        "| `labels/theme_labels.csv` | the codes each text was written to express (from the "
        "generator's templates): a labelled sample for coding tests |",
        "| `wres/returns.csv`, `wres/bands.csv`, `wres/staff_survey.csv` | WRES inputs for the "
        "same 30 organisations, 2016-2024 (staff survey years 2015-2023), national totals "
        "near the published ones; ethnic minority results on indicators 5-8 follow each "
        "organisation's planted climate (`lived_experience/synthetic/wres.py`) |",
        "",
        "## Gold annotation format",
        "",
        "One JSON object per text cell (survey answer, transcript turn or VTT speaker name):",
        "`source` (file), `record_id` (respondent id, or transcript segment id "
        "`T01-0003`), `field` (column, or `text` / `speaker`), `text`, `entities` (list of "
        "`start`, `end`, `entity_type` and, for `PERSON`, the name's `origin`) and "
        "`protected` (descriptors that must survive anonymisation). Offsets are Python string "
        "offsets into `text`; a name's span excludes its title (`Dr`, `Sister`).",
        "",
        "## Identifiers planted, by entity type",
        "",
        "| entity type | count |",
        "| --- | ---: |",
        *[f"| {t} | {stats['type:' + t]} |" for t in types],
        "",
        "## Person names, by origin group",
        "",
        "| origin | names |",
        "| --- | ---: |",
        *[f"| {o} | {stats['origin:' + o]} |" for o in origins],
        "",
        f"Protected descriptors planted (must be kept): {stats['protected']}.",
        "",
        "## Theme labels (texts per code)",
        "",
        "| code | texts |",
        "| --- | ---: |",
        *[f"| {code} | {count} |" for code, count in sorted(code_counts.items())],
        "",
        "Ethnic minority respondents' answers in each organisation are tilted towards "
        + ", ".join(f"`{c}`" for c in PLANTED_CODES)
        + " by the organisation's planted climate (see `organisations.csv`).",
        "",
    ]
    return "\n".join(lines)


def write_study(output_dir: str | Path, study: SyntheticStudy | None = None) -> Path:
    """Write the synthetic study to ``output_dir`` (every file atomically)."""
    study = study or generate_study()
    root = Path(output_dir)
    try:
        (root / "transcripts").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        from lived_experience.errors import InputFileError

        raise InputFileError(
            f"cannot create the folder '{root}' ({exc.strerror}). Fix: choose a writable "
            "folder with --output-dir."
        ) from None
    # the synthetic files stand in for raw survey exports, which carry no formula escapes
    write_table(study.survey, root / "staff_survey.csv", formula_escape=False)
    header_text = {
        "StartDate": "Start Date",
        "EndDate": "End Date",
        "Finished": "Finished",
        "ResponseId": "Response ID",
        "Q1": "Which organisation do you work for?",
        "Q2": "Ethnic group",
        "Q3": SURVEY_QUESTIONS["q_experience"],
    }
    import_ids = {
        c: json.dumps({"ImportId": c if c.startswith("Q") else c.lower()})
        for c in study.pulse.columns
    }
    qualtrics = pd.concat([pd.DataFrame([header_text, import_ids]), study.pulse], ignore_index=True)
    write_text_atomic(
        root / "pulse_survey_qualtrics.csv",
        "\ufeff" + format_csv(qualtrics, formula_escape=False),  # Qualtrics writes a BOM
    )
    for transcript in study.transcripts:
        target = root / "transcripts" / f"{transcript.document_id}.{transcript.file_format}"
        with atomic_path(target) as tmp:
            tmp.write_bytes(transcript_bytes(transcript))
    organisations = pd.DataFrame(
        [
            {
                "org_code": o.code,
                "org_name": o.name,
                "kind": o.kind,
                "region": o.region,
                "minority_share": o.minority_share,
                **{f"climate_{code}": o.climate[code] for code in PLANTED_CODES},
            }
            for o in study.organisations
        ]
    )
    write_table(organisations, root / "organisations.csv", formula_escape=False)
    (root / "gold").mkdir(exist_ok=True)
    write_text_atomic(
        root / "gold" / "annotations.jsonl",
        "".join(record.as_json() + "\n" for record in study.gold),
    )
    (root / "labels").mkdir(exist_ok=True)
    write_table(study.labels, root / "labels" / "theme_labels.csv", formula_escape=False)
    from lived_experience.synthetic.wres import synthetic_wres

    (root / "wres").mkdir(exist_ok=True)
    wres = synthetic_wres()
    for name, frame in (
        ("returns", wres.returns),
        ("bands", wres.bands),
        ("staff_survey", wres.survey),
    ):
        write_table(frame, root / "wres" / f"{name}.csv", formula_escape=False)
    write_text_atomic(root / "README.md", _readme(study))
    return root
