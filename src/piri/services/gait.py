"""The gait check as the CLI (and later the web app) uses it: a video in, a report out.

``check_gait`` reads the clip (``piri.activities.video``), finds the pose in every frame
(``piri.activities.pose``), picks or checks the view, runs the domain's analysis and report
(``piri.domain.gait_*``), and on request writes annotated key frames as PNG. Everything that
needs the ``video`` extra is imported when a clip is checked, so the rest of Piri (and
``piri gait --guide``) works without it.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from piri.domain.filming_guide import FILMING_GUIDE, FILMING_GUIDE_SUMMARY
from piri.domain.gait_evidence import Citation, CitedNote, CitedRange
from piri.domain.gait_measure import Side
from piri.domain.gait_pose import PosePoint, PoseSeries
from piri.domain.gait_quality import IssueCode, QualityIssue, View
from piri.domain.gait_report import Advice, Figure, GaitReport
from piri.domain.gait_timeline import Timeline
from piri.services.diary import LOCAL_PERSON

if TYPE_CHECKING:
    from piri.activities.pose import PoseRun, Progress
    from piri.activities.video import VideoInfo
    from piri.domain.gait_jumps import TrackJump
    from piri.domain.gait_rear import RearAnalysis
    from piri.domain.gait_side import SideAnalysis

INSTALL_ADVICE = (
    "The gait check needs the video extra (PyAV and the MediaPipe pose model), which is not "
    "installed: pip install 'piri[video]' (in a Piri checkout, make installs it)."
)
ViewSource = Literal["given", "detected", "unclear"]
# Skeleton lines drawn on the key frames (BlazePose landmark names; "left" is the person's).
BONES: tuple[tuple[str, str], ...] = (
    ("left_shoulder", "right_shoulder"),
    ("left_hip", "right_hip"),
    *(
        bone
        for side in ("left", "right")
        for bone in (
            (f"{side}_shoulder", f"{side}_elbow"),
            (f"{side}_elbow", f"{side}_wrist"),
            (f"{side}_shoulder", f"{side}_hip"),
            (f"{side}_hip", f"{side}_knee"),
            (f"{side}_knee", f"{side}_ankle"),
            (f"{side}_ankle", f"{side}_heel"),
            (f"{side}_heel", f"{side}_foot_index"),
            (f"{side}_ankle", f"{side}_foot_index"),
        )
    ),
)
DRAWN_POINTS = tuple(sorted({name for bone in BONES for name in bone} | {"nose"}))
# Points the model is less sure of than this are drawn faint (its own presence threshold).
SURE_VISIBILITY = 0.5
LEFT_COLOUR = (255, 140, 0)  # orange
RIGHT_COLOUR = (30, 144, 255)  # blue
MIDDLE_COLOUR = (255, 255, 255)


class GaitInputError(ValueError):
    """A clip (or folder) that cannot be used, with the file and the reason in the message."""


class GaitExtraMissingError(RuntimeError):
    """The ``video`` extra is not installed; the message says how to install it."""


@dataclass(frozen=True)
class Problem:
    """A reason to film again (blocking) or a limit on some figures, with a stable code."""

    code: str  # an IssueCode value, or "several_people"
    message: str
    blocking: bool


@dataclass(frozen=True)
class KeyFrame:
    path: Path
    kind: Literal["foot_strike", "peak_pelvic_drop", "pose_check"]
    leg: Side | None
    time_s: float  # capture time of the frame written
    label: str


@dataclass(frozen=True)
class GaitResult:
    path: Path
    view: View
    view_source: ViewSource  # given by the caller, detected from the clip, or unclear
    video: VideoInfo
    frames_with_person: float  # share of frames where the pose model found a person
    jumps: tuple[TrackJump, ...]  # the tracked person jumped: perhaps several people
    painful_side: Side | None  # from the profile (None: not known, or both)
    report: GaitReport
    problems: tuple[Problem, ...]
    key_frames: tuple[KeyFrame, ...] = ()
    key_frames_missing: tuple[str, ...] = ()  # key frames that could not be written, and why
    seconds: float = 0.0  # decoding and pose
    analysed_s: tuple[float, float] | None = None  # the one-person stretch the analysis kept
    timelines: tuple[Timeline, ...] = ()  # the per-step values behind the medians

    @property
    def refused(self) -> bool:
        return self.report.film_again


def check_gait(
    path: Path | str,
    view: View | str | None = None,
    fps: float | None = None,
    frames_dir: Path | None = None,
    person: str = LOCAL_PERSON,
    progress: Progress | None = None,
    frames_per_leg: int | None = None,
) -> GaitResult:
    """The gait report for one clip. ``view`` None: detected from the clip (and said).

    Raises GaitInputError for a file that is not a usable video (naming it and why) and
    GaitExtraMissingError without the ``video`` extra. A clip that is a video but cannot carry
    the figures (too short, no person, several people, camera moving, wrong view) gives a
    result whose report says to film again, with the reasons.

    ``progress`` is called after each frame the pose model reads (frames done, expected).
    ``frames_per_leg`` caps the key frames of each kind and leg, spread over the clip (None:
    every one).
    """
    path = Path(path)
    chosen = _view(view)
    run = _pose(path, fps, progress)
    series = run.series
    if chosen is None:
        from piri.domain.gait_quality import detect_view
        from piri.domain.gait_tracks import build_tracks

        detected = detect_view(build_tracks(series))
        source: ViewSource = "unclear" if detected is None else "detected"
        chosen = detected or View.SIDE
    else:
        source = "given"
    analysis, report, painful = _analyse(series, chosen, person)
    if source != "given" and _wrong_view(analysis):
        # The analysis judges the view on what it keeps of the clip; when it says the other
        # view, the other analysis is tried, and kept unless it says the same.
        other = View.REAR if chosen is View.SIDE else View.SIDE
        second = _analyse(series, other, person)
        if not _wrong_view(second[0]):
            chosen, source = other, "detected"
            analysis, report, painful = second
    problems = [_problem(issue) for issue in analysis.issues]
    if source == "unclear":
        problems = [
            _unclear_view_hint(p) if p.code == IssueCode.VIEW_UNCLEAR else p for p in problems
        ]
    if run.jumps and not any(p.code == IssueCode.SEVERAL_PEOPLE for p in problems):
        # The analysis keeps the longest one-person stretch and names the others itself; only
        # when it has not, the service's own check of the jumps refuses the clip.
        problems.append(several_people(run.jumps))
    report = _with_problems(report, problems)
    result = GaitResult(
        path=path,
        view=chosen,
        view_source=source,
        video=run.video,
        frames_with_person=run.share_with_person,
        jumps=run.jumps,
        painful_side=painful,
        report=report,
        problems=tuple(problems),
        seconds=run.seconds,
        analysed_s=analysis.analysed_s,
        timelines=() if report.film_again else timelines_of(analysis),
    )
    if frames_dir is not None:
        written, missing = write_key_frames(
            result, series, analysis, frames_dir, fps, frames_per_leg
        )
        result = dataclasses.replace(result, key_frames=written, key_frames_missing=missing)
    return result


def _analyse(
    series: PoseSeries, view: View, person: str
) -> tuple[SideAnalysis | RearAnalysis, GaitReport, Side | None]:
    """The domain's analysis and report for one view (the painful side only matters behind)."""
    if view is View.SIDE:
        from piri.domain.gait_report import side_report
        from piri.domain.gait_side import analyse_side

        side = analyse_side(series)
        return side, side_report(side), None
    from piri.domain.gait_rear import analyse_rear
    from piri.domain.gait_report import rear_report

    painful = painful_side_of(person)
    rear = analyse_rear(series)
    return rear, rear_report(rear, painful), painful


