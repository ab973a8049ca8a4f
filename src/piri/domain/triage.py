"""The symptom check's engine: red flags first, then which buttock-pain pattern fits.

Education, never a diagnosis: the result names patterns the answers resemble,
with the answers for and against each, and says what to do next. Pure logic:
it takes validated answers and the rules, and returns plain data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from piri.content.check_models import (
    AnswerValue,
    CheckRules,
    Clue,
    Likelihood,
    Pattern,
    Urgency,
)
from piri.domain.answers import Answers, evaluate

# What to do first, by urgency: every result above self-care starts with it.
ACTION_NOW = {
    Urgency.EMERGENCY: "Go to an emergency department now.",
    Urgency.URGENT: "Get seen by a doctor today.",
    Urgency.SOON: "Book an appointment with a doctor or physiotherapist within the next few days.",
}
NO_EXERCISE_UNTIL_SEEN = (
    "Do not start the exercises or run until a professional has seen you; they can wait."
)
STOP_RUNNING_UNTIL_SEEN = (
    "Stop running until a doctor has seen you; walking is fine if it does not hurt."
)
# Red flags after which running must stop until a doctor has looked (bone stress).
STOP_RUNNING_FLAGS = frozenset(
    {"previous-pelvic-bone-stress-injury", "suspected-pelvic-or-sacral-stress-injury"}
)
NO_PATTERN_FITS = (
    "Your answers do not clearly fit one pattern. Try the gentle relief routine if it feels "
    "right, and have it assessed by a physiotherapist if it is no better in 4 to 6 weeks."
)
NOT_A_DIAGNOSIS = (
    "This is education, not a diagnosis: only an examination by a professional can tell "
    "what is causing your pain."
)


@dataclass(frozen=True)
class RaisedFlag:
    id: str
    urgency: Urgency
    title: str
    advice: str
    answers: dict[str, AnswerValue]  # the answers that raised it


@dataclass(frozen=True)
class Reason:
    reason: str
    weight: int
    answers: dict[str, AnswerValue]


@dataclass(frozen=True)
class PatternResult:
    id: str
    name: str
    summary: str
    likelihood: Likelihood
    score: int
    reasons_for: list[Reason]
    reasons_against: list[Reason]
    learn_more: str | None


@dataclass(frozen=True)
class CheckResult:
    urgency: Urgency
    red_flags: list[RaisedFlag]
    patterns: list[PatternResult]  # most likely first; every pattern is listed
    next_steps: list[str]
    routine: str | None  # the guided routine that fits; never one when urgent or an emergency
    phase: str | None  # the program phase that fits, on the same terms
    avoid: list[str] = field(default_factory=list)

    @property
    def top_pattern(self) -> PatternResult | None:
        first = self.patterns[0] if self.patterns else None
        return first if first and first.likelihood is not Likelihood.UNLIKELY else None


def check(answers: Answers, rules: CheckRules) -> CheckResult:
    """Evaluate validated answers: red flags, then patterns, then what to do next."""
    flags = raised_flags(answers, rules)
    patterns = score_patterns(answers, rules)
    top = patterns[0] if patterns and patterns[0].likelihood is not Likelihood.UNLIKELY else None
    top_rule = next((p for p in rules.patterns if top and p.id == top.id), None)
    urgencies = [flag.urgency for flag in flags]
    if top_rule is not None and top_rule.urgency_if_it_fits is not None:
        urgencies.append(top_rule.urgency_if_it_fits)
    urgency = max(urgencies, key=lambda u: u.rank, default=Urgency.SELF_CARE)
    steps, routine, avoid = _next_steps(urgency, flags, top_rule)
    phase: str | None = (
        None  # exercises and a phase go together: none when exercises are not offered
    )
    if routine is not None:
        chosen = top_rule.next_steps.phase if top_rule is not None else None
        phase = chosen.value if chosen is not None else "settle"
    return CheckResult(
        urgency=urgency,
        red_flags=flags,
        patterns=patterns,
        next_steps=steps,
        routine=routine,
        phase=phase,
        avoid=avoid,
    )


def raised_flags(answers: Answers, rules: CheckRules) -> list[RaisedFlag]:
    """Every red flag the answers raise, most urgent first."""
    raised = []
    for flag in rules.red_flags:
        match = evaluate(flag.when, answers)
        if match.holds:
            raised.append(
                RaisedFlag(flag.id, flag.urgency, flag.title, flag.advice, dict(match.because))
            )
    return sorted(raised, key=lambda f: -f.urgency.rank)


def score_patterns(answers: Answers, rules: CheckRules) -> list[PatternResult]:
    """Every pattern with its score and band, best first (ties keep the rules' priority order)."""
    results = [_score(pattern, answers) for pattern in rules.patterns]
    return sorted(results, key=lambda r: -r.score)


def _score(pattern: Pattern, answers: Answers) -> PatternResult:
    reasons_for = _reasons(pattern.clues_for, answers)
    reasons_against = _reasons(pattern.clues_against, answers)
    score = sum(r.weight for r in reasons_for) - sum(r.weight for r in reasons_against)
    if score >= pattern.likely_from:
        likelihood = Likelihood.LIKELY
    elif score >= pattern.possible_from:
        likelihood = Likelihood.POSSIBLE
    else:
        likelihood = Likelihood.UNLIKELY
    return PatternResult(
        id=pattern.id,
        name=pattern.name,
        summary=pattern.summary,
        likelihood=likelihood,
        score=score,
        reasons_for=reasons_for,
        reasons_against=reasons_against,
        learn_more=pattern.learn_more,
    )


def _reasons(clues: list[Clue], answers: Answers) -> list[Reason]:
    reasons = []
    for clue in clues:
        match = evaluate(clue.when, answers)
        if match.holds:
            reasons.append(Reason(clue.reason, clue.weight, dict(match.because)))
    return reasons


def _next_steps(
    urgency: Urgency, flags: list[RaisedFlag], top: Pattern | None
) -> tuple[list[str], str | None, list[str]]:
    """What to do, first thing first. Above self-care it starts with the action and its reason."""
    if urgency in (Urgency.EMERGENCY, Urgency.URGENT):
        steps = [ACTION_NOW[urgency], *_advice_of(flags, urgency), NO_EXERCISE_UNTIL_SEEN]
        return [*steps, NOT_A_DIAGNOSIS], None, []
    if urgency is Urgency.SOON:
        steps = [ACTION_NOW[urgency], *_advice_of(flags, urgency)]
        if top is not None and top.urgency_if_it_fits is not None:
            steps.append(f"{top.name}: {top.next_steps.do}")
        if any(flag.id in STOP_RUNNING_FLAGS for flag in flags) or (
            top is not None and top.urgency_if_it_fits is not None
        ):
            return [*steps, STOP_RUNNING_UNTIL_SEEN, NOT_A_DIAGNOSIS], None, []
        if top is None:
            return [*steps, NOT_A_DIAGNOSIS], None, []
        meanwhile = f"Until then: {_lower_first(top.next_steps.do)}"
        return (
            [*steps, meanwhile, NOT_A_DIAGNOSIS],
            top.next_steps.routine,
            list(top.next_steps.avoid),
        )
    if top is None:
        return [NO_PATTERN_FITS, NOT_A_DIAGNOSIS], "relief", []
    steps = [top.next_steps.do, f"When to get help: {_lower_first(top.next_steps.see)}"]
    return [*steps, NOT_A_DIAGNOSIS], top.next_steps.routine, list(top.next_steps.avoid)


def _advice_of(flags: list[RaisedFlag], urgency: Urgency) -> list[str]:
    """The reasons behind the action: the advice of each flag at that urgency."""
    return [f"{flag.title}: {flag.advice}" for flag in flags if flag.urgency is urgency]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
