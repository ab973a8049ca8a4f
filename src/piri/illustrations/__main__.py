"""Preview a figure file while posing it: ``python -m piri.illustrations ID [OUT_DIR]``.

Writes every position as SVG (and PNG, 600 px wide, when cairosvg is installed)
into OUT_DIR (default ``/tmp/piri-figures``) and prints the gap of every stated
contact, so a pose can be tuned number by number. ID may also be the path of a
figure file anywhere.
"""

from __future__ import annotations

import sys
from pathlib import Path

from piri.content.loader import ContentError
from piri.illustrations import check_figure, load_figure, render_figure
from piri.illustrations.contacts import contact_gaps, sinking
from piri.illustrations.scene import build_scene


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if argv else 2
    target = Path(argv[0])
    out = Path(argv[1]) if len(argv) > 1 else Path("/tmp/piri-figures")
    try:
        if target.suffix == ".toml":
            figure = load_figure(target.stem, target.parent)
        else:
            figure = load_figure(argv[0])
    except ContentError as error:
        print(error, file=sys.stderr)
        return 1
    out.mkdir(parents=True, exist_ok=True)
    try:
        import cairosvg
    except ImportError:
        cairosvg = None
    for index, rendered in enumerate(render_figure(figure), start=1):
        stem = out / f"{figure.exercise}-{index}-{rendered.id}"
        stem.with_suffix(".svg").write_text(rendered.svg, encoding="utf-8")
        if cairosvg is not None:
            cairosvg.svg2png(
                bytestring=rendered.svg.encode(),
                write_to=str(stem.with_suffix(".png")),
                output_width=600,
            )
        print(f"{stem}.svg")
    for position in figure.positions:
        scene = build_scene(figure, position)
        for gap in contact_gaps(scene):
            mark = "ok " if gap.holds else "BAD"
            print(f"  {mark} {position.id:>12} {gap.contact:<32} {gap.gap * 100:+6.1f} cm")
        for problem in sinking(scene):
            print(f"  BAD {position.id:>12} {problem}")
    problems = check_figure(figure)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
