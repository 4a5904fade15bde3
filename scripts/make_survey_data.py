"""Write data/cmh-survey-2025/*.csv: the national survey table the benchmark report is built from.

Leicestershire Partnership NHS Trust (RT5) carries every figure the 2025 benchmark report
publishes for it (../shared/reference/community-mental-health-survey-benchmark-2025.txt);
where the report gives only rounded figures, or none, the values below are chosen to be
consistent with everything it publishes (data/cmh-survey-2025/README.md lists which). The
other 49 trusts are synthetic, made deterministically (fixed seed) so that each question's
national average, lowest and highest score — computed from the table, over the trusts with
at least 30 respondents — round to the published figures.

Run: python scripts/make_survey_data.py   (rewrites the CSV files; the output is stable)
"""

from __future__ import annotations

import csv
import random
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "data" / "cmh-survey-2025"
YEAR = 2025
SEED = 20250401
SYNTHETIC = [f"SYN{n:02d}" for n in range(1, 50)]
ALL_SUPPRESSED = "SYN49"  # a trust where fewer than 30 people answered every question

SECTIONS = {
    1: "Support while waiting",
    2: "Mental health team",
    3: "Your care",
    4: "Medication",
    5: "Psychological therapies",
    6: "Crisis care support",
    7: "Crisis care access",
    8: "Support with other areas of life",
    9: "Support in accessing care",
    10: "Respect, dignity and compassion",
    11: "Overall experience",
    12: "Feedback",
}

# question: section, text, comparable since (None: new or changed in 2025), text given by the reference?
QUESTIONS = {
    "Q6": (
        1,
        "While waiting, between your assessment with the NHS mental health team and your first appointment for treatment, were you offered support with your mental health?",
        2023,
        True,
    ),
    "Q7": (1, "Was the support offered appropriate for your mental health needs?", 2023, True),
    "Q8": (2, "Were you given enough time to discuss your needs and treatment?", 2023, False),
    "Q9": (2, "Did you feel your NHS mental health team listened to what you had to say?", 2024, True),
    "Q10": (2, "Did you get the help you needed?", 2023, True),
    "Q11": (
        2,
        "Did your NHS mental health team consider how areas of your life impact your mental health?",
        2023,
        True,
    ),
    "Q12": (2, "Have you been given a written copy of your care plan?", 2023, False),
    "Q13": (
        2,
        "Did your mental health team tell you who to contact if you had any questions or concerns about your care or treatment?",
        None,
        True,
    ),
    "Q14": (
        3,
        "Have you agreed with someone from your NHS mental health team what care you will receive?",
        2024,
        False,
    ),
    "Q15": (3, "Were you involved as much as you wanted to be in agreeing what care you will receive?", None, False),
    "Q16": (3, "Has your NHS mental health team checked how you are getting on with your care?", 2023, False),
    "Q18": (
        3,
        "Has your NHS mental health team supported you to make decisions about your care and treatment?",
        2023,
        True,
    ),
    "Q19": (3, "Have you been given a diagnosis for your mental health?", None, True),
    "Q21_1": (
        4,
        "Have any of the following been discussed with you about your medication? Purpose of medication",
        None,
        False,
    ),
    "Q21_2": (
        4,
        "Have any of the following been discussed with you about your medication? Benefits of medication",
        None,
        True,
    ),
    "Q21_3": (
        4,
        "Have any of the following been discussed with you about your medication? Side effects of medication",
        None,
        True,
    ),
    "Q21_4": (
        4,
        "Have any of the following been discussed with you about your medication? What will happen if I stop taking my medication",
        None,
        True,
    ),
    "Q22": (4, "Has your NHS mental health team checked how you are getting on with your medication?", None, False),
    "Q25": (
        5,
        "Thinking about the last time you received therapy, did you have enough privacy to talk comfortably?",
        2024,
        True,
    ),
    "Q29": (
        6,
        "Thinking about the last time you contacted NHS mental health crisis support, did you get the help you needed?",
        None,
        True,
    ),
    "Q30": (
        6,
        "Did the NHS mental health team give your family or carer information or support whilst you were in crisis?",
        None,
        True,
    ),
    "Q26": (7, "Would you know who to contact out of office hours within the NHS if you had a crisis?", 2023, True),
    "Q27": (7, "Were you able to get through to NHS mental health crisis support when you needed to?", None, False),
    "Q28": (
        7,
        "Thinking about the last time you contacted NHS mental health crisis support, how did you feel about the length of time it took you to get through to someone?",
        None,
        True,
    ),
    "Q31": (
        8,
        "Has your NHS mental health team given you help or advice with finding support for physical health needs?",
        2023,
        False,
    ),
    "Q32_1": (
        8,
        "Has your NHS mental health team given you help or advice with finding support for financial advice or benefits?",
        2023,
        False,
    ),
    "Q32_2": (
        8,
        "Has your NHS mental health team given you help or advice with finding support for finding or keeping work?",
        2023,
        False,
    ),
    "Q32_3": (
        8,
        "Has your NHS mental health team given you help or advice with finding support for finding or keeping accommodation?",
        None,
        False,
    ),
    "Q33": (
        8,
        "Have you been given information by the NHS mental health team about getting support from people who have experience of the same mental health needs as you?",
        2023,
        False,
    ),
    "Q34": (
        9,
        "Has your NHS mental health team asked if you need support to access your care and treatment?",
        2023,
        True,
    ),
    "Q37": (9, "Do you feel the support provided meets your needs?", None, True),
    "Q38": (10, "Do you feel you were treated with respect and dignity by the NHS mental health team?", 2023, False),
    "Q39": (10, "Do you feel the NHS mental health team treated you with compassion?", 2023, False),
    "Q40": (11, "Overall, how was your experience of using NHS mental health services?", 2023, False),
    "Q41": (
        12,
        "Aside from this questionnaire, in the last 12 months, have you been asked by the NHS mental health team to give your views on the quality of your care?",
        2023,
        False,
    ),
}