def timelines_of(analysis: SideAnalysis | RearAnalysis) -> tuple[Timeline, ...]:
    """The values the report's medians came from, over the clip's time."""
    from piri.domain.gait_side import SideAnalysis, strike_times
    from piri.domain.gait_timeline import pelvic_drop_by_stance, step_cadence

    offset = analysis.analysed_s[0] if analysis.analysed_s else 0.0
    if isinstance(analysis, SideAnalysis):
        strikes = {side: [offset + t for t in strike_times(analysis, side)] for side in Side}
        found = step_cadence(strikes)
    else:
        found = pelvic_drop_by_stance(
            {leg.side: [(offset + t, degrees) for t, degrees in leg.peaks] for leg in analysis.legs}
        )
    return (found,) if found.points else ()


def _wrong_view(analysis: SideAnalysis | RearAnalysis) -> bool:
    return any(issue.code is IssueCode.WRONG_VIEW for issue in analysis.issues)


def _view(view: View | str | None) -> View | None:
    if view is None or isinstance(view, View):
        return view
    try:
        return View(view)
    except ValueError:
        raise GaitInputError(f"{view!r} is not a view: use side or rear.") from None


def _pose(path: Path, fps: float | None, progress: Progress | None = None) -> PoseRun:
    from piri.activities.pose import estimate_pose
    from piri.activities.video import VideoError, VideoExtraMissingError, open_video

    try:
        # Opening first refuses a file that is not a video before the pose model loads.
        open_video(path, fps=fps).close()
        return estimate_pose(path, fps=fps, progress=progress)
    except VideoExtraMissingError as error:
        raise GaitExtraMissingError(INSTALL_ADVICE) from error
    except VideoError as error:
        raise GaitInputError(_named(path, str(error))) from error


