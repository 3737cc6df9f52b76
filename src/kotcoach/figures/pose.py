"""The figure of an exercise: forward kinematics from a pose's angles, and the picture as lines.

Pure geometry, no I/O. The convention (docs/catalogue.md, "A pose"): a side view, the figure
faces +x, y is up, the floor is y = 0, lengths in metres. Angles are in degrees:

- trunk: the hip-to-shoulder line from vertical, positive leaning forward (absolute);
- spine: the upper half of the trunk bent forward from the lower half (rounding the back);
- neck: the head bent forward from the upper trunk (chin to chest);
- hip: the thigh from the trunk's line, positive in flexion (knee forward and up);
- knee: flexion, 0 straight, positive heel towards the bottom;
- ankle: 0 with the foot at a right angle to the shin, positive dorsiflexion (toes up);
- shoulder: the upper arm from hanging along the trunk, positive in flexion (arm forward, up);
- elbow: flexion, 0 straight.

Segment lengths are Winter's proportions of body height (Biomechanics and Motor Control of Human
Movement, fig. 4.1): shoulder 0.818 H, hip 0.530 H, knee 0.285 H, ankle 0.039 H above the floor
standing; foot 0.152 H; elbow 0.630 H and wrist 0.485 H standing, arms hanging; hand 0.108 H;
chin 0.870 H.

Placing: the first contact of each frame stands on its surface (the floor or a prop), at the x
that point had in the first frame, so planted feet stay put from frame to frame. Surface props
are placed under or beside what touches them in the first frame.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from kotcoach.catalogue.models import Pose, PoseFrame, Prop

Point = tuple[float, float]
Points = dict[str, Point]

HEIGHT = 1.75  # metres: the figure's height
CONTACT_TOLERANCE = 0.05  # metres: how far a touching point may sit from its surface
FLOOR_TOLERANCE = 0.01  # metres: how far below the floor a point may dip (rounding)

# Winter's landmarks, as fractions of height.
_SHOULDER, _HIP, _KNEE, _ANKLE = 0.818, 0.530, 0.285, 0.039
_ELBOW, _WRIST, _CHIN, _HAND, _FOOT = 0.630, 0.485, 0.870, 0.108, 0.152
_HEEL_SHARE = 0.25  # of the foot's length behind the ankle
_FOOT_WIDTH = 0.055  # the foot seen end-on, in a front view


@dataclass(frozen=True)
class Segments:
    """Segment lengths in metres for a figure of a given height."""

    height: float
    trunk: float
    thigh: float
    shank: float
    ankle_height: float
    foot: float
    upper_arm: float
    forearm: float  # elbow to the middle of the palm
    neck: float  # shoulder to the centre of the head
    head_radius: float

    @classmethod
    def of(cls, height: float = HEIGHT) -> Segments:
        head = (1.0 - _CHIN) * height
        return cls(
            height=height,
            trunk=(_SHOULDER - _HIP) * height,
            thigh=(_HIP - _KNEE) * height,
            shank=(_KNEE - _ANKLE) * height,
            ankle_height=_ANKLE * height,
            foot=_FOOT * height,
            upper_arm=(_SHOULDER - _ELBOW) * height,
            forearm=(_ELBOW - _WRIST + _HAND / 2) * height,
            neck=(_CHIN - _SHOULDER) * height + head / 2,
            head_radius=head / 2,
        )


def _step(start: Point, degrees: float, length: float) -> Point:
    angle = math.radians(degrees)
    return (start[0] + length * math.cos(angle), start[1] + length * math.sin(angle))


def _foot(ankle: Point, direction: float, seg: Segments, front_view: bool) -> tuple[Point, Point]:
    """Heel and toe from the ankle and the foot's direction (degrees from +x)."""
    back, ahead = (
        (_FOOT_WIDTH * seg.height / 2, _FOOT_WIDTH * seg.height / 2)
        if front_view
        else (_HEEL_SHARE * seg.foot, (1 - _HEEL_SHARE) * seg.foot)
    )
    sole = _step(ankle, direction - 90, seg.ankle_height)
    return _step(sole, direction + 180, back), _step(sole, direction, ahead)


