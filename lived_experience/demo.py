"""The demo: every stage that exists so far, on the bundled synthetic study.

Writes ``shareable/`` (anonymised data that may leave the secure environment) and
``review_pack/`` (SENSITIVE: detections with their original values, for a reviewer) apart,
as a real study should.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from lived_experience.anonymise import Anonymiser
from lived_experience.anonymise.disclosure import enforce_k_anonymity, small_groups
from lived_experience.anonymise.evaluate import evaluate_anonymiser, load_gold
from lived_experience.anonymise.files import anonymise_file
from lived_experience.anonymise.pseudonyms import load_or_create_secret
from lived_experience.codebook import load_codebook
from lived_experience.coding import (
    Embedder,
    HybridCoder,
    agreement,
    calibrate_thresholds,
    code_frame,
    minority_white_ratio,
)
from lived_experience.ingest import read_segments, read_survey
from lived_experience.output import write_table
from lived_experience.quotes import build_quote_bank, write_csv, write_docx, write_markdown
from lived_experience.synthetic.generate import SURVEY_TEXT_COLUMNS, write_study
from lived_experience.synthetic.labels import respondent_codes
from lived_experience.wres import compute_indicators, read_bands, read_returns, read_staff_survey
from lived_experience.wres.charts import write_crossref_charts
from lived_experience.wres.crossref import crossref

QUASI_IDENTIFIERS = ("ethnicity", "staff_group", "band", "length_of_service")
#: respondents whose labels calibrate the coder (a team's hand-coded sample)
CALIBRATION_SAMPLE = 300


def run_demo(
    output_dir: str | Path,
    data_dir: str | Path = "data/synthetic",
    echo: Callable[[str], object] = print,
    codebook_path: str | Path = "codebooks/wres_lived_experience.yaml",
) -> list[Path]:
    """Run ingest, anonymisation, disclosure control and evaluation; return files written."""
    output_dir, data_dir = Path(output_dir), Path(data_dir)
    if not (data_dir / "staff_survey.csv").exists():
        data_dir = write_study(output_dir / "synthetic")
        echo(f"bundled data not found; generated a synthetic study in {data_dir}")
    shareable, review = output_dir / "shareable", output_dir / "review_pack"
    written: list[Path] = []

    echo("1/7 ingest: survey export and transcripts -> segments tables")
    segments = read_segments(
        data_dir / "staff_survey.csv", "respondent_id", list(SURVEY_TEXT_COLUMNS)
    )
    transcripts = read_segments(data_dir / "transcripts")
    echo(
        f"    {len(segments)} survey segments, {len(transcripts)} transcript turns "
        f"({(transcripts['speaker_role'] == 'interviewer').sum()} interviewer turns marked)"
    )

    echo("2/7 anonymise: survey free text and transcripts (pseudonyms keyed by the project secret)")
    anonymiser = Anonymiser(secret=load_or_create_secret())
    survey_out = shareable / "staff_survey_anonymised.csv"
    summary = anonymise_file(
        data_dir / "staff_survey.csv",
        survey_out,
        list(SURVEY_TEXT_COLUMNS),
        "respondent_id",
        anonymiser,
        entities_path=review / "survey_entities.csv",
        review_path=review / "survey_review.html",
    )
    echo(
        f"    survey: {summary.rows} rows, {summary.cells_changed} answers changed, "
        f"{sum(summary.by_type.values())} identifiers replaced, "
        f"{summary.flagged_indirect} indirect identifiers flagged for review"
    )
    transcripts_out = shareable / "transcripts_anonymised.csv"
    t_summary = anonymise_file(
        data_dir / "transcripts",
        transcripts_out,
        [],
        None,
        anonymiser,
        entities_path=review / "transcript_entities.csv",
        review_path=review / "transcript_review.html",
    )
    echo(
        f"    transcripts: {t_summary.rows} turns, {sum(t_summary.by_type.values())} "
        "identifiers replaced"
    )
    written += [
        survey_out,
        transcripts_out,
        review / "survey_entities.csv",
        review / "survey_review.html",
        review / "transcript_entities.csv",
        review / "transcript_review.html",
    ]

    echo(f"3/7 disclosure control on {', '.join(QUASI_IDENTIFIERS)} (k=11)")
    frame = read_survey(survey_out)
    before = small_groups(frame, QUASI_IDENTIFIERS)
    protected, report = enforce_k_anonymity(frame, QUASI_IDENTIFIERS)
    write_table(protected, survey_out, escape_columns=list(SURVEY_TEXT_COLUMNS))
    write_table(report.as_frame(), shareable / "disclosure_control.csv")
    written.append(shareable / "disclosure_control.csv")
    echo(
        f"    {len(before)} small groups before; generalised {report.generalised}; "
        f"{report.suppressed_rows} rows suppressed"
    )

    echo(
        "4/7 code: the WRES lived-experience codebook, hybrid coder calibrated on a "
        "hand-coded sample"
    )
    codebook = load_codebook(codebook_path)
    labelled = respondent_codes(data_dir)
    survey = read_survey(survey_out)
    coder = HybridCoder(codebook, Embedder())
    sample_ids = set(survey["respondent_id"].iloc[:CALIBRATION_SAMPLE])
    calibrate_thresholds(
        coder,
        survey.iloc[:CALIBRATION_SAMPLE],
        list(SURVEY_TEXT_COLUMNS),
        "respondent_id",
        labelled,
    )
    coded = code_frame(survey, list(SURVEY_TEXT_COLUMNS), "respondent_id", coder)
    write_table(
        coded.frame, shareable / "staff_survey_coded.csv", escape_columns=list(SURVEY_TEXT_COLUMNS)
    )
    write_table(
        coded.segments, shareable / "coded_segments.csv", escape_columns=["sentence", "evidence"]
    )
    held_out = coded.frame[~coded.frame["respondent_id"].isin(sample_ids)]
    agreement_table = agreement(
        held_out.rename(columns={"respondent_id": "id"}), labelled, code_ids=codebook.code_ids
    )
    write_table(agreement_table, output_dir / "coding_agreement.csv")
    prevalence = minority_white_ratio(coded.frame, codebook.code_ids)
    write_table(prevalence, shareable / "theme_prevalence_by_ethnic_group.csv")
    written += [
        shareable / "staff_survey_coded.csv",
        shareable / "coded_segments.csv",
        output_dir / "coding_agreement.csv",
        shareable / "theme_prevalence_by_ethnic_group.csv",
    ]
    overall = agreement_table.set_index("code").loc["(overall)"]
    echo(
        f"    {len(coded.segments)} coded sentences; agreement with the held-out labels: "
        f"mean kappa {overall['kappa']:.3f}, alpha {overall['alpha']:.3f}, AC1 "
        f"{overall['ac1']:.3f} ({overall['reading']})"
    )

    echo("5/7 WRES indicators with intervals, and the coded themes beside them")
    wres_dir = data_dir / "wres"
    indicators = compute_indicators(
        read_returns(wres_dir / "returns.csv"),
        read_bands(wres_dir / "bands.csv"),
        read_staff_survey(wres_dir / "staff_survey.csv"),
    )
    write_table(indicators, shareable / "wres_indicators.csv")
    table, correlations = crossref(coded.frame, indicators, codebook.wres_links())
    write_table(table, shareable / "themes_by_wres.csv")
    write_table(correlations, shareable / "themes_wres_correlations.csv")
    written += [
        shareable / "wres_indicators.csv",
        shareable / "themes_by_wres.csv",
        shareable / "themes_wres_correlations.csv",
    ]
    written += write_crossref_charts(table, correlations, shareable / "charts")
    echo(
        f"    {len(indicators)} indicator rows; themes x WRES across "
        f"{int(correlations['organisations'].max())} organisations:"
    )
    for row in correlations.itertuples():
        echo(
            f"      {row.code} ~ indicator {row.indicator}: r = {row.pearson_r:+.2f} "
            f"[{row.ci_low:+.2f}, {row.ci_high:+.2f}]"
        )

    echo("6/7 quote bank: typical, diverse, re-scanned quotes per code")
    bank = build_quote_bank(
        coded.segments, codebook, coder.embedder, per_code=4, anonymiser=anonymiser
    )
    write_docx(bank, codebook, shareable / "quote_bank.docx")
    write_markdown(bank, codebook, shareable / "quote_bank.md")
    write_csv(bank, output_dir / "quote_bank_all.csv")
    written += [
        shareable / "quote_bank.docx",
        shareable / "quote_bank.md",
        output_dir / "quote_bank_all.csv",
    ]
    flagged = int((bank.quotes["flags"] != "").sum())
    echo(
        f"    {len(bank.quotes)} quotes for {bank.quotes['code'].nunique()} codes; {flagged} "
        "flagged by the safety re-scan and left out of the Word file"
    )

    gold_path = data_dir / "gold" / "annotations.jsonl"
    echo("7/7 evaluate the anonymiser on the synthetic gold annotations")
    metrics, _ = evaluate_anonymiser(load_gold(gold_path), anonymiser)
    write_table(metrics, output_dir / "anonymiser_evaluation.csv")
    written.append(output_dir / "anonymiser_evaluation.csv")
    overall = metrics.set_index("group").loc["all identifiers"]
    keep = metrics.set_index("group_kind").loc["keep_rate", "recall"]
    worst = metrics[metrics["group_kind"] == "name_origin"].sort_values("recall").iloc[0]
    echo(
        f"    identifier recall {overall['recall']:.4f}, precision {overall['precision']:.4f}, "
        f"keep rate {keep:.4f}; lowest name-origin recall {worst['recall']:.4f} "
        f"({worst['group']})"
    )
    echo(f"shareable outputs: {shareable}\nSENSITIVE review pack: {review}")
    return written