def _named(path: Path, message: str) -> str:
    """The message with the file's path first (VideoError names only the file's name)."""
    for prefix in (f"{path.name}: ", f"{path}: "):
        if message.startswith(prefix):
            return f"{path}: {message[len(prefix) :]}"
    return f"{path}: {message}"


def painful_side_of(person: str = LOCAL_PERSON) -> Side | None:
    """The painful side in the person's profile; None when not given or both."""
    from piri.services.program import get_profile

    profile, _phase, _check = get_profile(person)
    try:
        return Side(profile.painful_side) if profile.painful_side else None
    except ValueError:  # "both"
        return None


def _problem(issue: QualityIssue) -> Problem:
    return Problem(issue.code.value, issue.message, issue.blocking)


def _unclear_view_hint(problem: Problem) -> Problem:
    return dataclasses.replace(
        problem,
        message="Piri cannot tell whether this clip is filmed from the side or from behind: "
        "film straight from the side or from behind, or name the view (side or rear).",
    )


def several_people(jumps: Sequence[TrackJump]) -> Problem:
    times = ", ".join(f"{jump.time_s:.1f} s" for jump in jumps[:5])
    more = f" and {len(jumps) - 5} more" if len(jumps) > 5 else ""
    return Problem(
        IssueCode.SEVERAL_PEOPLE.value,
        f"The tracked person jumped to another place or size at {times}{more}: another person "
        "probably came into view, and the figures could mix two people. Film with only the "
        "runner in view.",
        blocking=True,
    )


def _with_problems(report: GaitReport, problems: Sequence[Problem]) -> GaitReport:
    """The report with the reasons and warnings the service adds (several people, the view
    hint); a blocking one takes the figures and advice away, as the domain's own do."""
    reasons = tuple(p.message for p in problems if p.blocking)
    warnings = tuple(p.message for p in problems if not p.blocking)
    if reasons == report.reasons and warnings == report.warnings:
        return report
    refused = bool(reasons)
    return dataclasses.replace(
        report,
        film_again=refused,
        reasons=reasons,
        warnings=warnings,
        figures=() if refused else report.figures,
        advice=() if refused else report.advice,
    )


# --- key frames ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Wanted:
    index: int  # in the series (the clip's frames in order)
    name: str
    kind: Literal["foot_strike", "peak_pelvic_drop", "pose_check"]
    leg: Side | None
    label: str


