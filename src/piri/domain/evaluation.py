"""How well the symptom check does on a set of clinical vignettes.

A vignette is a set of answers with the urgency and top pattern a clinician
expects. The figures that matter most: red-flag sensitivity (no vignette that
needs care may be sent to self-care or a lower tier) and top-pattern accuracy.
"""

from __future__ import annotations

from dataclasses import dataclass

from piri.content.check_models import Urgency

NO_PATTERN = "none"


@dataclass(frozen=True)
class VignetteOutcome:
    name: str
    expected_urgency: Urgency
    got_urgency: Urgency
    expected_pattern: str  # a pattern id, or "none"
    got_pattern: str

    @property
    def under_triaged(self) -> bool:
        return self.got_urgency.rank < self.expected_urgency.rank

    @property
    def urgency_right(self) -> bool:
        return self.got_urgency is self.expected_urgency

    @property
    def pattern_right(self) -> bool:
        return self.got_pattern == self.expected_pattern


@dataclass(frozen=True)
class Evaluation:
    outcomes: list[VignetteOutcome]

    def confusion(self) -> dict[Urgency, dict[Urgency, int]]:
        """Counts of expected urgency (rows) against the urgency the check gave (columns)."""
        table = {expected: dict.fromkeys(Urgency, 0) for expected in Urgency}
        for outcome in self.outcomes:
            table[outcome.expected_urgency][outcome.got_urgency] += 1
        return table

    @property
    def red_flag_cases(self) -> list[VignetteOutcome]:
        return [o for o in self.outcomes if o.expected_urgency is not Urgency.SELF_CARE]

    @property
    def red_flag_sensitivity(self) -> float | None:
        """Share of vignettes needing care that reached at least the expected urgency."""
        cases = self.red_flag_cases
        if not cases:
            return None
        return sum(not o.under_triaged for o in cases) / len(cases)

    @property
    def urgency_accuracy(self) -> float | None:
        return _share([o.urgency_right for o in self.outcomes])

    @property
    def pattern_accuracy(self) -> float | None:
        return _share([o.pattern_right for o in self.outcomes])

    @property
    def misses(self) -> list[VignetteOutcome]:
        return [o for o in self.outcomes if not (o.urgency_right and o.pattern_right)]


def _share(hits: list[bool]) -> float | None:
    return sum(hits) / len(hits) if hits else None
