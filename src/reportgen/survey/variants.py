"""Variants: publications whose pages are computed from a data table, once per variant.

The survey benchmark report is written once and built for every trust of the national
table. This stage takes a validated publication and the variant asked for (``{"trust":
"RT5"}``) and returns a :class:`Variant`: its name (for file names), the edition with the
variant's title, and the template variables computed from the data. A publication without
a dataset has one variant, :data:`NONE`, which changes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportgen.content.load import RawReport, display_path
from reportgen.errors import InputError
from reportgen.survey import Variant

if TYPE_CHECKING:  # the model is loaded only when a publication is: a build with nothing to do never is
    from reportgen.content.model import Report


NONE = Variant()
AXES = ("trust",)


def prepare_variant(report: Report, raw: RawReport, variant: dict[str, str] | None) -> Variant:
    """The variant of ``report`` asked for; the publication's default one when none is asked."""
    source = display_path(raw.source)
    unknown = [axis for axis in variant or {} if axis not in AXES]
    if unknown:
        raise InputError.single(source, f"cannot build for each '{unknown[0]}' — choose from: {', '.join(AXES)}")
    if report.survey is None:
        if variant:
            axis = next(iter(variant))
            raise InputError.single(
                source,
                f"this publication has no data table to build for each {axis} — "
                "--for-each works with publications that declare survey: data",
            )
        return NONE
    from reportgen.survey.view import survey_variant  # pandas and the charts: only for a survey report

    return survey_variant(report, raw, (variant or {}).get("trust"))


def default_variant_name(report: Report) -> str | None:
    """The variant a plain build makes (file names carry it): the survey report's own trust."""
    return report.survey.trust if report.survey is not None else None


def variant_values(report: Report, raw: RawReport, axis: str) -> list[str]:
    """Every value of ``axis`` in the publication's data, in the data's order."""
    source = display_path(raw.source)
    if axis not in AXES:
        raise InputError.single(source, f"cannot build for each '{axis}' — choose from: {', '.join(AXES)}")
    if report.survey is None:
        raise InputError.single(
            source,
            f"this publication has no data table to build for each {axis} — "
            "--for-each works with publications that declare survey: data",
        )
    from reportgen.survey.view import trust_codes  # pandas: only for a survey report

    return trust_codes(report, raw)
