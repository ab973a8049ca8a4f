"""The gait check's report: each figure with its value, uncertainty, typical range and sources,
a verdict in plain words that never claims more than the clip carries, advice, and when to see
a professional.

A verdict is given only when the whole uncertainty band lies on one side of a cited limit;
otherwise it is "uncertain". Figures without an agreed range are shown for comparison only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from piri.domain.gait_evidence import (
    ASYMMETRY_NOTABLE_DEG,
    CADENCE_LOW_END,
    CADENCE_RAISE,
    CADENCE_RAISE_PCT,
    CADENCE_TYPICAL,
    FORM_CHANGE_CAVEAT,
    HIP_ABDUCTOR_EXERCISE_IDS,
    HIP_ABDUCTOR_WORK,
    KNEE_VALGUS_NOTE,
    OVERSTRIDE_NOTE,
    PELVIC_DROP_TYPICAL,
    SEE_A_PROFESSIONAL,
    SEE_A_PROFESSIONAL_PAGE_ID,
    TRUNK_LEAN_NOTE,
    WALKING_CADENCE_MAX,
    Citation,
    CitedNote,
    CitedRange,
)
from piri.domain.gait_measure import Measure, Side
from piri.domain.gait_quality import QualityIssue, View
from piri.domain.gait_rear import RearAnalysis
from piri.domain.gait_side import SideAnalysis


class Verdict(StrEnum):
    IN_RANGE = "in_range"
    BELOW = "below"
    ABOVE = "above"
    UNCERTAIN = "uncertain"  # the uncertainty straddles a limit, or the clip cannot carry one
    NO_RANGE = "no_range"  # the evidence gives no typical value: for comparison only


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: float
    uncertainty: float
    unit: str
    verdict: Verdict
    says: str  # the verdict in plain words
    typical: CitedRange | None = None
    evidence: CitedNote | None = None


@dataclass(frozen=True)
class Advice:
    text: str
    sources: tuple[Citation, ...]
    exercise_ids: tuple[str, ...] = ()
    metronome_bpm: tuple[int, int] | None = None  # a target 5% and 10% above today's cadence


@dataclass(frozen=True)
class GaitReport:
    view: View
    film_again: bool
    reasons: tuple[str, ...]  # why to film again (blocking problems)
    warnings: tuple[str, ...]  # problems that limit some figures
    figures: tuple[Figure, ...]
    advice: tuple[Advice, ...]
    see_a_professional: str = SEE_A_PROFESSIONAL
    see_a_professional_page: str = SEE_A_PROFESSIONAL_PAGE_ID


def judge(value: float, uncertainty: float, typical: CitedRange) -> Verdict:
    """Below, in or above the range only when the whole band value ± uncertainty is."""
    low = typical.low if typical.low is not None else float("-inf")
    high = typical.high if typical.high is not None else float("inf")
    if value + uncertainty < low:
        return Verdict.BELOW
    if value - uncertainty > high:
        return Verdict.ABOVE
    if low <= value - uncertainty and value + uncertainty <= high:
        return Verdict.IN_RANGE
    return Verdict.UNCERTAIN


def side_report(analysis: SideAnalysis) -> GaitReport:
    figures: list[Figure] = []
    advice: list[Advice] = []
    cadence = analysis.cadence
    if cadence is not None and cadence.steps_per_min is not None and cadence.uncertainty:
        figure = cadence_figure(cadence.steps_per_min, cadence.uncertainty)
        figures.append(figure)
        advice.extend(cadence_advice(figure))
    for leg in analysis.legs:
        name = f"{leg.side.value} leg"
        figures.append(
            _compare_only(
                f"overstride_{leg.side.value}",
                f"Foot ahead of the hip at landing, {name}",
                leg.overstride,
                "leg lengths",
                OVERSTRIDE_NOTE,
                digits=2,
            )
        )
        figures.append(
            _compare_only(
                f"shank_angle_{leg.side.value}",
                f"Shin angle from vertical at landing, {name}",
                leg.shank_angle_deg,
                "°",
                OVERSTRIDE_NOTE,
            )
        )
    if analysis.trunk_lean_deg is not None and analysis.legs:
        figures.append(
            _compare_only(
                "trunk_lean",
                "Forward lean of the trunk",
                analysis.trunk_lean_deg,
                "°",
                TRUNK_LEAN_NOTE,
            )
        )
    return _report(View.SIDE, analysis.issues, figures, advice)


def rear_report(analysis: RearAnalysis, painful_side: Side | None = None) -> GaitReport:
    figures: list[Figure] = []
    advice: list[Advice] = []
    cadence = analysis.cadence
    if cadence is not None and cadence.steps_per_min is not None and cadence.uncertainty:
        figure = cadence_figure(cadence.steps_per_min, cadence.uncertainty)
        figures.append(figure)
        advice.extend(cadence_advice(figure))
    drops: dict[Side, Figure] = {}
    for leg in analysis.legs:
        drops[leg.side] = pelvic_drop_figure(leg.side, leg.pelvic_drop_deg, analysis.no_verdict)
        figures.append(drops[leg.side])
        figures.append(
            _compare_only(
                f"knee_valgus_{leg.side.value}",
                f"Knee inward of the hip-ankle line, standing on the {leg.side.value} leg",
                leg.knee_valgus_deg,
                "°",
                KNEE_VALGUS_NOTE,
            )
        )
    if analysis.drop_asymmetry_deg is not None:
        figures.append(asymmetry_figure(analysis.drop_asymmetry_deg, analysis.no_verdict))
    advice.extend(hip_abductor_advice(drops, painful_side))
    return _report(View.REAR, analysis.issues, figures, advice)


def cadence_figure(steps_per_min: float, uncertainty: float) -> Figure:
    if steps_per_min < WALKING_CADENCE_MAX:
        return Figure(
            "cadence",
            "Cadence",
            steps_per_min,
            uncertainty,
            "steps/min",
            Verdict.NO_RANGE,
            f"{steps_per_min:.0f} steps a minute looks like walking, so the running ranges do "
            "not apply. Film at your usual easy running pace.",
            typical=CADENCE_TYPICAL,
        )
    verdict = judge(steps_per_min, uncertainty, CADENCE_TYPICAL)
    says = {
        Verdict.BELOW: "Below the range most runners fall in, about 160 to 210 steps a minute.",
        Verdict.ABOVE: "Above the range most runners fall in, about 160 to 210 steps a minute.",
        Verdict.IN_RANGE: "Within the range most runners fall in, about 160 to 210 steps a minute.",
        Verdict.UNCERTAIN: "At the edge of the usual range of about 160 to 210 steps a minute; "
        "this clip cannot say which side.",
    }[verdict]
    if verdict is not Verdict.BELOW and steps_per_min < 170:
        says += " " + CADENCE_LOW_END.text
    return Figure(
        "cadence",
        "Cadence",
        steps_per_min,
        uncertainty,
        "steps/min",
        verdict,
        says,
        typical=CADENCE_TYPICAL,
        evidence=CADENCE_LOW_END if steps_per_min < 170 else None,
    )


def cadence_advice(figure: Figure) -> list[Advice]:
    """A cadence below the range: a target 5-10% higher, as a metronome tempo."""
    if figure.verdict is not Verdict.BELOW:
        return []
    low_pct, high_pct = CADENCE_RAISE_PCT
    low = round(figure.value * (1 + low_pct / 100))
    high = round(figure.value * (1 + high_pct / 100))
    return [
        Advice(
            f"Try a cadence of {low} to {high} steps a minute ({low_pct:.0f}-{high_pct:.0f}% "
            f"more than today's {figure.value:.0f}) at your usual easy pace: set a metronome "
            f"app to {low} beats a minute and land one foot on each beat, for a few minutes "
            f"at a time at first, then build up. Only move towards {high} once {low} feels "
            "natural. " + CADENCE_RAISE.text,
            CADENCE_RAISE.sources + FORM_CHANGE_CAVEAT.sources,
            metronome_bpm=(low, high),
        )
    ]


def pelvic_drop_figure(side: Side, measure: Measure, no_verdict: Sequence[QualityIssue]) -> Figure:
    if no_verdict:
        verdict = Verdict.UNCERTAIN
        says = "This clip cannot judge pelvic drop: " + " ".join(i.message for i in no_verdict)
    else:
        verdict = judge(measure.value, measure.uncertainty, PELVIC_DROP_TYPICAL)
        says = {
            Verdict.IN_RANGE: "Under the about 5° one clinic calls normal.",
            Verdict.ABOVE: "More than the about 5° one clinic calls normal, in this clip. Hip "
            "muscles that tire or lack strength are one possible reason, not the only one.",
            Verdict.UNCERTAIN: "Close to the about 5° one clinic calls normal: within this "
            "clip's uncertainty, so it cannot say which side.",
            Verdict.BELOW: "Under the about 5° one clinic calls normal.",
        }[verdict]
    return Figure(
        f"pelvic_drop_{side.value}",
        f"Pelvic drop standing on the {side.value} leg (the {side.other.value} hip drops)",
        measure.value,
        measure.uncertainty,
        "°",
        verdict,
        says,
        typical=PELVIC_DROP_TYPICAL,
    )


def asymmetry_figure(measure: Measure, no_verdict: Sequence[QualityIssue]) -> Figure:
    bigger = Side.LEFT if measure.value > 0 else Side.RIGHT
    if no_verdict:
        says = "This clip cannot compare the two sides reliably (see above)."
    elif abs(measure.value) - measure.uncertainty > ASYMMETRY_NOTABLE_DEG:
        says = f"The pelvis drops more when you stand on the {bigger.value} leg."
    elif abs(measure.value) + measure.uncertainty < ASYMMETRY_NOTABLE_DEG:
        says = "The two sides are alike, within this clip's uncertainty."
    else:
        says = (
            f"The pelvis dropped more standing on the {bigger.value} leg in this clip, but the "
            "difference is within its uncertainty (a slightly tilted phone looks the same)."
        )
    return Figure(
        "pelvic_drop_asymmetry",
        "Pelvic drop, left stance minus right stance",
        measure.value,
        measure.uncertainty,
        "°",
        Verdict.NO_RANGE,
        says,
        evidence=CitedNote(PELVIC_DROP_TYPICAL.note, PELVIC_DROP_TYPICAL.sources),
    )


def hip_abductor_advice(drops: dict[Side, Figure], painful_side: Side | None) -> list[Advice]:
    """A large drop standing on the painful leg (or on either, when the side is not known):
    hip-abductor work from the library."""
    sides = [painful_side] if painful_side is not None else list(Side)
    large = [s for s in sides if s in drops and drops[s].verdict is Verdict.ABOVE]
    if not large:
        return []
    where = " and ".join(s.value for s in large)
    return [
        Advice(
            f"The pelvis dropped more than usual while you stood on the {where} leg. "
            + HIP_ABDUCTOR_WORK.text
            + " "
            + FORM_CHANGE_CAVEAT.text,
            HIP_ABDUCTOR_WORK.sources + FORM_CHANGE_CAVEAT.sources,
            exercise_ids=HIP_ABDUCTOR_EXERCISE_IDS,
        )
    ]


def _compare_only(
    key: str, label: str, measure: Measure, unit: str, note: CitedNote, digits: int = 1
) -> Figure:
    return Figure(
        key,
        label,
        measure.value,
        measure.uncertainty,
        unit,
        Verdict.NO_RANGE,
        f"{measure.value:.{digits}f} ± {measure.uncertainty:.{digits}f} {unit}, for comparing "
        "your own clips over time: there is no agreed normal value.",
        evidence=note,
    )


def _report(
    view: View,
    issues: Sequence[QualityIssue],
    figures: list[Figure],
    advice: list[Advice],
) -> GaitReport:
    reasons = tuple(i.message for i in issues if i.blocking)
    return GaitReport(
        view=view,
        film_again=bool(reasons),
        reasons=reasons,
        warnings=tuple(i.message for i in issues if not i.blocking),
        figures=() if reasons else tuple(figures),
        advice=() if reasons else tuple(advice),
    )