def joint_points(frame: PoseFrame, seg: Segments, front_view: bool = False) -> Points:
    """Every point of the figure with the hip at the origin.

    Directions are degrees anticlockwise from +x; the figure faces +x.
    """
    hip: Point = (0.0, 0.0)
    lower = 90.0 - frame.trunk
    upper = lower - frame.spine
    spine = _step(hip, lower, seg.trunk / 2)
    shoulder = _step(spine, upper, seg.trunk / 2)
    points: Points = {
        "hip": hip,
        "spine": spine,
        "shoulder": shoulder,
        "head": _step(shoulder, upper - frame.neck, seg.neck),
    }
    back_shoulder = frame.shoulder if frame.back_shoulder is None else frame.back_shoulder
    back_elbow = frame.elbow if frame.back_elbow is None else frame.back_elbow
    for prefix, flexion, bend in (
        ("", frame.shoulder, frame.elbow),
        ("back_", back_shoulder, back_elbow),
    ):
        arm = upper - 180 + flexion
        elbow = _step(shoulder, arm, seg.upper_arm)
        points[prefix + "elbow"] = elbow
        points[prefix + "hand"] = _step(elbow, arm + bend, seg.forearm)
    legs = (
        ("", frame.hip, frame.knee, frame.ankle),
        (
            "back_",
            frame.hip if frame.back_hip is None else frame.back_hip,
            frame.knee if frame.back_knee is None else frame.back_knee,
            frame.ankle if frame.back_ankle is None else frame.back_ankle,
        ),
    )
    for prefix, flexion, bend, ankle_angle in legs:
        thigh = lower - 180 + flexion
        knee = _step(hip, thigh, seg.thigh)
        shank = thigh - bend
        ankle = _step(knee, shank, seg.shank)
        heel, toe = _foot(ankle, shank + 90 + ankle_angle, seg, front_view)
        points.update(
            {
                prefix + "knee": knee,
                prefix + "ankle": ankle,
                prefix + "heel": heel,
                prefix + "toe": toe,
            }
        )
    return points


def _shift(points: Points, dx: float, dy: float) -> Points:
    return {name: (x + dx, y + dy) for name, (x, y) in points.items()}


# Surfaces: default height and width in metres.
_BLOCKS: dict[str, tuple[float, float]] = {
    "step": (0.15, 0.35),
    "box": (0.45, 0.45),
    "bench": (0.45, 0.4),
    "chair": (0.45, 0.42),
    "mat": (0.04, 0.5),
    "treadmill": (0.18, 1.3),
}
_SLANT_EDGE = 0.02  # the thin end of a slant board
_SLANT_LENGTH = 0.45


@dataclass(frozen=True)
class Surface:
    """A placed surface prop: a block or slant board (left..right, top), or a wall or rail (x)."""

    kind: str
    left: float
    right: float
    height: float
    slope: float = 0.0  # metres of rise per metre towards -x (a slant board, heels high)

    def top(self, x: float) -> float:
        if self.slope > 0:  # heels high: the thin edge is at the right, under the toes
            return self.height + self.slope * (self.right - x)
        if self.slope < 0:  # toes high: the thin edge is at the left, under the heels
            return self.height - self.slope * (x - self.left)
        return self.height

    @property
    def vertical(self) -> bool:
        return self.kind in ("wall", "rail")

    def distance(self, point: Point) -> float:
        """How far a point is from this surface, in metres."""
        x, y = point
        if self.vertical:
            return abs(x - self.left) if 0 <= y <= self.height + CONTACT_TOLERANCE else math.inf
        outside = max(self.left - x, x - self.right, 0.0)
        return math.hypot(outside, y - self.top(min(max(x, self.left), self.right)))


FLOOR = Surface("floor", -math.inf, math.inf, 0.0)

# How far a joint's centre sits from a surface it rests on: half the body's thickness there.
_CLEARANCE = {"shoulder": 0.08, "spine": 0.09, "hip": 0.09, "knee": 0.05, "elbow": 0.04}


