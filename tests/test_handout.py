"""``piri handout FILE.pdf``: the printable program, read back the way a person sees it.

The PDF is rasterised with poppler's ``pdftoppm`` (page 1 must not be blank) and its text
read with ``pdftotext``: the phase, every exercise of the week with its dose, the pain rules,
the warning signs and when to see a professional. After an urgent symptom check it holds no
exercise at all. WeasyPrint never fetches anything while rendering.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from piri.content.loader import library
from piri.content.models import Phase
from piri.domain.progression import PAIN_ACCEPTABLE_MAX, PAIN_SAFE_MAX
from piri.handout import render
from piri.handout.render import FetchRefusedError, pdf_from_html, render_html, render_pdf_pages
from piri.services import diary as diary_service
from piri.services.check import remember_result, run_check
from piri.services.diary import LOCAL_PERSON
from piri.services.handout import (
    NO_PLAN_YET,
    Handout,
    RunPlan,
    RunPlanCriterion,
    RunPlanStep,
    dose_words,
    handout_for,
)
from piri.services.program import update_profile
from piri.store import diary as diary_store
from piri.store import program as program_store
from piri.store.database import transaction
from tests.check_answers import typical_piriformis
from tests.conftest import PiriRunner

TODAY = dt.date.today()
POPPLER = ("pdftoppm", "pdftotext", "pdfinfo")


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def poppler() -> None:
    missing = [tool for tool in POPPLER if shutil.which(tool) is None]
    if missing:
        pytest.skip(
            f"skipped: {', '.join(missing)} not installed (poppler-utils; .ci/run installs it)"
        )


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The same PIRI_HOME as the ``piri`` fixture's subprocesses use."""
    folder = tmp_path / "home"
    monkeypatch.setenv("PIRI_HOME", str(folder))
    monkeypatch.delenv("PIRI_DATABASE_URL", raising=False)
    yield folder
    diary_service.close_engines()


def strengthening_runner(weeks_in: int = 1) -> None:
    """A runner with a profile, in week ``weeks_in`` of the strengthen phase."""
    update_profile(
        painful_side="left",
        equipment=frozenset({"chair", "mini_band"}),
        minutes_per_day=20,
        days_per_week=4,
    )
    since = TODAY - dt.timedelta(days=7 * (weeks_in - 1) + 2)
    with transaction(diary_service.store()) as session:
        owner = diary_store.person_id(session, LOCAL_PERSON)
        program_store.save_phase(session, owner, Phase.STRENGTHEN, since)


