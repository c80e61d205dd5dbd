"""Synthetic WRES returns for the thirty synthetic organisations, 2016-2024.

National totals follow the published trend (BME share of the workforce 17.7% in 2016 to
28.6% in 2024; boards 7.1% to 16.5%; shortlisting, disciplinary and training relative
likelihoods near the published national figures). The planted relationship the
cross-reference should recover: each organisation's climate multiplier (see
:mod:`lived_experience.synthetic.organisations`) raises the share of its ethnic minority
staff reporting harassment from the public (indicator 5), bullying from staff (6) and
discrimination (8), and lowers the share believing it offers equal opportunities (7) — the
same multiplier that makes its ethnic minority respondents write about those experiences.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lived_experience.synthetic.organisations import build_organisations

YEARS = tuple(range(2016, 2025))
_RR_SHORTLISTING = {
    2016: 1.57,
    2017: 1.60,
    2018: 1.45,
    2019: 1.46,
    2020: 1.61,
    2021: 1.61,
    2022: 1.54,
    2023: 1.59,
    2024: 1.55,
}
_RR_DISCIPLINARY = {
    2016: 1.56,
    2017: 1.37,
    2018: 1.24,
    2019: 1.22,
    2020: 1.16,
    2021: 1.14,
    2022: 1.14,
    2023: 1.09,
    2024: 1.03,
}
_RR_TRAINING = {
    2016: 1.11,
    2017: 1.22,
    2018: 1.15,
    2019: 1.15,
    2020: 1.14,
    2021: 1.14,
    2022: 1.12,
    2023: 1.10,
    2024: 1.09,
}
#: (staff group, band, share of headcount, BME over-/under-representation factor)
_BANDS = (
    ("non_clinical", "2", 0.08, 0.9),
    ("non_clinical", "3", 0.07, 0.9),
    ("non_clinical", "4", 0.05, 0.9),
    ("non_clinical", "5", 0.03, 0.8),
    ("non_clinical", "6", 0.02, 0.7),
    ("non_clinical", "7", 0.015, 0.6),
    ("non_clinical", "8a", 0.01, 0.5),
    ("non_clinical", "8b", 0.006, 0.4),
    ("non_clinical", "8c", 0.004, 0.35),
    ("non_clinical", "VSM", 0.002, 0.3),
    ("clinical_non_medical", "2", 0.04, 1.0),
    ("clinical_non_medical", "3", 0.08, 1.1),
    ("clinical_non_medical", "4", 0.03, 1.0),
    ("clinical_non_medical", "5", 0.20, 1.5),
    ("clinical_non_medical", "6", 0.13, 1.1),
    ("clinical_non_medical", "7", 0.09, 0.8),
    ("clinical_non_medical", "8a", 0.03, 0.6),
    ("clinical_non_medical", "8b", 0.01, 0.5),
    ("clinical_non_medical", "8c", 0.005, 0.4),
    ("clinical_non_medical", "8d", 0.003, 0.35),
    ("medical_dental", "consultant", 0.05, 1.3),
    ("medical_dental", "trainee", 0.06, 1.6),
    ("medical_dental", "non_consultant_career_grade", 0.02, 2.2),
)


@dataclass
class WresData:
    """The three WRES input tables."""

    returns: pd.DataFrame
    bands: pd.DataFrame
    survey: pd.DataFrame


def _national_share(year: int, start: float, end: float) -> float:
    return start + (end - start) * (year - YEARS[0]) / (YEARS[-1] - YEARS[0])


def synthetic_wres(seed: int = 2016, n_orgs: int = 30, years: tuple[int, ...] = YEARS) -> WresData:
    """Generate returns, bands and staff survey tables (deterministic for a seed)."""
    rng = np.random.default_rng(seed)
    orgs = build_organisations()[:n_orgs]
    mean_share = float(np.mean([o.minority_share for o in orgs]))
    returns, bands, survey = [], [], []
    for org in orgs:
        headcount = int(rng.integers(3000, 12000))
        board_voting = int(rng.integers(11, 16))
        board_exec = int(rng.integers(5, 9))
        board_factor = float(rng.uniform(0.4, 1.6))
        for year in years:
            share = min(0.8, org.minority_share / mean_share * _national_share(year, 0.177, 0.286))
            staff = int(headcount * (1 + 0.02 * (year - years[0])))
            bme = int(rng.binomial(staff, share))
            unknown = int(rng.binomial(staff - bme, 0.03))
            white = staff - bme - unknown
            short_w = int(rng.binomial(white, 0.08))
            short_b = int(rng.binomial(bme, 0.10))
            p_white = 0.25
            p_bme = p_white / (_RR_SHORTLISTING[year] * float(rng.lognormal(0, 0.1)))
            disc_w_rate = 0.006
            disc_b_rate = disc_w_rate * _RR_DISCIPLINARY[year] * float(rng.lognormal(0, 0.15))
            train_w = 0.45
            train_b = train_w / (_RR_TRAINING[year] * float(rng.lognormal(0, 0.05)))
            board_share = min(0.9, _national_share(year, 0.071, 0.165) * board_factor)
            voting_bme = int(rng.binomial(board_voting, board_share))
            exec_bme = int(rng.binomial(board_exec, board_share))
            returns.append(
                {
                    "org_code": org.code,
                    "org_name": org.name,
                    "year": year,
                    "headcount_white": white,
                    "headcount_bme": bme,
                    "headcount_unknown": unknown,
                    "shortlisted_white": short_w,
                    "shortlisted_bme": short_b,
                    "appointed_white": int(rng.binomial(short_w, p_white)),
                    "appointed_bme": int(rng.binomial(short_b, p_bme)),
                    "disciplinary_white": int(rng.binomial(white, disc_w_rate)),
                    "disciplinary_bme": int(rng.binomial(bme, min(disc_b_rate, 0.5))),
                    "training_white": int(rng.binomial(white, train_w)),
                    "training_bme": int(rng.binomial(bme, train_b)),
                    "board_voting_white": board_voting - voting_bme,
                    "board_voting_bme": voting_bme,
                    "board_voting_unknown": 0,
                    "board_exec_white": board_exec - exec_bme,
                    "board_exec_bme": exec_bme,
                    "board_exec_unknown": 0,
                }
            )
            weights = np.array([w for _, _, w, _ in _BANDS])
            counts = rng.multinomial(staff, weights / weights.sum())
            for (group, band, _, factor), n in zip(_BANDS, counts, strict=True):
                n_bme = int(rng.binomial(int(n), min(0.95, share * factor)))
                n_unknown = int(rng.binomial(int(n) - n_bme, 0.03))
                for ethnicity, count in (
                    ("white", int(n) - n_bme - n_unknown),
                    ("bme", n_bme),
                    ("unknown", n_unknown),
                ):
                    bands.append(
                        {
                            "org_code": org.code,
                            "year": year,
                            "staff_group": group,
                            "band": band,
                            "ethnicity": ethnicity,
                            "headcount": count,
                        }
                    )
            survey_year = year - 1
            climate = org.climate
            rates = {
                5: (0.27, 0.29 * climate["abuse_from_public"]),
                6: (0.24, 0.28 * climate["bullying_from_staff"]),
                7: (0.58, 0.45 - 0.15 * float(np.log(climate["career_progression"]))),
                8: (0.06, 0.15 * climate["discrimination_from_staff"]),
            }
            respondents_w = int(rng.binomial(white, 0.45))
            respondents_b = int(rng.binomial(bme, 0.40))
            for indicator, (rate_w, rate_b) in rates.items():
                for ethnicity, n, rate in (
                    ("white", respondents_w, rate_w),
                    ("bme", respondents_b, rate_b),
                ):
                    rate = float(np.clip(rate * rng.lognormal(0, 0.05), 0.01, 0.95))
                    survey.append(
                        {
                            "org_code": org.code,
                            "year": survey_year,
                            "indicator": indicator,
                            "ethnicity": ethnicity,
                            "respondents": n,
                            "positive": int(rng.binomial(n, rate)),
                        }
                    )
    return WresData(pd.DataFrame(returns), pd.DataFrame(bands), pd.DataFrame(survey))