# LPT 2025: respondents, unrounded score, band, national average (unrounded target), lowest, highest.
# Published figures: see README.md; unrounded values are chosen to round to them.
LPT = {
    "Q6": (62, 6.4800, "about_same", 6.2800, 5.3, 7.5),
    "Q7": (37, 6.7200, "about_same", 7.1100, 5.7, 8.0),
    "Q8": (184, 7.0100, "about_same", 7.3600, 6.3, 8.2),
    "Q9": (182, 6.5200, "somewhat_worse", 7.2100, 6.4, 8.0),
    "Q10": (188, 6.2800, "somewhat_worse", 6.9600, 6.1, 7.8),
    "Q11": (178, 5.0200, "worse", 5.8800, 4.9, 6.9),
    "Q12": (172, 4.3700, "about_same", 4.6800, 3.9, 5.4),
    "Q13": (157, 8.0100, "about_same", 7.9900, 7.1, 8.8),
    "Q14": (156, 5.5100, "about_same", 5.8600, 4.8, 6.7),
    "Q15": (150, 6.0200, "about_same", 6.3900, 5.4, 7.3),
    "Q16": (138, 5.6200, "about_same", 5.9300, 4.9, 6.8),
    "Q18": (183, 5.8600, "somewhat_worse", 6.6100, 5.7, 7.4),
    "Q19": (176, 8.0300, "about_same", 8.0900, 7.2, 9.0),
    "Q21_1": (92, 7.4600, "about_same", 7.7800, 7.0, 8.6),
    "Q21_2": (90, 7.2600, "about_same", 7.3700, 6.4, 8.3),
    "Q21_3": (89, 4.9600, "somewhat_worse", 6.0300, 4.9, 7.0),
    "Q21_4": (81, 4.1600, "worse", 5.5900, 4.2, 7.1),
    "Q22": (86, 8.2600, "about_same", 8.4100, 7.3, 9.4),
    "Q25": (73, 8.9100, "about_same", 8.5200, 7.6, 9.3),
    "Q29": (48, 3.4200, "worse", 5.3100, 3.4, 6.7),
    "Q30": (39, 4.0000, "about_same", 4.4200, 2.4, 6.4),
    "Q26": (161, 8.1200, "about_same", 8.4200, 7.3, 9.1),
    "Q27": (45, 6.3800, "about_same", 6.8700, 5.6, 7.9),
    "Q28": (43, 4.4100, "about_same", 5.3800, 3.5, 7.4),
    "Q31": (106, 2.8200, "about_same", 3.2700, 2.1, 4.6),
    "Q32_1": (158, 3.3100, "about_same", 3.6300, 2.5, 4.9),
    "Q32_2": (101, 2.6100, "about_same", 3.0800, 1.9, 4.4),
    "Q32_3": (120, 3.6800, "about_same", 4.1200, 2.9, 5.3),
    "Q33": (139, 5.5800, "about_same", 5.9600, 4.9, 7.0),
    "Q34": (145, 3.3600, "much_worse", 4.6900, 3.4, 5.9),
    "Q37": (54, 4.2200, "about_same", 4.8800, 3.7, 6.3),
    "Q38": (187, 8.0300, "about_same", 8.3300, 7.5, 9.1),
    "Q39": (191, 7.1900, "about_same", 7.5400, 6.7, 8.4),
    "Q40": (191, 6.2900, "about_same", 6.8400, 6.1, 7.7),
    "Q41": (152, 2.5100, "about_same", 3.0300, 1.8, 4.7),
}
SECTION_BANDS = {
    1: "about_same",
    2: "somewhat_worse",
    3: "about_same",
    4: "about_same",
    5: "about_same",
    6: "somewhat_worse",
    7: "somewhat_worse",
    8: "about_same",
    9: "worse",
    10: "about_same",
    11: "about_same",
    12: "about_same",
}
# LPT's respondents in earlier years (the reference's change-over-time pages) and its score then.
EARLIER = {
    "Q6": ((2023, 86, 6.3), (2024, 60, 6.6)),
    "Q7": ((2023, 46, 6.9), (2024, 41, 6.5)),
    "Q8": ((2023, 237, 7.2), (2024, 175, 7.1)),
    "Q9": ((2024, 176, 6.7),),
    "Q10": ((2023, 245, 6.5), (2024, 179, 6.6)),
    "Q11": ((2023, 233, 5.4), (2024, 171, 5.8)),
    "Q12": ((2023, 232, 4.5), (2024, 170, 4.6)),
    "Q14": ((2024, 148, 5.6),),
    "Q16": ((2023, 184, 5.8), (2024, 121, 5.7)),
    "Q18": ((2023, 229, 6.1), (2024, 166, 6.0)),
    "Q25": ((2024, 61, 8.8),),
    "Q26": ((2023, 226, 8.3), (2024, 160, 8.2)),
    "Q31": ((2023, 147, 3.0), (2024, 118, 3.1)),
    "Q32_1": ((2023, 201, 3.5), (2024, 140, 3.4)),
    "Q32_2": ((2023, 135, 2.8), (2024, 93, 2.7)),
    "Q33": ((2023, 179, 5.7), (2024, 113, 5.5)),
    "Q34": ((2023, 196, 3.8), (2024, 136, 4.2)),
    "Q38": ((2023, 242, 8.1), (2024, 176, 8.2)),
    "Q39": ((2023, 239, 7.3), (2024, 178, 7.2)),
    "Q40": ((2023, 239, 6.5), (2024, 177, 6.4)),
    "Q41": ((2023, 209, 2.7), (2024, 152, 2.6)),
}
DECREASES = {"Q11", "Q34"}  # "Significant change 2025 vs 2024: Decrease"