def pages_of(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    line = next(line for line in info.stdout.splitlines() if line.startswith("Pages:"))
    return int(line.split()[1])


def text_of(pdf: Path) -> str:
    found = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    return found.stdout


def page_text(pdf: Path, page: int) -> str:
    found = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return found.stdout


def grey_pixels(pdf: Path, page: int, folder: Path) -> tuple[int, int, bytes]:
    """Page ``page`` rasterised by pdftoppm as a greyscale PGM: width, height, pixels."""
    prefix = folder / f"page{page}"
    subprocess.run(
        ["pdftoppm", "-gray", "-r", "40", "-f", str(page), "-l", str(page), str(pdf), str(prefix)],
        check=True,
    )
    (image,) = folder.glob(f"page{page}*.pgm")
    data = image.read_bytes()
    # P5 <width> <height> <maxval> then one byte per pixel.
    magic, width, height, maxval, pixels = data.split(maxsplit=4)
    assert magic == b"P5" and maxval == b"255"
    return int(width), int(height), pixels[: int(width) * int(height)]


def write_pdf(handout: Handout, path: Path) -> Path:
    pdf, _pages = render_pdf_pages(handout)
    path.write_bytes(pdf)
    return path


# --- the program, as printed -----------------------------------------------------------------


def test_the_printed_program_holds_the_phase_the_exercises_and_the_warning_signs(
    home: Path, piri: PiriRunner, tmp_path: Path, poppler: None
) -> None:
    strengthening_runner()
    target = tmp_path / "cwd" / "program.pdf"
    result = piri("handout", str(target))
    assert result.returncode == 0, result.stderr
    pages = pages_of(target)
    assert 2 <= pages <= 6
    assert f"Wrote your program ({pages} pages)" in flat(result.stdout)
    assert str(target) in flat(result.stdout)
    assert [p.name for p in target.parent.iterdir()] == ["program.pdf"]  # no temporary left

    handout = handout_for()
    text = flat(text_of(target))
    assert "Strengthen" in text and "Phase 2 of 3" in text.title().replace("Of", "of")
    assert flat(handout.phase.moves_on_when) in text
    scheduled = {e for day in handout.days for e in day.items}
    assert len(handout.exercises) == len({item.exercise_id for item in scheduled}) >= 3
    for exercise in handout.exercises:
        assert flat(exercise.name) in text, exercise.name
        assert flat(exercise.dose) in text, exercise.dose
        assert exercise.dose_short in text, exercise.dose_short
        assert flat(exercise.steps[0]) in text
    for word in ("safe", "acceptable", "too much"):
        assert word.upper() in text or word in text
    assert f"0 to {PAIN_SAFE_MAX}" in text and f"above {PAIN_ACCEPTABLE_MAX}" in text
    assert "back to your usual" in text
    assert "2 good sessions in a row" in text
    flags = library().check_rules.red_flags
    for flag in flags:
        if flag.urgency.value in ("emergency", "urgent"):
            assert flat(flag.title) in text, flag.title
    assert "Go to an emergency department now." in text
    assert "When to see a professional" in text
    assert flat(library().safety.emergency) in text
    assert "education, not a diagnosis" in text
    printed = f"printed {TODAY.day} {TODAY:%B %Y}"
    assert all(printed in page_text(target, n) for n in range(1, pages + 1))
    assert f"Page {pages} of {pages}" in text
    assert "Sources" in text and "bim.physio/the-pain-monitoring-model" in text

    # The service renders the same pages as the command.
    pdf, counted = render_pdf_pages(handout)
    assert counted == pages and pdf.startswith(b"%PDF-")

    width, height, pixels = grey_pixels(target, 1, tmp_path)
    assert (width, height) == (331, 468)  # A4 at 40 dpi
    dark = sum(1 for value in pixels if value < 128) / len(pixels)
    assert 0.01 < dark < 0.5, f"page 1 looks blank or black: {dark:.1%} dark pixels"
    assert len(set(pixels)) > 8


def test_each_exercise_stays_on_one_page(home: Path, tmp_path: Path, poppler: None) -> None:
    strengthening_runner()
    handout = handout_for()
    pdf = write_pdf(handout, tmp_path / "program.pdf")
    pages = pages_of(pdf)
    for exercise in handout.exercises:
        # The first words of the first step and of the last caution: a line break inside a
        # hyphenated word ("bent-hip") reads back as "bent- hip".
        first = " ".join(exercise.steps[0].split()[:6])
        last = " ".join(exercise.cautions[-1].split()[:6])
        holding = [n for n in range(1, pages + 1) if first in flat(page_text(pdf, n))]
        assert len(holding) == 1, exercise.id
        assert last in flat(page_text(pdf, holding[0])), f"{exercise.id} runs onto a second page"


def test_after_an_urgent_check_it_holds_no_exercises_and_says_to_get_care_first(
    home: Path, tmp_path: Path, poppler: None
) -> None:
    strengthening_runner()
    remember_result(run_check(typical_piriformis(fever_or_unwell=True)), LOCAL_PERSON)
    handout = handout_for()
    assert handout.hold is not None
    assert handout.exercises == () and handout.days == () and handout.pain_rules is None
    pdf = write_pdf(handout, tmp_path / "held.pdf")
    first = flat(page_text(pdf, 1))
    assert first.lower().index("get care first") < first.index("Warning signs")
    assert "Get seen by a doctor today." in first
    assert "Fever or feeling unwell with the pain" in first
    assert "holds no exercises" in first
    text = flat(text_of(pdf))
    for exercise in library().exercises.values():
        assert exercise.name not in text, exercise.name
    assert "Your exercises" not in text and "Your week" not in text
    assert "When to see a professional" in text
    assert pages_of(pdf) <= 3


def test_before_a_profile_there_is_no_plan_to_print(piri: PiriRunner, tmp_path: Path) -> None:
    target = tmp_path / "cwd" / "program.pdf"
    result = piri("handout", str(target))
    assert result.returncode == 2
    assert "No plan yet" in result.stderr
    assert "piri profile --side" in flat(result.stderr)
    assert not target.exists()
    assert NO_PLAN_YET.startswith("There is no plan to print yet")


def test_a_wrong_path_is_refused_with_its_name(
    home: Path, piri: PiriRunner, tmp_path: Path
) -> None:
    strengthening_runner()
    folder = tmp_path / "cwd"
    for target, message in (
        (folder, f"{folder} is a directory"),
        (folder / "missing" / "program.pdf", f"the folder {folder / 'missing'} does not exist"),
    ):
        result = piri("handout", str(target))
        assert result.returncode == 2, target
        assert message in flat(result.stderr)
    assert list(folder.iterdir()) == []


def test_html_writes_the_same_pages_with_nothing_to_fetch(
    home: Path, piri: PiriRunner, tmp_path: Path
) -> None:
    strengthening_runner()
    target = tmp_path / "cwd" / "program.html"
    result = piri("handout", str(target), "--html")
    assert result.returncode == 0, result.stderr
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and "<svg" in html
    for attribute in ("src=", "href=", "url("):
        assert attribute not in html, attribute


# --- nothing fetched ---------------------------------------------------------------------------


def test_rendering_fetches_nothing(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    strengthening_runner()
    asked: list[str] = []
    refusing = render.refusing_fetcher

    def recording() -> object:
        fetcher = refusing()
        original = fetcher.fetch

        def fetch(url: str, headers: object = None) -> object:
            asked.append(url)
            return original(url, headers)

        fetcher.fetch = fetch
        return fetcher

    monkeypatch.setattr(render, "refusing_fetcher", recording)
    _pdf, pages = render_pdf_pages(handout_for())
    assert pages >= 2 and asked == []
    for page in (
        '<img src="http://example.invalid/picture.png">',
        '<link rel="stylesheet" href="file:///etc/hostname">',
        '<p style="background: url(https://example.invalid/x.png)">x</p>',
    ):
        with pytest.raises(FetchRefusedError):
            pdf_from_html(f"<!doctype html><html><body>{page}</body></html>")
    assert len(asked) == 3


# --- the room kept for "Back to running" -------------------------------------------------------


def test_back_to_running_is_printed_only_when_there_is_a_run_plan(home: Path) -> None:
    strengthening_runner()
    handout = handout_for()
    assert handout.run_plan is None
    assert 'id="running-title"' not in render_html(handout)
    plan = RunPlan(
        intro="Walk-run sessions on flat ground, every other day.",
        criteria=(RunPlanCriterion("30 minutes of brisk walking", "Walking first.", True, (1,)),),
        steps=(
            RunPlanStep("Step 1", "Run 1 min, walk 2 min, 5 times", 15, True, (1,)),
            RunPlanStep("Step 2", "Run 2 min, walk 2 min, 5 times", 20, False, (1,)),
        ),
        rules=("Repeat a step when the pain went above 3 out of 10.",),
        build="Then add distance before speed.",
        sources=(1,),
    )
    html = render_html(dataclasses.replace(handout, run_plan=plan))
    assert '<h2 id="running-title">Back to running</h2>' in html
    assert "Run 1 min, walk 2 min, 5 times" in html and "Step 1 (now)" in html


def returning_runner(runs: int) -> None:
    """A runner in the return-to-running phase, ready for the walk-run plan, with ``runs``
    counted runs of it (the last two days apart, each with a calm next morning)."""
    from piri.domain.diary import DayEntry
    from piri.services.return_to_run import log_run

    update_profile(
        painful_side="left",
        equipment=frozenset({"chair", "mini_band"}),
        walks_30_min_pain_free=True,
        today=TODAY,
    )
    with transaction(diary_service.store()) as session:
        owner = diary_store.person_id(session, LOCAL_PERSON)
        program_store.save_phase(session, owner, Phase.RETURN_TO_RUN, TODAY - dt.timedelta(days=30))
    for back in range(6):
        diary_service.log_day(DayEntry(TODAY - dt.timedelta(days=back), 1, 2), today=TODAY)
    for number in range(runs):
        day = TODAY - dt.timedelta(days=2 * (runs - number))
        log_run(day, 2, 2, next_morning=1, usual_morning=1, today=TODAY)


def test_the_walk_run_plan_is_printed_in_the_last_phase(
    home: Path, tmp_path: Path, poppler: None
) -> None:
    returning_runner(runs=2)  # two counted runs: step 2 now
    handout = handout_for()
    assert handout.run_plan is not None
    assert [s.current for s in handout.run_plan.steps].index(True) == 1
    assert handout.run_plan.criteria == ()  # started: the criteria are behind the runner
    listed = [source.number for source in handout.sources]
    assert cited_numbers(handout) == set(listed)
    text = flat(text_of(write_pdf(handout, tmp_path / "running.pdf")))
    assert "Back to running" in text
    assert "Step 2 (now)" in text
    assert "Run 1 min, walk 9 min, 3 times" in text
    assert "30 minutes of easy running with 4 relaxed strides" in text
    assert "the pain stays at 3/10 or less" in text


def test_before_the_first_run_the_printed_plan_lists_the_start_criteria(home: Path) -> None:
    returning_runner(runs=0)
    handout = handout_for()
    assert handout.run_plan is not None
    names = [c.name for c in handout.run_plan.criteria]
    assert "30 minutes of brisk walking without pain" in names
    assert all(c.met for c in handout.run_plan.criteria)
    assert handout.run_plan.steps[0].current


def test_the_dose_in_words_leaves_the_days_to_the_schedule() -> None:
    dose = library().exercises["glute-bridge"].dose
    assert dose.describe().startswith(dose_words(dose))
    assert "a week" not in dose_words(dose)


def cited_numbers(handout: Handout) -> set[int]:
    found = set(handout.phase.sources) | set(handout.professional.sources)
    found |= {n for sign in (*handout.emergency_signs, *handout.urgent_signs) for n in sign.sources}
    found |= {n for exercise in handout.exercises for n in exercise.sources}
    if handout.pain_rules is not None:
        found |= set(handout.pain_rules.sources)
    if handout.run_plan is not None:
        found |= set(handout.run_plan.sources)
    return found


def test_every_listed_source_is_cited_and_every_citation_listed(home: Path) -> None:
    strengthening_runner()
    for held in (False, True):
        if held:
            remember_result(run_check(typical_piriformis(fever_or_unwell=True)), LOCAL_PERSON)
        handout = handout_for()
        listed = [source.number for source in handout.sources]
        assert listed == list(range(1, len(listed) + 1))
        assert cited_numbers(handout) == set(listed), f"held={held}"
        assert all(source.url.startswith(("https://", "http://")) for source in handout.sources)
