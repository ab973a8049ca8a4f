"""Safe, streaming XML input shared by the GPX and TCX readers.

Every activity XML file goes through :class:`XmlStream`, which wraps ``lxml.etree.iterparse``
over the file's bytes with one fixed set of options:

- ``recover=True``: real exports are often not well-formed (Strava's GPX files use the
  ``gpxdata:`` prefix without declaring it, a file may be cut off by a failed download). The
  parser goes on past such damage and keeps what it could read; what went wrong is kept in
  the error log and reported when nothing usable was found.
- ``resolve_entities=False``, ``load_dtd=False``, ``no_network=True``: no entity is ever
  expanded and no external resource (file or URL) is ever read, so an external entity
  (XXE, ``<!ENTITY x SYSTEM "file:///etc/passwd">``) stays an unexpanded reference and its
  target is never opened. An entity bomb ("billion laughs") is refused by libxml2's entity
  amplification limit before anything is parsed, which surfaces here as a
  :class:`BrokenFileError` naming that limit.
- ``huge_tree=False``: libxml2's limits on text size and nesting depth stay on.
- comments and processing instructions are dropped.

Memory stays flat: the readers call :func:`release` on every record (a track point, a lap)
once they have read it, which empties the element and deletes the siblings before it, so the
tree never holds more than the record being read. Tags are matched by their local name only:
GPX 1.0 and 1.1, TCX v1/v2 and the many extension schemas use different namespaces (or
undeclared prefixes) for the same things.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Iterator, Sequence

from lxml import etree

from piri.domain.activity import BrokenFileError

_LOCAL_NAMES: dict[str, str] = {}


def local_name(tag: object) -> str:
    """``{namespace}name``, ``prefix:name`` (an undeclared prefix) or ``name`` -> ``name``.

    Comments, entity references and processing instructions (whose tag is not a string) give
    an empty string, so they never match anything.
    """
    if not isinstance(tag, str):
        return ""
    name = _LOCAL_NAMES.get(tag)
    if name is None:
        name = tag.rpartition("}")[2].rpartition(":")[2]
        if len(_LOCAL_NAMES) < 10_000:  # tag names repeat; a hostile file cannot grow this
            _LOCAL_NAMES[tag] = name
    return name


class XmlStream:
    """The end events of the elements named in ``tags`` (local names), read safely.

    Iterate to get ``(local name, element)`` pairs. Afterwards ``root_name`` is the local name
    of the document's root element (None when there was none) and :meth:`damage` says what
    the parser had to recover from, if anything.
    """

    def __init__(self, data: bytes, tags: Sequence[str]) -> None:
        if not data:
            raise BrokenFileError("the file is empty (0 bytes)")
        self._data = data
        self._tags = [f"{{*}}{name}" for name in tags]
        self.root_name: str | None = None
        self._errors: list[str] = []
        self._fatal: str | None = None

    def __iter__(self) -> Iterator[tuple[str, etree._Element]]:
        context = etree.iterparse(
            io.BytesIO(self._data),
            events=("end",),
            tag=self._tags,
            recover=True,
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        try:
            for _event, element in context:
                if self.root_name is None:
                    self.root_name = local_name(element.getroottree().getroot().tag)
                yield local_name(element.tag), element
        except etree.XMLSyntaxError as error:  # even recover mode gives up on some input
            self._fatal = str(error)
        if self.root_name is None and context.root is not None:
            self.root_name = local_name(context.root.tag)
        for entry in context.error_log:
            if entry.level >= etree.ErrorLevels.ERROR:
                message = f"{entry.message} (line {entry.line})"
                if entry.level == etree.ErrorLevels.FATAL and self._fatal is None:
                    self._fatal = message
                self._errors.append(message)

    @property
    def is_broken(self) -> bool:
        """No root element, or the parser hit a fatal error (truncated, not XML, a bomb)."""
        return self.root_name is None or self._fatal is not None

    def damage(self) -> str | None:
        """The first fatal parser error (else the first error), or None for a clean file."""
        if self._fatal is not None:
            return self._fatal
        return self._errors[0] if self._errors else None

    def broken(self, what: str) -> BrokenFileError:
        """The error for a file that gave nothing usable: ``what`` it should have been."""
        damage = self.damage()
        if self.root_name is None:
            return BrokenFileError(f"not an XML {what} file: {damage or 'no root element'}")
        return BrokenFileError(f"broken {what} file, nothing usable before the damage: {damage}")


def release(element: etree._Element) -> None:
    """Free a record that has been read: empty it and delete the siblings before it."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def text(element: etree._Element | None) -> str | None:
    """The element's own text, stripped; None when empty (an entity's text is never in it)."""
    if element is None or element.text is None:
        return None
    stripped = element.text.strip()
    return stripped or None


def number(value: str | None) -> float | None:
    """A finite float from text, or None (never raises on bad input)."""
    if value is None:
        return None
    try:
        parsed = float(value)
    except ValueError:
        return None
    return parsed if math.isfinite(parsed) else None


def timestamp(value: str | None) -> dt.datetime | None:
    """An ISO 8601 time as an aware datetime; a time without a zone is taken as UTC."""
    if value is None:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=dt.UTC)
    return parsed


def utc_offset_seconds(moment: dt.datetime | None) -> int | None:
    """The offset a time was written with when it is a local one (not zero), else None.

    ``Z`` and ``+00:00`` say nothing about where the runner was, so they give None.
    """
    if moment is None:
        return None
    offset = moment.utcoffset()
    if offset is None or not offset:
        return None
    return int(offset.total_seconds())


class Ascent:
    """Total ascent from a stream of elevations, with a dead band against noise.

    The rule: a reference elevation moves only when the elevation has gone more than
    ``THRESHOLD_M`` metres above or below it; each move upwards adds its full height to the
    ascent. Climbs smaller than the threshold (GPS and barometer noise is about a metre or
    two) count nothing; a steady climb counts in full except for its last few metres.
    """

    THRESHOLD_M = 3.0

    def __init__(self) -> None:
        self.total = 0.0
        self.seen = False
        self._reference: float | None = None

    def restart(self) -> None:
        """A new segment: the next elevation is a new reference (no climb across gaps)."""
        self._reference = None

    def add(self, elevation: float) -> None:
        self.seen = True
        reference = self._reference
        if reference is None:
            self._reference = elevation
        elif elevation - reference > self.THRESHOLD_M:
            self.total += elevation - reference
            self._reference = elevation
        elif reference - elevation > self.THRESHOLD_M:
            self._reference = elevation

    @property
    def metres(self) -> float | None:
        return round(self.total, 1) if self.seen else None


EARTH_RADIUS_M = 6_371_008.8  # the mean radius (IUGG)


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two points in degrees."""
    phi1 = math.radians(lat1)
    phi2 = math.radians(lat2)
    half_dphi = (phi2 - phi1) / 2
    half_dlambda = math.radians(lon2 - lon1) / 2
    a = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


# Sports whose cadence is counted per foot in GPX and TCX files (strides per minute): the
# summaries store steps per minute, both feet, so these values are doubled. Other sports'
# cadence (a bike's crank revolutions) is not steps and is not stored.
FOOT_SPORTS = frozenset({"running", "walking", "hiking"})


def nothing_recorded(kind: str, held: list[tuple[int, str]], nothing: str) -> str:
    """Why a valid GPX/TCX file is not an activity: what it holds instead, with counts."""
    parts = [f"{count} {what}" for count, what in held if count]
    return f"a {kind} without a recorded activity: it holds {', '.join(parts) or nothing}"