def half_up(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def spread(rng: random.Random, n: int, low: float, high: float, mean: float, fixed: list[float]) -> list[float]:
    """n values in [low, high] which, with ``fixed``, have exactly ``mean`` (to 1e-9)."""
    values = [rng.uniform(low, high) for _ in range(n)]
    target = mean * (n + len(fixed)) - sum(fixed)
    for _ in range(200):
        gap = (target - sum(values)) / n
        if abs(gap) < 1e-12:
            break
        values = [min(high, max(low, v + gap)) for v in values]
    if abs(sum(values) - target) > 1e-6:
        raise SystemExit(f"cannot reach mean {mean} within [{low}, {high}]")
    return values


def band_for(diff: float) -> str:
    for limit, band in (
        (1.0, "much_better"),
        (0.6, "better"),
        (0.3, "somewhat_better"),
        (-0.3, "about_same"),
        (-0.6, "somewhat_worse"),
        (-1.0, "worse"),
    ):
        if diff >= limit:
            return band
    return "much_worse"


def main() -> None:
    rng = random.Random(SEED)
    rows: list[dict] = []
    suppressed = {(code, q) for code in SYNTHETIC[:-1] for q in QUESTIONS if rng.random() < 0.04}
    scores: dict[tuple[str, str], float] = {}
    for q, (respondents, score, band, average, low, high) in LPT.items():
        shown = [c for c in SYNTHETIC if c != ALL_SUPPRESSED and (c, q) not in suppressed]
        # The lowest and highest are trusts' own unrounded scores: pick them inside the rounding interval.
        low_u, high_u = low - 0.03, high + 0.03
        fixed = [score]
        if half_up(score) == Decimal(str(low)):
            low_u = score  # LPT is the lowest trust
        else:
            fixed.append(low_u)
        fixed.append(high_u)
        free = spread(rng, len(shown) - (len(fixed) - 1), low_u + 0.01, high_u - 0.01, average, fixed)
        values = fixed[1:] + free
        rng.shuffle(values)
        for code, value in zip(shown, values, strict=True):
            scores[(code, q)] = value
        for code in SYNTHETIC:
            if (code, q) not in scores:
                scores[(code, q)] = rng.uniform(low, high)  # suppressed: not counted anywhere
        for code in SYNTHETIC:
            n = rng.randint(8, 29) if code == ALL_SUPPRESSED or (code, q) in suppressed else rng.randint(40, 260)
            diff = scores[(code, q)] - average
            rows.append(
                _row(
                    code,
                    YEAR,
                    q,
                    n,
                    scores[(code, q)],
                    band_for(diff) if n >= 30 else "",
                    _change(rng, q),
                    _change(rng, q),
                )
            )
        rows.append(
            _row(
                "RT5",
                YEAR,
                q,
                respondents,
                score,
                band,
                *(("decrease" if q in DECREASES else "no_change", "no_change") if QUESTIONS[q][2] else ("", "")),
            )
        )
        if QUESTIONS[q][2] == 2024:
            rows[-1]["change_vs_2023"] = ""
        for year, n, earlier in EARLIER.get(q, ()):
            rows.append(_row("RT5", year, q, n, earlier + 0.01, "", "", ""))
            for code in SYNTHETIC:
                if QUESTIONS[q][2] and year >= QUESTIONS[q][2]:
                    rows.append(
                        _row(
                            code,
                            year,
                            q,
                            rng.randint(30, 260),
                            min(10.0, max(0.0, scores[(code, q)] + rng.uniform(-0.4, 0.4))),
                            "",
                            "",
                            "",
                        )
                    )
    rows.sort(
        key=lambda r: (
            r["trust_code"] != "RT5",
            r["trust_code"],
            -int(r["year"]),
            list(QUESTIONS).index(r["question_id"]),
        )
    )
    _write("national-results.csv", rows)
    _write(
        "questions.csv",
        [
            {
                "section_number": s,
                "section": SECTIONS[s],
                "question_id": q,
                "question_text": text,
                "comparable_from": since or "",
            }
            for q, (s, text, since, _given) in QUESTIONS.items()
        ],
    )
    bands = [{"trust_code": "RT5", "year": YEAR, "section_number": s, "band": b} for s, b in SECTION_BANDS.items()]
    for code in SYNTHETIC:
        for s in SECTIONS:
            ids = [q for q in QUESTIONS if QUESTIONS[q][0] == s]
            if code == ALL_SUPPRESSED or any((code, q) in suppressed for q in ids):
                continue
            diff = sum(scores[(code, q)] - LPT[q][3] for q in ids) / len(ids)
            bands.append({"trust_code": code, "year": YEAR, "section_number": s, "band": band_for(diff)})
    _write("section-bands.csv", bands)
    trusts = [
        {
            "trust_code": "RT5",
            "trust_name": "Leicestershire Partnership NHS Trust",
            "synthetic": "false",
            "contact": "the Patient Experience and Involvement team",
            "phone": "0116 295 0903",
            "email": "lpt.patientinformation@nhs.net",
            "invited": 1500,
            "completed": 200,
            "response_rate": 14,
            "previous_response_rate": 15,
        }
    ]
    for index, code in enumerate(SYNTHETIC, 1):
        invited = rng.choice([1250, 1300, 1350, 1400, 1450, 1500])
        completed = 60 if code == ALL_SUPPRESSED else rng.randint(150, 330)
        trusts.append(
            {
                "trust_code": code,
                "trust_name": f"Synthetic Trust {index:02d}",
                "synthetic": "true",
                "contact": f"the survey lead of Synthetic Trust {index:02d}",
                "phone": f"0113 496 0{index:03d}",
                "email": f"survey@synthetic-trust-{index:02d}.example",
                "invited": invited,
                "completed": completed,
                "response_rate": round(100 * completed / invited),
                "previous_response_rate": rng.randint(12, 24),
            }
        )
    _write("trusts.csv", trusts)


def _change(rng: random.Random, q: str) -> str:
    if not QUESTIONS[q][2]:
        return ""
    return rng.choices(["no_change", "increase", "decrease"], [8, 1, 1])[0]


def _row(code, year, q, respondents, score, band, vs_2024, vs_2023) -> dict:
    synthetic = code != "RT5"
    name = "Leicestershire Partnership NHS Trust" if not synthetic else f"Synthetic Trust {code[3:]}"
    return {
        "trust_code": code,
        "trust_name": name,
        "synthetic": "true" if synthetic else "false",
        "year": year,
        "question_id": q,
        "respondents": respondents,
        "score": f"{score:.6f}",
        "band": band,
        "change_vs_2024": vs_2024 if year == YEAR else "",
        "change_vs_2023": vs_2023 if year == YEAR else "",
    }


def _write(name: str, rows: list[dict]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / name, "w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()
