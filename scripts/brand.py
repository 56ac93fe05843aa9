"""Draw the brand images (custom_components/backward_walking/brand/): run once after a design change.

A walker seen from the side with an arrow pointing backwards, on a round badge; the logo adds the
name on one line. Home Assistant 2026.3+ shows the logo 30 px tall on the device page, so both are
drawn to read at that size: a bold figure filling the badge, and a name as tall as the image allows,
cropped to the ink with no empty margin. Pillow comes with Home Assistant, so this needs nothing else
(its built-in font, thickened with a stroke).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

OUT = Path(__file__).resolve().parent.parent / "custom_components" / "backward_walking" / "brand"
TEAL = (0, 121, 107, 255)
WHITE = (255, 255, 255, 255)
NAME = "Backward Walking"


def icon(size: int) -> Image.Image:
    """The badge at ``size`` × ``size`` pixels (drawn 4× larger, then scaled down for smooth edges)."""
    big = size * 4
    scale = big / 256
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((0, 0, big - 1, big - 1), fill=TEAL)

    def px(*points: float) -> list[float]:
        return [p * scale for p in points]

    def limb(*points: float) -> None:
        """A stroke through ``points`` with round joints and round ends."""
        draw.line(px(*points), fill=WHITE, width=round(22 * scale), joint="curve")
        for x, y in (points[:2], points[-2:]):
            draw.ellipse(px(x - 11, y - 11, x + 11, y + 11), fill=WHITE)

    draw.ellipse(px(136, 26, 184, 74), fill=WHITE)  # head
    limb(156, 88, 146, 150, 176, 212)  # body and front leg
    limb(146, 150, 116, 208)  # back leg, stepping back
    limb(130, 130, 154, 102, 182, 134)  # arms
    limb(94, 118, 56, 118)  # arrow shaft: walking backwards
    draw.polygon(px(18, 118, 66, 80, 66, 156), fill=WHITE)  # arrow head
    return image.resize((size, size), Image.Resampling.LANCZOS)


def logo(height: int, text: tuple[int, int, int, int] = TEAL) -> Image.Image:
    """The badge and the name on one line, ``height`` pixels tall (white text for dark themes)."""
    font = ImageFont.load_default(size=round(height * 0.62))
    stroke = max(1, round(height * 0.018))  # a bolder face than the default font's regular weight
    left, top, right, bottom = font.getbbox(NAME, stroke_width=stroke)
    gap = round(height * 0.14)
    image = Image.new("RGBA", (height + gap + right - left, height), (0, 0, 0, 0))
    image.paste(icon(height), (0, 0))
    draw = ImageDraw.Draw(image)
    y = (height - (bottom - top)) / 2 - top
    draw.text(
        (height + gap - left, y), NAME, font=font, fill=text, stroke_width=stroke, stroke_fill=text
    )
    return image


def main() -> None:
    """Write the icons and the logos; only the logo has a dark variant (the badge suits both)."""
    OUT.mkdir(exist_ok=True)
    images = {"icon.png": icon(256), "icon@2x.png": icon(512)}
    for prefix, text in (("", TEAL), ("dark_", WHITE)):
        images[f"{prefix}logo.png"] = logo(256, text)
        images[f"{prefix}logo@2x.png"] = logo(512, text)
    for name, image in images.items():
        # 64 colours keep the smooth edges in a third of the bytes; saved as RGBA like HA's brands.
        reduced = image.quantize(64, method=Image.Quantize.FASTOCTREE).convert("RGBA")
        reduced.save(OUT / name, optimize=True)


if __name__ == "__main__":
    main()