def clearance(point: str, seg: Segments) -> float:
    if point == "head":
        return seg.head_radius
    return _CLEARANCE.get(point.removeprefix("back_"), 0.0)


def _place_surface(prop: Prop, touching: list[Point], body: list[Point]) -> Surface:
    xs = [x for x, _ in touching]
    if prop.kind in ("wall", "rail"):
        if prop.x is not None:
            x = prop.x
        else:
            mean = sum(x for x, _ in body) / len(body)
            x = min(xs) if mean >= min(xs) else max(xs)
        reach = max(y for _, y in touching) + 0.12
        default = max(2.0, reach) if prop.kind == "wall" else max(1.0, reach)
        return Surface(prop.kind, x, x, prop.height or default)
    if prop.kind == "slant-board":  # on the floor, or on a step of `height`
        right = prop.x if prop.x is not None else max(xs) + 0.05
        length = prop.width or _SLANT_LENGTH
        slope = math.tan(math.radians(prop.angle or 25))
        left = right - length
        if slope < 0 and prop.x is None:
            left = min(xs) - 0.05
            right = left + length
        return Surface(prop.kind, left, right, (prop.height or 0.0) + _SLANT_EDGE, slope)
    height, width = _BLOCKS[prop.kind]
    height, width = prop.height or height, prop.width or width
    if prop.x is not None:
        right = prop.x
    elif prop.kind in ("step", "box") and len(xs) == 1:
        return Surface(prop.kind, xs[0] - 0.07, xs[0] - 0.07 + width, height)  # heels hang off
    else:
        right = max(xs) + 0.03
    return Surface(prop.kind, min(min(xs) - 0.1, right - width), right, height)


@dataclass(frozen=True)
class Layout:
    """A pose placed in the world: each frame's points, the surfaces and the held props."""

    frames: list[Points]
    surfaces: dict[str, Surface]
    props: list[Prop]
    contacts: list[Mapping[str, str]]
    seg: Segments
    knee_past_toes: bool
    front_view: bool
    draw_back_leg: list[bool] = field(default_factory=list)
    draw_back_arm: list[bool] = field(default_factory=list)

    def surface(self, name: str) -> Surface:
        return FLOOR if name == "floor" else self.surfaces[name]

    def contact_errors(self) -> list[tuple[int, str, str, float]]:
        """(frame, point, surface, metres off) for each contact not touching its surface."""
        found = []
        for i, (points, contacts) in enumerate(zip(self.frames, self.contacts, strict=True)):
            for name, surface in contacts.items():
                off = touching(self.surface(surface), name, points[name], self.seg)
                if off > CONTACT_TOLERANCE:
                    found.append((i, name, surface, off))
        return found


def touching(surface: Surface, name: str, point: Point, seg: Segments) -> float:
    """How far a body point is from resting on a surface, in metres (0: it rests there)."""
    gap = clearance(name, seg)
    x, y = point
    if surface.vertical:
        return surface.distance((x, y)) if not gap else max(0.0, surface.distance((x, y)) - gap)
    return surface.distance((x, y - gap))


def layout(pose: Pose, height: float = HEIGHT) -> Layout:
    """Place every frame of a pose: contacts on their surfaces, planted points kept still.

    Each frame's first contact stands on its surface at the x that point had in the first
    frame. A surface prop is placed by the first frame that touches it.
    """
    seg = Segments.of(height)
    front = pose.view == "front"
    surfaces: dict[str, Surface] = {}
    frames: list[Points] = []
    for frame in pose.frames:
        contacts = _contacts(frame)
        points = joint_points(frame, seg, front)
        anchor, stand_on = next(iter(frame.contacts.items()))
        x = frames[0][anchor][0] if frames else 0.0
        x = x if frame.x is None else frame.x
        points = _shift(points, x - points[anchor][0], 0.0)
        if stand_on != "floor" and stand_on not in surfaces:
            surfaces[stand_on] = _place(pose, stand_on, contacts, points, seg)
        surface = FLOOR if stand_on == "floor" else surfaces[stand_on]
        rest = surface.top(x) + clearance(anchor, seg)
        points = _shift(points, 0.0, rest - points[anchor][1])
        for kind in frame.contacts.values():
            if kind != "floor" and kind not in surfaces:
                surfaces[kind] = _place(pose, kind, contacts, points, seg)
        frames.append(points)
    return Layout(
        frames=frames,
        surfaces=surfaces,
        props=[p for p in pose.props if p.kind not in surfaces],
        contacts=[_contacts(frame) for frame in pose.frames],
        seg=seg,
        knee_past_toes=pose.knee_past_toes,
        front_view=front,
        draw_back_leg=[
            any(v is not None for v in (f.back_hip, f.back_knee, f.back_ankle)) for f in pose.frames
        ],
        draw_back_arm=[
            f.back_shoulder is not None or f.back_elbow is not None for f in pose.frames
        ],
    )


