"""The evidence behind the gait check: typical ranges, thresholds and advice, each with its
sources (facts brief, section 8, in Piri's own words). "Derived" marks the team's own rule.

Only what the evidence gives is a range: overstride, shank angle, trunk lean and the
knee-valgus proxy have no agreed typical value in it, so they are reported for the runner's
own comparison over time and never judged against an invented number.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Citation:
    title: str
    url: str


@dataclass(frozen=True)
class CitedRange:
    """A typical range (either end may be open) and why Piri uses it."""

    low: float | None
    high: float | None
    unit: str
    note: str
    sources: tuple[Citation, ...]


@dataclass(frozen=True)
class CitedNote:
    """What the evidence says about a figure that has no agreed typical range."""

    text: str
    sources: tuple[Citation, ...]


DANIELS_1984 = Citation(
    "Run SMART Project: Jack Daniels' cadence count at the 1984 Olympics",
    "http://runsmartproject.com/tag/cadence/",
)
BURNS_2016 = Citation(
    "Futurity: Burns G (University of Michigan), cadence at the 2016 100 km world championships",
    "https://futurity.org/running-cadence-2021482",
)
LUEDKE_2021 = Citation(
    "Luedke LE & Rauh MJ, step rate in high-school and collegiate runners, "
    "Front Sports Act Living 2021",
    "https://www.frontiersin.org/articles/10.3389/fspor.2020.628348/full",
)
HEIDERSCHEIT_2011 = Citation(
    "Heiderscheit BC et al., Effects of step rate manipulation on joint mechanics during "
    "running, MSSE 2011;43:296-302",
    "https://journals.lww.com/acsm-msse/fulltext/2011/02000/effects_of_step_rate_manipulation_on_joint.14.aspx",
)
LENHART_2014 = Citation(
    "Lenhart R et al., Hip muscle loads during running at various step rates, JOSPT 2014",
    "https://pmc.ncbi.nlm.nih.gov/articles/PMC4296582/table/T1",
)
LIEBERMAN_2015 = Citation(
    "Lieberman DE et al., Effects of stride frequency and foot position at landing, "
    "J Exp Biol 2015;218:3406-14",
    "https://p.pdfkul.com/effects-of-stride-frequency-and-foot-position-at-landing-_5a31226a1723ddd48a75d517.html",
)
CADENCE_PRACTICE = Citation(
    "Practitioner commentary on raising cadence 5-10% with a metronome "
    "(low-quality mirror of a running-science blog)",
    "http://vibezmuzik.siteboard.eu/t11974f2013-Nike-Free-V-UK-sale.html",
)
BRAMAH_2018 = Citation(
    "Bramah C et al., Is there a pathological gait associated with common soft tissue running "
    "injuries?, AJSM 2018;46:3023-31",
    "https://www.ncbi.nlm.nih.gov/pubmed/30193080",
)
HEALTH_HP = Citation(
    "Health HP: Does pelvic drop mean there is lateral hip weakness?",
    "https://healthhp.com.au/post/does-pelvic-drop-mean-there-is-lateral-hip-weakness",
)
SOUZA_LAB = Citation(
    "UCSF Souza lab: 2D running analysis (overstride distance and angle)",
    "http://preview-radiology.ucsf.edu/research/labs/biomechanics-and-musculoskeletal-imaging-lab-souza-lab/2-d-running-analysis-write",
)
WILLE_2014 = Citation(
    "Wille CM et al., sagittal 2D video variables and running loads, JOSPT 2014;44:825-30",
    "https://pmc.ncbi.nlm.nih.gov/articles/PMC4297621",
)
SOUZA_2016 = Citation(
    "Souza RB, An evidence-based videotaped running biomechanics analysis, "
    "Phys Med Rehabil Clin N Am 2016",
    "https://pt.scribd.com/document/372034293/Evidence-Vrunning-Analysis",
)
FRONTAL_PLANE_2D = Citation(
    "Frontal plane kinematics predict three-dimensional hip adduction during running",
    "https://discovery.researcher.life/article/frontal-plane-kinematics-predict-three-dimensional-hip-adduction-during-running/2418129c0f7831f992506deff628f281",
)
DAMSTED = Citation(
    "Damsted C et al., Reliability of video-based quantification of the knee and hip angle "
    "at foot strike, IJSPT",
    "https://docksci.com/reliability-of-video-based-quantification-of-the-knee-and-hip-angle-at-foot-stri_5a5271abd64ab23f1cee1df3.html",
)
TRUCKEE_SOUZA = Citation(
    "Truckee Chiropractic, summary of Souza 2016 (cameras, warm-up)",
    "https://www.truckeechiropractor.com/gait-analysis",
)
DISTEFANO_2009 = Citation(
    "DiStefano LJ et al., Gluteal muscle activation during common therapeutic exercises, "
    "JOSPT 2009",
    "https://ru.scribd.com/document/363673064/Activacion-GLuteo-en-Distintos-Ejercicios-Videos",
)
EBERT_2016 = Citation(
    "Ebert JR et al., A systematic review of rehabilitation exercises to progressively load "
    "gluteus medius, J Sport Rehabil 2016",
    "https://ar.scribd.com/document/322946658/A-Systematic-Review-of-Rehabilitation-Exercises-to-Progressively-Load-Gluteus-Medius-2016",
)
LANDAUER_2025 = Citation(
    "Landauer S et al., hip strength and running kinematics, Sports Med Open 2025 (scoping review)",
    "https://www.hs.mh.tum.de/biomechanik/news-single-view/article/new-paper-published-in-sports-medicine-open/",
)
LOPES_2023 = Citation(
    "Lopes AD et al., Are alterations in running biomechanics associated with injuries?, "
    "Braz J Phys Ther 2023 (systematic review)",
    "http://www.rbf-bjpt.org.br/en-are-alterations-in-running-biomechanics-articulo-S141335552300059X",
)

# Cadence: individual elites ran anywhere from about 160 to 210 steps/min and some beginners
# run as slowly as about 160; there is no single best value, and cadence rises with speed.
CADENCE_TYPICAL = CitedRange(
    low=160.0,
    high=210.0,
    unit="steps/min",
    note=(
        "Runners differ: elite runners in one race ranged from about 160 to 210 steps a "
        "minute, and some beginners run at about 160. There is no single best cadence, and it "
        "rises with speed, so compare at your usual easy pace."
    ),
    sources=(BURNS_2016, DANIELS_1984),
)
# Below about 166-170 steps/min high-school runners had more shin injuries (the exact cut-off
# comes from secondary sources, so it is only mentioned, never used as a verdict).
CADENCE_LOW_END = CitedNote(
    text=(
        "In high-school runners, lower step rates (below about 166 to 170 a minute, a figure "
        "from secondary sources) went with more shin injuries."
    ),
    sources=(LUEDKE_2021,),
)
# A cadence under this is a walk, and the running figures do not apply (derived).
WALKING_CADENCE_MAX = 130.0
# Raise by 5-10% from the runner's own cadence: +5% eased the knee, +10% the hip too, and hip
# muscle loads in stance (piriformis included) fell with higher step rates.
CADENCE_RAISE_PCT = (5.0, 10.0)
CADENCE_RAISE = CitedNote(
    text=(
        "Taking shorter, quicker steps at the same speed lowers the load on the knee (5% more "
        "steps) and the hip too (10% more), and lowered the stance-phase load on the "
        "piriformis and gluteal muscles in a study of 30 runners. Raise it gradually with a "
        "metronome; there is little direct evidence that it prevents injury."
    ),
    sources=(HEIDERSCHEIT_2011, LENHART_2014, CADENCE_PRACTICE),
)

# Contralateral pelvic drop: one clinic quotes under about 5 degrees as normal on 2D video;
# injured runners showed more drop (about 80% higher odds per extra degree, cross-sectional).
PELVIC_DROP_TYPICAL = CitedRange(
    low=None,
    high=5.0,
    unit="°",
    note=(
        "One clinic calls a drop under about 5° normal on 2D video (a figure not checked "
        "against the original studies). Injured runners showed more drop than healthy runners, "
        "but that study cannot show that the drop caused the injury."
    ),
    sources=(HEALTH_HP, BRAMAH_2018),
)
# A left/right difference in pelvic drop larger than this is named (derived: about the
# within-day error of 2D video angles, Damsted: 3-8 degrees at foot strike, lower end).
ASYMMETRY_NOTABLE_DEG = 3.0

OVERSTRIDE_NOTE = CitedNote(
    text=(
        "Landing with the foot further ahead of the hip, with a straighter knee and a steeper "
        "shank, went with higher braking forces. There is no agreed normal value, so Piri "
        "shows the figure for comparing your own clips over time."
    ),
    sources=(LIEBERMAN_2015, SOUZA_LAB, WILLE_2014),
)
TRUNK_LEAN_NOTE = CitedNote(
    text=(
        "Injured runners leaned their trunk further forward at mid-stance than healthy ones. "
        "There is no agreed normal value, so the figure is for comparing your own clips."
    ),
    sources=(BRAMAH_2018,),
)
KNEE_VALGUS_NOTE = CitedNote(
    text=(
        "How far the knee moves inwards, seen from behind, together with pelvic drop, tracks "
        "how far the thigh moves in during stance. There is no agreed normal value for this "
        "video measure, so it is for comparing your legs and your own clips."
    ),
    sources=(FRONTAL_PLANE_2D,),
)
FORM_CHANGE_CAVEAT = CitedNote(
    text=(
        "Links between running form and injury are weak. Changing your form is worth it when "
        "what the video shows fits your pain and a professional's examination."
    ),
    sources=(LOPES_2023, SOUZA_2016),
)
HIP_ABDUCTOR_WORK = CitedNote(
    text=(
        "The gluteus medius holds the pelvis level when you land on one leg; side-lying hip "
        "abduction, the clamshell and the side plank load it. Stronger hips alone have not "
        "been shown to change how people run, so pair the exercises with the running cues."
    ),
    sources=(DISTEFANO_2009, EBERT_2016, LANDAUER_2025),
)
# The library's exercises that load the hip abductors, easiest first (ids in
# content/data/exercises; their own sources are in those files).
HIP_ABDUCTOR_EXERCISE_IDS = ("clamshell", "side-lying-hip-abduction", "side-plank", "hip-hike")

SEE_A_PROFESSIONAL = (
    "A video measure is not a diagnosis. See a physiotherapist or doctor if the buttock pain "
    "lasts more than a few weeks, keeps you from running, wakes you at night, or spreads down "
    "the leg with numbness, tingling or weakness. Get emergency care now for numbness between "
    "the legs, new bladder or bowel trouble, or weakness in both legs."
)
# The knowledge page the report links to for the full list of warning signs.
SEE_A_PROFESSIONAL_PAGE_ID = "when-to-see-a-professional"