def write_key_frames(
    result: GaitResult,
    series: PoseSeries,
    analysis: SideAnalysis | RearAnalysis,
    frames_dir: Path,
    fps: float | None = None,
    per_leg: int | None = None,
) -> tuple[tuple[KeyFrame, ...], tuple[str, ...]]:
    """Annotated PNGs of the key frames: each initial contact (side view), or a frame to check
    the tracked pose when the analysis gives no key moments; and what could not be written.
    ``per_leg`` keeps at most that many of each kind and leg, spread evenly over the clip."""
    wanted, missing = key_frame_plan(series, analysis)
    if per_leg is not None:
        wanted = spread(wanted, per_leg)
    if not wanted:
        return (), tuple(missing)
    try:
        frames_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise GaitInputError(
            f"{frames_dir}: cannot write the key frames there: {error.strerror or error}."
        ) from error
    if not frames_dir.is_dir():
        raise GaitInputError(f"{frames_dir}: cannot write the key frames there: not a folder.")
    by_index: dict[int, list[_Wanted]] = {}
    for item in wanted:
        by_index.setdefault(item.index, []).append(item)
    from piri.activities.video import VideoError, open_video

    written: list[KeyFrame] = []
    try:
        with open_video(result.path, fps=fps) as video:
            for index, frame in enumerate(video.frames()):
                for item in by_index.pop(index, []):
                    points = series.frames[index].points
                    target = frames_dir / item.name
                    _save_annotated(frame.image, points, item.label, target)
                    written.append(KeyFrame(target, item.kind, item.leg, frame.time_s, item.label))
                if not by_index:
                    break
    except VideoError as error:
        raise GaitInputError(_named(result.path, str(error))) from error
    except OSError as error:
        raise GaitInputError(
            f"{frames_dir}: cannot write the key frames there: {error.strerror or error}."
        ) from error
    return tuple(written), tuple(missing)


def key_frame_plan(
    series: PoseSeries, analysis: SideAnalysis | RearAnalysis
) -> tuple[list[_Wanted], list[str]]:
    """Which frames to write, and which key frames the analysis cannot give: each foot strike
    (side view) or each stance's peak pelvic drop (rear view), or else one frame to check the
    tracked pose."""
    from piri.domain.gait_side import SideAnalysis, strike_times

    wanted: list[_Wanted] = []
    missing: list[str] = []
    if not series.frames:
        return [], ["The clip has no frames to annotate."]
    # The analysis' times count from the first frame of the stretch it kept.
    start = analysis.analysed_s[0] if analysis.analysed_s else series.frames[0].time_s
    times = [f.time_s for f in series.frames]
    if isinstance(analysis, SideAnalysis):
        for side in Side:
            for number, strike in enumerate(strike_times(analysis, side), start=1):
                index = _nearest(times, start + strike)
                wanted.append(
                    _Wanted(
                        index,
                        f"foot-strike-{side.value}-{number:02d}.png",
                        "foot_strike",
                        side,
                        f"Foot strike, {side.value} leg, {times[index]:.2f} s",
                    )
                )
        if not wanted:
            missing.append(
                "No foot strikes were found in this clip, so no foot-strike frames were "
                "written; the frame written shows the pose Piri tracked."
            )
    else:
        for leg in analysis.legs:
            for number, (moment, degrees) in enumerate(leg.peaks, start=1):
                index = _nearest(times, start + moment)
                wanted.append(
                    _Wanted(
                        index,
                        f"peak-drop-{leg.side.value}-{number:02d}.png",
                        "peak_pelvic_drop",
                        leg.side,
                        f"Peak pelvic drop, {leg.side.value} leg in stance, "
                        f"{times[index]:.2f} s: {degrees:.1f}°",
                    )
                )
        if not wanted:
            missing.append(
                "No stances were found in this clip, so no peak-drop frames were written; "
                "the frame written shows the pose Piri tracked."
            )
    if not wanted:
        index = _middle_with_person(series)
        wanted.append(
            _Wanted(
                index,
                "pose-check.png",
                "pose_check",
                None,
                f"Tracked pose, {times[index]:.2f} s",
            )
        )
    return wanted, missing