def _contacts(frame: PoseFrame) -> dict[str, str]:
    return {str(point): str(surface) for point, surface in frame.contacts.items()}


def _place(
    pose: Pose, kind: str, contacts: Mapping[str, str], points: Points, seg: Segments
) -> Surface:
    prop = next(p for p in pose.props if p.kind == kind)
    names = [name for name, surface in contacts.items() if surface == kind]
    touching = [points[name] for name in names]
    if kind in ("wall", "rail"):  # the wall stands beside the body, not through the joint
        mean = sum(x for x, _ in points.values()) / len(points)
        side = -1.0 if mean >= min(x for x, _ in touching) else 1.0
        touching = [
            (x + side * clearance(n, seg), y) for n, (x, y) in zip(names, touching, strict=True)
        ]
    return _place_surface(prop, touching, list(points.values()))


def pose_json(pose: Pose, height: float = HEIGHT) -> dict[str, Any]:
    """The pose as written, with each frame's computed points: name -> [x, y] in metres."""
    data = pose.model_dump(mode="json", exclude_none=True)
    for frame, points in zip(data["frames"], layout(pose, height).frames, strict=True):
        frame["points"] = {name: [round(x, 3), round(y, 3)] for name, (x, y) in points.items()}
    return data


# The picture, as strokes any renderer can draw. Styles: body, far (the limbs behind), prop,
# band, guide (the knee-past-toes line, dashed), motion (the faint arrow), floor.
Style = Literal["body", "far", "prop", "band", "guide", "motion", "floor"]


@dataclass(frozen=True)
class Stroke:
    points: tuple[Point, ...]
    style: Style
    closed: bool = False
    filled: bool = False


@dataclass(frozen=True)
class Circle:
    centre: Point
    radius: float
    style: Style
    filled: bool = False


@dataclass(frozen=True)
class Scene:
    """Panels side by side, in metres, with the origin at the bottom left."""

    width: float
    height: float
    strokes: tuple[Stroke, ...]
    circles: tuple[Circle, ...]
    panels: int


_GAP = 0.3  # metres between panels

Panel = tuple[list[Stroke], list[Circle]]


