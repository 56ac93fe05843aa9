"""Draw the brand images (custom_components/backward_walking/brand/): run once after a design change.

A walker seen from the side with an arrow pointing backwards, on a round badge; the logo adds the
name. Pillow comes with Home Assistant, so this needs nothing else.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

OUT = Path(__file__).resolve().parent.parent / "custom_components" / "backward_walking" / "brand"
TEAL = (0, 137, 123, 255)
WHITE = (255, 255, 255, 255)


def icon(size: int) -> Image.Image:
    """The badge at ``size`` × ``size`` pixels."""
    scale = size / 256
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((0, 0, size - 1, size - 1), fill=TEAL)

    def px(*points: float) -> list[float]:
        return [p * scale for p in points]

    width = round(14 * scale)
    draw.ellipse(px(140, 40, 176, 76), fill=WHITE)  # head
    draw.line(px(152, 80, 140, 150), fill=WHITE, width=width)  # body
    draw.line(px(140, 150, 168, 210), fill=WHITE, width=width)  # front leg
    draw.line(px(140, 150, 112, 204), fill=WHITE, width=width)  # back leg, stepping back
    draw.line(px(150, 96, 176, 132), fill=WHITE, width=width)  # arm
    draw.line(px(150, 96, 122, 124), fill=WHITE, width=width)  # arm
    draw.line(px(104, 112, 44, 112), fill=WHITE, width=width)  # arrow: walking backwards
    draw.polygon(px(36, 112, 64, 92, 64, 132), fill=WHITE)
    return image


def logo(text: tuple[int, int, int, int] = TEAL) -> Image.Image:
    """The badge with the name beside it, 768 × 256 pixels (white text for dark themes)."""
    image = Image.new("RGBA", (768, 256), (0, 0, 0, 0))
    image.paste(icon(256), (0, 0))
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=64)
    draw.text((280, 72), "Backward", font=font, fill=text)
    draw.text((280, 140), "Walking", font=font, fill=text)
    return image


def main() -> None:
    """Write the icons and the logos; only the logo has a dark variant (the badge suits both)."""
    OUT.mkdir(exist_ok=True)
    icon(256).save(OUT / "icon.png")
    icon(512).save(OUT / "icon@2x.png")
    for prefix, text in (("", TEAL), ("dark_", WHITE)):
        logo(text).save(OUT / f"{prefix}logo.png")
        logo(text).resize((1536, 512)).save(OUT / f"{prefix}logo@2x.png")


if __name__ == "__main__":
    main()