def spread(wanted: Sequence[_Wanted], per_leg: int) -> list[_Wanted]:
    """At most ``per_leg`` of each kind and leg, the first, the last and evenly between."""
    groups: dict[tuple[str, Side | None], list[_Wanted]] = {}
    for item in wanted:
        groups.setdefault((item.kind, item.leg), []).append(item)
    kept: list[_Wanted] = []
    for items in groups.values():
        if len(items) <= per_leg:
            kept.extend(items)
        elif per_leg == 1:
            kept.append(items[len(items) // 2])
        else:
            step = (len(items) - 1) / (per_leg - 1)
            kept.extend(items[round(k * step)] for k in range(per_leg))
    return kept


def _nearest(times: Sequence[float], moment: float) -> int:
    i = bisect.bisect_left(times, moment)
    if i <= 0:
        return 0
    if i >= len(times):
        return len(times) - 1
    return i if times[i] - moment < moment - times[i - 1] else i - 1


def _middle_with_person(series: PoseSeries) -> int:
    middle = len(series.frames) // 2
    with_person = [i for i, f in enumerate(series.frames) if f.points is not None]
    if not with_person:
        return middle
    return min(with_person, key=lambda i: abs(i - middle))


def _colour(name: str) -> tuple[int, int, int]:
    if name.startswith("left_"):
        return LEFT_COLOUR
    if name.startswith("right_"):
        return RIGHT_COLOUR
    return MIDDLE_COLOUR


def _save_annotated(
    image: Any, points: Mapping[str, PosePoint] | None, label: str, target: Path
) -> None:
    """The frame with the skeleton (left orange, right blue, unsure points faint) and a label
    in a dark box at the top left, as a PNG."""
    try:
        from PIL import Image, ImageDraw, ImageFont
    except ImportError as error:  # Pillow comes with WeasyPrint, a core dependency
        raise GaitExtraMissingError(
            "Writing key frames needs Pillow, which is not installed: pip install pillow."
        ) from error
    picture = Image.fromarray(image, mode="RGB")
    draw = ImageDraw.Draw(picture, "RGBA")
    size = max(picture.width, picture.height)
    line = max(2, size // 300)
    dot = max(3, size // 200)
    if points is not None:
        for a, b in BONES:
            pa, pb = points.get(a), points.get(b)
            if pa is None or pb is None:
                continue
            alpha = 255 if min(pa.visibility, pb.visibility) >= SURE_VISIBILITY else 110
            colour = _colour(b) if _colour(a) == _colour(b) else MIDDLE_COLOUR
            draw.line([(pa.x, pa.y), (pb.x, pb.y)], fill=(*colour, alpha), width=line)
        for name in DRAWN_POINTS:
            point = points.get(name)
            if point is None:
                continue
            alpha = 255 if point.visibility >= SURE_VISIBILITY else 110
            box = [point.x - dot, point.y - dot, point.x + dot, point.y + dot]
            draw.ellipse(box, fill=(*_colour(name), alpha), outline=(0, 0, 0, alpha))
    else:
        label += " (no person found in this frame)"
    font = ImageFont.load_default(size=max(14, size // 45))
    lines = [label, "orange: left, blue: right"]
    text = "\n".join(lines)
    margin = max(4, size // 150)
    left, top, right, bottom = draw.multiline_textbbox((margin, margin), text, font=font)
    draw.rectangle(
        [left - margin, top - margin, right + margin, bottom + margin], fill=(0, 0, 0, 170)
    )
    draw.multiline_text((margin, margin), text, font=font, fill=(255, 255, 255, 255))
    picture.save(target, format="PNG", compress_level=3)  # a third of the default's time


# --- documents -------------------------------------------------------------------------------


def filming_guide_as_json() -> dict[str, Any]:
    return {
        "summary": FILMING_GUIDE_SUMMARY,
        "steps": [
            {"key": step.key, "text": step.text, "sources": _sources(step.sources)}
            for step in FILMING_GUIDE
        ],
    }


def result_as_json(result: GaitResult) -> dict[str, Any]:
    """The report as a stable document (the CLI's --format json; later the web API)."""
    report = result.report
    video = result.video
    return {
        "file": str(result.path),
        "view": result.view.value,
        "view_source": result.view_source,
        "video": {
            "width": video.width,
            "height": video.height,
            "fps": round(video.fps, 3),
            "playback_fps": round(video.playback_fps, 3),
            "slow_motion": video.slow_motion,
            "duration_s": None if video.duration_s is None else round(video.duration_s, 3),
            "frames_with_person": round(result.frames_with_person, 3),
        },
        "analysed_s": _span(result.analysed_s),
        "painful_side": result.painful_side.value if result.painful_side else None,
        "film_again": report.film_again,
        "reasons": [_problem_json(p) for p in result.problems if p.blocking],
        "warnings": [_problem_json(p) for p in result.problems if not p.blocking],
        "figures": [figure_as_json(f) for f in report.figures],
        "advice": [advice_as_json(a) for a in report.advice],
        "key_frames": [
            {
                "path": str(frame.path),
                "kind": frame.kind,
                "leg": frame.leg.value if frame.leg else None,
                "time_s": round(frame.time_s, 3),
                "label": frame.label,
            }
            for frame in result.key_frames
        ],
        "key_frames_missing": list(result.key_frames_missing),
        "timelines": [timeline_as_json(t) for t in result.timelines],
        "filming_guide": filming_guide_as_json() if report.film_again else None,
        "see_a_professional": {
            "text": report.see_a_professional,
            "page": report.see_a_professional_page,
        },
    }


def timeline_as_json(timeline: Timeline) -> dict[str, Any]:
    return {
        "key": timeline.key,
        "label": timeline.label,
        "unit": timeline.unit,
        "points": [
            {
                "time_s": round(p.time_s, 3),
                "value": round(p.value, 2),
                "leg": p.leg.value if p.leg else None,
            }
            for p in timeline.points
        ],
    }


def _span(span: tuple[float, float] | None) -> list[float] | None:
    return None if span is None else [round(span[0], 3), round(span[1], 3)]


def _problem_json(problem: Problem) -> dict[str, Any]:
    return {"code": problem.code, "message": problem.message}


def figure_as_json(figure: Figure) -> dict[str, Any]:
    return {
        "key": figure.key,
        "label": figure.label,
        "value": round(figure.value, 3),
        "uncertainty": round(figure.uncertainty, 3),
        "unit": figure.unit,
        "verdict": figure.verdict.value,
        "says": figure.says,
        "typical": _range_json(figure.typical),
        "evidence": _note_json(figure.evidence),
    }


def advice_as_json(advice: Advice) -> dict[str, Any]:
    return {
        "text": advice.text,
        "sources": _sources(advice.sources),
        "exercises": [{"id": i, "name": exercise_name(i)} for i in advice.exercise_ids],
        "metronome_bpm": list(advice.metronome_bpm) if advice.metronome_bpm else None,
    }


def exercise_name(exercise_id: str) -> str:
    from piri.services.library import NotFoundError, get_exercise

    try:
        return get_exercise(exercise_id).name
    except NotFoundError:
        return exercise_id


def _range_json(typical: CitedRange | None) -> dict[str, Any] | None:
    if typical is None:
        return None
    return {
        "low": typical.low,
        "high": typical.high,
        "unit": typical.unit,
        "note": typical.note,
        "sources": _sources(typical.sources),
    }


def _note_json(note: CitedNote | None) -> dict[str, Any] | None:
    if note is None:
        return None
    return {"text": note.text, "sources": _sources(note.sources)}


def _sources(sources: Sequence[Citation]) -> list[dict[str, str]]:
    return [{"title": s.title, "url": s.url} for s in sources]