def split_panels(drawing: Scene, leave_out: Style) -> list[Panel]:
    """The scene's strokes and circles panel by panel, each moved back to the first panel's place,
    without the strokes of one style (the floor for a figure packed close, the motion arrow for
    an animated one). A stroke belongs to the panel its leftmost point stands in."""
    count = max(drawing.panels, 1)
    panel = (drawing.width - (count - 1) * _GAP) / count
    pitch = panel + _GAP
    found: list[Panel] = [([], []) for _ in range(count)]

    def which(x: float) -> int:
        return min(count - 1, max(0, int((x + _GAP / 2) // pitch)))

    for stroke in drawing.strokes:
        if stroke.style == leave_out:
            continue
        i = which(min(x for x, _ in stroke.points))
        dx = i * pitch
        points = tuple((x - dx, y) for x, y in stroke.points)
        found[i][0].append(Stroke(points, stroke.style, stroke.closed, stroke.filled))
    for circle in drawing.circles:
        i = which(circle.centre[0])
        (x, y), dx = circle.centre, i * pitch
        found[i][1].append(Circle((x - dx, y), circle.radius, circle.style, circle.filled))
    return found


_MARGIN = 0.06
# The arrow follows the body's largest movement; the hands and feet only when the body is still.
_MOVERS = ("head", "shoulder", "hip", "knee", "back_knee")
_FINE = ("hand", "toe", "heel", "back_toe", "back_heel")


def _surface_strokes(surface: Surface, top: float, body_side: float) -> list[Stroke]:
    left, right, height = surface.left, surface.right, surface.height
    if surface.kind == "wall":
        side = -0.06 if body_side > left else 0.06
        ticks = [
            Stroke(((left, y), (left + side, y - 0.08)), "prop")
            for y in [0.2 * i for i in range(1, int(top / 0.2) + 1)]
        ]
        return [Stroke(((left, 0.0), (left, top)), "prop"), *ticks]
    if surface.kind == "rail":
        return [Stroke(((left, 0.0), (left, height)), "prop")]
    if surface.kind == "slant-board":
        base = height - _SLANT_EDGE
        wedge = (
            (left, base),
            (right, base),
            (right, surface.top(right)),
            (left, surface.top(left)),
        )
        under = ((left, 0.0), (right, 0.0), (right, base), (left, base))
        block = [Stroke(under, "prop", True, True)] if base > 0 else []
        return [*block, Stroke(wedge, "prop", True, True)]
    box = ((left, 0.0), (right, 0.0), (right, height), (left, height))
    if surface.kind == "chair":
        seat = ((left, height - 0.04), (right, height - 0.04), (right, height), (left, height))
        return [
            Stroke(seat, "prop", True, True),
            Stroke(((left + 0.02, 0.0), (left + 0.02, height + 0.45)), "prop"),
            Stroke(((right - 0.02, 0.0), (right - 0.02, height - 0.04)), "prop"),
        ]
    if surface.kind == "bench":
        slab = ((left, height - 0.06), (right, height - 0.06), (right, height), (left, height))
        return [
            Stroke(slab, "prop", True, True),
            Stroke(((left + 0.08, 0.0), (left + 0.08, height - 0.06)), "prop"),
            Stroke(((right - 0.08, 0.0), (right - 0.08, height - 0.06)), "prop"),
        ]
    if surface.kind == "treadmill":
        return [
            Stroke(box, "prop", True, True),
            Stroke(((right, height), (right + 0.1, 1.1), (right - 0.1, 1.1)), "prop"),
        ]
    return [Stroke(box, "prop", True, True)]


def _held_strokes(prop: Prop, points: Points) -> tuple[list[Stroke], list[Circle]]:
    assert prop.at is not None  # Prop's validator insists on it for held kinds
    x, y = points[prop.at]
    if prop.kind == "dumbbell":
        return [], [Circle((x, y - 0.02), prop.size or 0.06, "prop", True)]
    if prop.kind == "barbell":
        return [], [Circle((x, y), prop.size or 0.1, "prop")]
    if prop.kind == "tib-bar":
        return [Stroke(((x - 0.05, y + 0.05), (x + 0.05, y - 0.02)), "prop")], [
            Circle((x + 0.02, y - 0.05), prop.size or 0.08, "prop")
        ]
    if prop.kind == "anchor":
        pad = (
            (x - 0.08, y + 0.04),
            (x + 0.08, y + 0.04),
            (x + 0.08, y + 0.14),
            (x - 0.08, y + 0.14),
        )
        return [Stroke(pad, "prop", True, True)], []
    if prop.kind == "pad":  # a machine's roller pad, on a lever from `to` when given
        roller = Circle((x, y), prop.size or 0.05, "prop", True)
        lever = [Stroke(((x, y), points[prop.to]), "prop")] if prop.to else []
        return lever, [roller]
    if prop.kind == "platform":  # a plate under the sole, from `at` to `to` and a little beyond
        end = points[prop.to or "toe"]
        dx, dy = end[0] - x, end[1] - y
        size = math.hypot(dx, dy) or 1.0
        ux, uy = dx / size, dy / size
        plate = ((x - 0.12 * ux, y - 0.12 * uy), (end[0] + 0.12 * ux, end[1] + 0.12 * uy))
        return [Stroke(plate, "prop")], []
    if prop.kind == "backpack":  # a pack on the upper back, behind `at`
        sx, sy = points["shoulder"]
        dx, dy = sx - x, sy - y
        size = math.hypot(dx, dy) or 1.0
        nx, ny = -dy / size * 0.12, dx / size * 0.12  # to the figure's back
        pack = ((x, y), (sx, sy), (sx + nx, sy + ny), (x + nx, y + ny))
        return [Stroke(pack, "prop", True, True)], []
    if prop.kind == "sled":
        reach = prop.length or 0.0
        near = x + max(reach, 0.08)
        body = ((near, 0.0), (near + 0.6, 0.0), (near + 0.55, 0.3), (near, 0.3))
        line = ((x, y), (near + (0.0 if reach else 0.08), 0.3 if not reach else 0.15))
        return [Stroke(body, "prop", True, True), Stroke(line, "prop" if not reach else "band")], []
    # A band: to another body point, or to an anchor with a small post.
    if prop.to is not None:
        return [Stroke(((x, y), points[prop.to]), "band")], []
    assert prop.x is not None and prop.y is not None
    return [Stroke(((x, y), (prop.x, prop.y)), "band")], [
        Circle((prop.x, prop.y), 0.025, "prop", True)
    ]


def _body_strokes(
    points: Points, seg: Segments, back_leg: bool, back_arm: bool
) -> tuple[list[Stroke], list[Circle]]:
    p = points
    strokes: list[Stroke] = []

    def limb(*names: str, style: Style = "body") -> None:
        strokes.append(Stroke(tuple(p[n] for n in names), style))

    if back_leg:
        limb("hip", "back_knee", "back_ankle", style="far")
        limb("back_ankle", "back_heel", "back_toe", "back_ankle", style="far")
    if back_arm:
        limb("shoulder", "back_elbow", "back_hand", style="far")
    limb("hip", "spine", "shoulder")
    hx, hy = p["head"]
    sx, sy = p["shoulder"]
    gap = math.hypot(hx - sx, hy - sy)
    neck_end = (
        sx + (hx - sx) * (1 - seg.head_radius / gap),
        sy + (hy - sy) * (1 - seg.head_radius / gap),
    )
    strokes.append(Stroke((p["shoulder"], neck_end), "body"))
    limb("hip", "knee", "ankle")
    limb("ankle", "heel", "toe", "ankle")
    limb("shoulder", "elbow", "hand")
    return strokes, [Circle(p["head"], seg.head_radius, "body")]


TRAVEL = 0.4  # metres: the floor arrow's length, for a pose that travels
MOTION_MAX = 0.3  # metres: a joint's motion arrow at most this long, ending where it goes


def _arrow(start: Point, end: Point) -> Stroke | None:
    dx, dy = end[0] - start[0], end[1] - start[1]
    length = math.hypot(dx, dy)
    if length < 0.08:
        return None
    ux, uy = dx / length, dy / length
    if length > MOTION_MAX:  # a long arrow reads as a limb or a prop: keep its last stretch
        start = (end[0] - ux * MOTION_MAX, end[1] - uy * MOTION_MAX)
    a = (start[0] + ux * 0.04, start[1] + uy * 0.04)
    b = (end[0] - ux * 0.04, end[1] - uy * 0.04)
    head = 0.05
    left = (b[0] - head * (ux - 0.6 * uy), b[1] - head * (uy + 0.6 * ux))
    right = (b[0] - head * (ux + 0.6 * uy), b[1] - head * (uy - 0.6 * ux))
    return Stroke((a, b, left, b, right), "motion")


def scene(pose: Pose, height: float = HEIGHT) -> Scene:
    """The figure's frames side by side (start to end), with props, guides and the motion arrow."""
    placed = layout(pose, height)
    seg = placed.seg
    body = [pt for points in placed.frames for pt in points.values()]
    top = max(y for _, y in body) + seg.head_radius + 0.05
    xs = [x for x, _ in body]
    ys = [0.0, top]
    for surface in placed.surfaces.values():
        if surface.kind not in ("wall", "rail"):
            xs += [surface.left, surface.right]
        else:
            xs.append(surface.left)
            ys.append(surface.height)
    for prop in placed.props:
        if prop.kind == "band" and prop.x is not None and prop.y is not None:
            xs.append(prop.x)
        if prop.kind == "sled" and prop.at is not None:
            reach = max(prop.length or 0.0, 0.08) + 0.6
            xs += [points[prop.at][0] + reach for points in placed.frames]
    behind = [min(x for x, _ in points.values()) - 0.08 for points in placed.frames]
    if pose.travel is not None:  # the floor arrow goes behind the figure
        xs += [b - TRAVEL for b in behind]
    left = min(xs) - seg.head_radius - _MARGIN
    right = max(xs) + seg.head_radius + _MARGIN
    panel = right - left
    top = min(max(ys), top + 0.1)

    strokes: list[Stroke] = []
    circles: list[Circle] = []
    mid_x = sum(x for x, _ in placed.frames[0].values()) / len(placed.frames[0])
    for i, points in enumerate(placed.frames):
        dx = i * (panel + _GAP) - left

        def moved(items: Iterable[Stroke], dx: float = dx) -> list[Stroke]:
            return [
                Stroke(tuple((x + dx, y) for x, y in s.points), s.style, s.closed, s.filled)
                for s in items
            ]

        def moved_circles(items: Iterable[Circle], dx: float = dx) -> list[Circle]:
            return [
                Circle((c.centre[0] + dx, c.centre[1]), c.radius, c.style, c.filled) for c in items
            ]

        strokes += moved([Stroke(((left, 0.0), (right, 0.0)), "floor")])
        for surface in placed.surfaces.values():
            strokes += moved(_surface_strokes(surface, top, mid_x))
        if placed.knee_past_toes:
            tx, ty = points["toe"]
            knee_top = points["knee"][1] + 0.12
            strokes += moved([Stroke(((tx, ty), (tx, knee_top)), "guide")])
        for prop in placed.props:
            extra_strokes, extra_circles = _held_strokes(prop, points)
            strokes += moved(extra_strokes)
            circles += moved_circles(extra_circles)
        body_strokes, body_circles = _body_strokes(
            points, seg, placed.draw_back_leg[i], placed.draw_back_arm[i]
        )
        strokes += moved(body_strokes)
        circles += moved_circles(body_circles)
        if pose.travel is not None:  # which way the person moves over the floor
            tail, tip = (behind[i], 0.1), (behind[i] - TRAVEL, 0.1)
            travel = _arrow(*((tail, tip) if pose.travel == "backward" else (tip, tail)))
            strokes += moved([travel] if travel is not None else [])
    last = len(placed.frames) - 1
    if last and pose.travel is None:  # a travelling pose has its floor arrow instead
        begin, end = placed.frames[0], placed.frames[last]
        movers = [n for n in _MOVERS if math.dist(begin[n], end[n]) >= 0.08] or list(_FINE)
        mover = max(movers, key=lambda n: math.dist(begin[n], end[n]))
        arrow = _arrow(begin[mover], end[mover])
        if arrow is not None:
            dx = last * (panel + _GAP) - left
            strokes.append(Stroke(tuple((x + dx, y) for x, y in arrow.points), "motion"))
    count = len(placed.frames)
    return Scene(
        width=count * panel + (count - 1) * _GAP,
        height=top,
        strokes=tuple(strokes),
        circles=tuple(circles),
        panels=count,
    )


STANDARD_HEIGHT = 2.0  # metres: scenes shorter than this (lying, kneeling) keep a standing scale


def fit_scale(drawing: Scene, width: float, height: float) -> float:
    """Units per metre that fit a scene in a box, drawing every figure at the same scale when
    the box is tall enough for a standing one."""
    return min(height / max(drawing.height, STANDARD_HEIGHT), width / drawing.width)
