"""How to film a clip the gait check can use: shown before a clip is given, and again when a
clip is refused.

Facts brief section 8.4 (2D video method, Souza 2016): a side and a rear camera, a 6-10 minute
treadmill warm-up (running changes for about the first 6 minutes), the treadmill at the usual
pace, form-fitting clothing, 120 frames a second or more in a lab. The rest is derived from
what the analysis needs (issue 10): 20-30 s per view for at least 10 strides per leg, a level
phone (a phone tilted 5° shifts the pelvic drop by 4-6°), the hips wide enough in pixels, one
person (the pose model follows a single person).
"""

from __future__ import annotations

from dataclasses import dataclass

from piri.domain.gait_evidence import SOUZA_2016, TRUCKEE_SOUZA, Citation


@dataclass(frozen=True)
class GuideStep:
    key: str
    text: str
    sources: tuple[Citation, ...] = ()  # empty: the team's own rule (derived)


FILMING_GUIDE: tuple[GuideStep, ...] = (
    GuideStep(
        "warm_up",
        "Run on a treadmill at your usual easy pace, or on flat ground, after a warm-up of 6 to "
        "10 minutes: running form keeps changing for about the first 6 minutes.",
        (TRUCKEE_SOUZA,),
    ),
    GuideStep(
        "two_views",
        "Film 20 to 30 seconds from the side and, separately, 20 to 30 seconds from behind.",
        (SOUZA_2016,),
    ),
    GuideStep(
        "level_tripod",
        "Put the phone on a tripod (or something steady), level, at hip height, square to the "
        "runner: a phone tilted by 5° shifts the pelvic drop by 4 to 6°.",
    ),
    GuideStep(
        "fill_frame",
        "Stand the phone close enough that the runner fills most of the frame, feet and head "
        "in view the whole time.",
    ),
    GuideStep(
        "frame_rate",
        "Film at 60 frames a second or more (slow motion is fine; gait labs use 120 or more).",
        (TRUCKEE_SOUZA,),
    ),
    GuideStep(
        "one_person",
        "Keep only the runner in view: nobody walking past or standing behind.",
    ),
    GuideStep(
        "light_and_clothes",
        "Film in good, even light (not against a bright window) in fitted clothing, so the "
        "hips, knees and ankles can be seen.",
        (TRUCKEE_SOUZA,),
    ),
)

FILMING_GUIDE_SUMMARY = (
    "Film on a treadmill or flat ground after a warm-up, 20 to 30 s from the side and 20 to 30 s "
    "from behind, the phone level at hip height on a tripod, the runner filling most of the "
    "frame, at 60 frames a second or more, one person in view, in good light."
)
