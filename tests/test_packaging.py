"""What HACS and hassfest check, checked here so that a broken key fails CI."""

from __future__ import annotations

import json
from pathlib import Path
import re
import string
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from PIL import Image
import pytest
import yaml

from custom_components.backward_walking.const import DOMAIN, SNOOZE_MINUTES_RANGE
from custom_components.backward_walking.core.messages import Message
from custom_components.backward_walking.core.options import SPEED_SHOWN, TARGET_MINUTES
from custom_components.backward_walking.core.safety import Hazard

ROOT = Path(__file__).parent.parent
COMPONENT = ROOT / "custom_components" / DOMAIN


def load(name: str) -> Any:
    return json.loads((COMPONENT / name).read_text(encoding="utf-8"))


def leaves(tree: Any, prefix: str = "") -> set[str]:
    if isinstance(tree, dict):
        return {leaf for key, value in tree.items() for leaf in leaves(value, f"{prefix}{key}.")}
    return {prefix.rstrip(".")}


def test_manifest() -> None:
    manifest = load("manifest.json")
    keys = list(manifest)
    assert keys[:2] == ["domain", "name"]
    assert keys[2:] == sorted(keys[2:])
    assert manifest["domain"] == DOMAIN
    assert re.fullmatch(r"\d+\.\d+\.\d+", manifest["version"])
    assert manifest["config_flow"] is True
    assert manifest["iot_class"] == "calculated"
    assert manifest["requirements"] == []
    for key in ("codeowners", "documentation", "issue_tracker", "integration_type"):
        assert manifest[key]


def test_hacs_json() -> None:
    hacs = json.loads((ROOT / "hacs.json").read_text())
    assert set(hacs) <= {
        "name",
        "homeassistant",
        "render_readme",
        "hacs",
        "zip_release",
        "filename",
    }
    assert hacs["name"] == load("manifest.json")["name"]
    assert hacs["homeassistant"] == "2025.4.0"


def test_translations_are_complete_and_match() -> None:
    english = load("translations/en.json")
    german = load("translations/de.json")
    assert leaves(english) == leaves(german)
    placeholders = re.compile(r"{(\w+)}")
    for key in leaves(english):
        node_en, node_de = english, german
        for part in key.split("."):
            node_en, node_de = node_en[part], node_de[part]
        assert set(placeholders.findall(node_en)) == set(placeholders.findall(node_de)), key


# Words that are the same in both languages; any other German string equal to its English one is
# a text nobody translated.
SAME_IN_GERMAN = {"Name", "Person", "Coach", "Compendium", "Sensor", "Start", "Pause"}


def test_german_is_translated_and_says_du() -> None:
    """Every German text differs from the English one, and speaks to people as "du", like HA's."""
    english = load("translations/en.json")
    german = load("translations/de.json")
    for key in sorted(leaves(english)):
        node_en, node_de = english, german
        for part in key.split("."):
            node_en, node_de = node_en[part], node_de[part]
        assert node_de != node_en or node_de in SAME_IN_GERMAN, key
        assert not re.search(r"\b(Sie|Ihnen|Ihr|Ihre|Ihrer|Ihres|Ihrem|Ihren)\b", node_de), key


@pytest.mark.parametrize("language", ["en", "de"])
def test_message_texts_are_valid_common_strings(language: str) -> None:
    """Notification texts live in ``common``: flat slug keys and plain values, as hassfest wants."""
    common = load(f"translations/{language}.json")["common"]
    for key, text in common.items():
        assert re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)*", key), key
        assert isinstance(text, str), key
        assert text == text.strip(), key
        assert not re.search(r"<[a-z/]|'{\w+}'|https?://|www\.", text), key
        for _, field, _, _ in string.Formatter().parse(text):
            assert field is None or field.isidentifier(), key
    # The keys the code builds from the engine's messages and hazards.
    built = {
        f"{m}_{part}" for m in Message if m is not Message.REMINDER for part in ("title", "body")
    }
    # Sensors being checked are one phrase for all of them (sensors_checking).
    built |= {f"hazard_{hazard}" for hazard in Hazard if hazard is not Hazard.CHECKING}
    built |= {"sensors_checking", "sensors_checking_ready"}
    assert built <= set(common)


