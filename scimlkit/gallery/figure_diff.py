"""Compare a rebuilt figure with the committed one, within a stated tolerance.

Two machines draw the same plot a little differently (anti-aliasing, font hinting,
another CPU's floating point), so ``project reproduce`` does not ask for identical bytes.
Images of the same size are compared pixel by pixel on the 0-255 scale of each RGB
channel: the root-mean-square difference must not exceed the tolerance
(``RMS_TOLERANCE``, or ``[tool.scimlkit] figure_tolerance`` in ``code/pyproject.toml``).
A moved curve or a changed axis gives a root-mean-square difference of tens; a
re-rendered anti-aliased edge gives a few at most. For each figure that differs an
image of the difference is written, brightest where the two differ most. Files that are
not PNG or JPEG images are compared byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

RMS_TOLERANCE = 8.0
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")


@dataclass(frozen=True)
class FigureComparison:
    verdict: str  # "identical", "within tolerance" or "differs"
    rms: float = 0.0  # root-mean-square difference, 0-255 scale
    largest: int = 0  # largest difference of one channel of one pixel, 0-255
    differing: float = 0.0  # fraction of pixels that differ at all
    note: str = ""

    def describe(self) -> str:
        if self.note:
            return self.note
        return (f"RMS difference {self.rms:.2f} (largest {self.largest}/255, "
                f"{100 * self.differing:.2f}% of pixels differ)")


def compare_figures(committed: Path, rebuilt: Path, *, tolerance: float = RMS_TOLERANCE,
                    diff_image: Path | None = None) -> FigureComparison:
    """Compare two files; with ``diff_image``, a difference image is written there when they differ."""
    if committed.read_bytes() == rebuilt.read_bytes():
        return FigureComparison("identical")
    if committed.suffix.lower() not in IMAGE_SUFFIXES:
        return FigureComparison("differs", note="the bytes differ (not an image, so no tolerance applies)")
    import numpy as np
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(committed) as first, Image.open(rebuilt) as second:
            old = np.asarray(first.convert("RGB"), dtype=np.int16)
            new = np.asarray(second.convert("RGB"), dtype=np.int16)
    except (UnidentifiedImageError, OSError) as error:
        return FigureComparison("differs", note=f"cannot be read as an image: {error}")
    if old.shape != new.shape:
        return FigureComparison(
            "differs", note=f"the size differs: {old.shape[1]}x{old.shape[0]} committed, {new.shape[1]}x{new.shape[0]} rebuilt"
        )
    difference = np.abs(old - new)
    rms = float(np.sqrt(np.mean(difference.astype(np.float64) ** 2)))
    comparison = FigureComparison(
        "within tolerance" if rms <= tolerance else "differs",
        rms=rms,
        largest=int(difference.max()),
        differing=float(np.mean(difference.max(axis=2) > 0)),
    )
    if comparison.verdict == "differs" and diff_image is not None:
        diff_image.parent.mkdir(parents=True, exist_ok=True)
        scaled = difference.max(axis=2) * (255.0 / max(1, comparison.largest))
        Image.fromarray((255 - scaled).astype(np.uint8), mode="L").save(diff_image)
    return comparison