async def test_services_yaml_translations_icons_and_registry_agree(hass: HomeAssistant) -> None:
    described = yaml.safe_load((COMPONENT / "services.yaml").read_text())
    english = load("translations/en.json")["services"]
    icons = load("icons.json")["services"]
    assert await async_setup_component(hass, DOMAIN, {})
    registered = (
        set(hass.services.async_services_for_domain(DOMAIN))
        if hasattr(hass.services, "async_services_for_domain")
        else set(hass.services.async_services()[DOMAIN])
    )
    assert set(described) == set(english) == set(icons) == registered
    for service, spec in described.items():
        assert set(spec.get("fields", {})) == set(english[service]["fields"]), service


def test_action_selectors_take_the_option_tables_limits() -> None:
    """services.yaml must spell its slider limits out; they are the table's, in any unit system."""
    described = yaml.safe_load((COMPONENT / "services.yaml").read_text())

    def limits(service: str, field: str) -> tuple[float, float]:
        number = described[service]["fields"][field]["selector"]["number"]
        return number["min"], number["max"]

    assert limits("start_session", "duration") == TARGET_MINUTES.limits
    speeds = SPEED_SHOWN.values()
    assert limits("start_session", "speed") == (
        min(low for low, _high, _new in speeds),
        max(high for _low, high, _new in speeds),
    )
    assert limits("snooze_reminder", "minutes") == SNOOZE_MINUTES_RANGE


def test_every_entity_has_a_name_and_an_icon() -> None:
    names = load("translations/en.json")["entity"]
    icons = load("icons.json")["entity"]
    for platform, entities in names.items():
        assert set(entities) == set(icons[platform]), platform
        for key, entity in entities.items():
            assert entity["name"], key


def test_exception_and_issue_keys_used_in_code_exist() -> None:
    english = load("translations/en.json")
    code = "\n".join(path.read_text() for path in COMPONENT.rglob("*.py"))
    for key in re.findall(r'_error\(\s*"(\w+)"', code):
        assert key in english["exceptions"], key
    known = {*english["exceptions"], *english["issues"], *english["selector"]}
    for key in re.findall(r'translation_key="(\w+)"', code):
        assert key in known, key
    for kind in ("sensor_missing", "sensor_unavailable", "store_unreadable"):
        assert kind in english["issues"]


@pytest.mark.parametrize(
    ("name", "height"),
    [
        ("icon.png", 256),
        ("icon@2x.png", 512),
        ("logo.png", 256),
        ("logo@2x.png", 512),
        ("dark_logo.png", 256),
        ("dark_logo@2x.png", 512),
    ],
)
def test_brand_images(name: str, height: int) -> None:
    """Icons square, logos landscape (one line, scripts/brand.py), at Home Assistant's brand sizes."""
    with Image.open(COMPONENT / "brand" / name) as image:
        assert image.height == height
        assert image.width == height if name.startswith("icon") else image.width > 3 * height
        assert image.mode == "RGBA"


def test_quality_scale_lists_every_rule() -> None:
    rules = yaml.safe_load((COMPONENT / "quality_scale.yaml").read_text())["rules"]
    for rule, status in rules.items():
        if isinstance(status, dict):
            assert status["status"] in ("done", "todo", "exempt"), rule
            assert status.get("comment"), rule
        else:
            assert status == "done", rule
    assert len(rules) >= 52


def test_the_readmes_built_in_dashboard_is_the_demos() -> None:
    """The README shows the dashboard the browser run checks, word for word."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Dashboard without the card", 1)[1]
    shown = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    demo = (ROOT / "scripts/demo/dashboard_builtin.yaml").read_text(encoding="utf-8")
    assert shown == demo.split("\n", 1)[1]  # without the file's comment line
