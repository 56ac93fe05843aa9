"""Texts of notifications and spoken prompts, in English and German.

Home Assistant's translation files have no category for free-text notifications, so the texts live
here; the language follows Home Assistant's configured language (English otherwise).
"""

from __future__ import annotations

from typing import Any

from .core.guard import Message

_TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "hazard.title": "Stop: the path is not clear",
        "hazard.body": "{walker}, stop and stand still. {reasons}. The session is paused.",
        "warning.title": "Careful",
        "warning.body": "{walker}, careful: {reasons}.",
        "clear.title": "Path clear",
        "clear.body": "The path behind {walker} is clear again. {next_step}",
        "clear.resume": "The session continues.",
        "clear.wait": "Resume when you are ready.",
        "clear.overridden": "Still overridden for this session: {names}.",
        "backoff.title": "Resume when you are ready",
        "backoff.body": "{walker}, the path keeps being blocked. The session stays paused: resume when you are ready.",
        "check_in.title": "Are you OK?",
        "check_in.body": "{walker}, are you OK? Answer within {seconds} seconds, or your contacts will be alerted.",
        "check_in_ok.title": "Thank you",
        "check_in_ok.body": "{walker}, good to know you are OK. Resume when you are ready.",
        "emergency.title": "Emergency: {walker} may need help",
        "emergency.body": "{walker} may need help in the {hallway}: {what} at {time}.",
        "emergency.repeat": "Reminder: nobody has acknowledged yet.",
        "emergency.what.fall": "a possible fall was detected",
        "emergency.what.inactivity": "no movement was seen and the check-in was not answered",
        "emergency.what.need_help": "{walker} asked for help",
        "emergency_acknowledged.title": "Emergency acknowledged",
        "emergency_acknowledged.body": "{by} is taking care of {walker} (acknowledged at {time}).",
        "by.someone": "Someone",
        "by.automation": "an automation",
        "by.voice": "the walker, by voice",
        "voice.question": "{walker}, are you OK? Say 'I'm OK' or 'help'.",
        "action.ok": "I'm OK",
        "action.help": "Need help",
        "action.ack": "I'm on it",
        "hallway": "hallway",
        "hazard.obstacle": "something is in the way ({name})",
        "hazard.too_close": "only {reading} free behind you ({name})",
        "hazard.crossing": "movement at {name}",
        "hazard.too_dark": "it is too dark ({reading})",
        "hazard.fall": "a possible fall ({name})",
        "hazard.sensor_unavailable": "{name} cannot be read ({reading})",
        "hazard.checking": "{name} is still being checked",
        "emergency.what.help": "{walker} asked for help",
        "and": " and ",
        "reminder.title": "Time for your backward walk",
        "reminder.body": "{walker}, time for {minutes} minutes of backward walking.",
        "reminder.repeat": "{walker}, your backward walk is still waiting: {minutes} minutes.",
        "reminder.refused.title": "Not yet",
        "action.start": "Start",
        "action.snooze": "Snooze 15 min",
        "action.skip": "Skip today",
    },
    "de": {
        "hazard.title": "Stopp: Der Weg ist nicht frei",
        "hazard.body": "{walker}, bitte anhalten und stehen bleiben. {reasons}. Die Einheit ist pausiert.",
        "warning.title": "Vorsicht",
        "warning.body": "{walker}, Vorsicht: {reasons}.",
        "clear.title": "Weg frei",
        "clear.body": "Der Weg hinter {walker} ist wieder frei. {next_step}",
        "clear.resume": "Die Einheit geht weiter.",
        "clear.wait": "Setzen Sie fort, wenn Sie bereit sind.",
        "clear.overridden": "Für diese Einheit weiterhin übergangen: {names}.",
        "backoff.title": "Fortsetzen, wenn Sie bereit sind",
        "backoff.body": "{walker}, der Weg wird immer wieder blockiert. Die Einheit bleibt pausiert: Setzen Sie fort, wenn Sie bereit sind.",
        "check_in.title": "Alles in Ordnung?",
        "check_in.body": "{walker}, ist alles in Ordnung? Bitte innerhalb von {seconds} Sekunden antworten, sonst werden Ihre Kontakte benachrichtigt.",
        "check_in_ok.title": "Danke",
        "check_in_ok.body": "{walker}, gut zu wissen, dass alles in Ordnung ist. Setzen Sie fort, wenn Sie bereit sind.",
        "emergency.title": "Notfall: {walker} braucht vielleicht Hilfe",
        "emergency.body": "{walker} braucht vielleicht Hilfe im Bereich {hallway}: {what} um {time}.",
        "emergency.repeat": "Erinnerung: Noch hat niemand bestätigt.",
        "emergency.what.fall": "ein möglicher Sturz wurde erkannt",
        "emergency.what.inactivity": "keine Bewegung und keine Antwort auf die Nachfrage",
        "emergency.what.need_help": "{walker} hat um Hilfe gebeten",
        "emergency_acknowledged.title": "Notfall bestätigt",
        "emergency_acknowledged.body": "{by} kümmert sich um {walker} (bestätigt um {time}).",
        "by.someone": "Jemand",
        "by.automation": "eine Automation",
        "by.voice": "der Geher selbst, per Sprache",
        "voice.question": "{walker}, ist alles in Ordnung? Sag „Mir geht es gut“ oder „Hilfe“.",
        "action.ok": "Alles OK",
        "action.help": "Hilfe",
        "action.ack": "Ich kümmere mich",
        "hallway": "Flur",
        "hazard.obstacle": "etwas ist im Weg ({name})",
        "hazard.too_close": "nur {reading} frei hinter Ihnen ({name})",
        "hazard.crossing": "Bewegung bei {name}",
        "hazard.too_dark": "es ist zu dunkel ({reading})",
        "hazard.fall": "ein möglicher Sturz ({name})",
        "hazard.sensor_unavailable": "{name} liefert keine Werte ({reading})",
        "hazard.checking": "{name} wird noch geprüft",
        "emergency.what.help": "{walker} hat um Hilfe gebeten",
        "and": " und ",
        "reminder.title": "Zeit fürs Rückwärtsgehen",
        "reminder.body": "{walker}, Zeit für {minutes} Minuten Rückwärtsgehen.",
        "reminder.repeat": "{walker}, das Rückwärtsgehen wartet noch: {minutes} Minuten.",
        "reminder.refused.title": "Noch nicht",
        "action.start": "Starten",
        "action.snooze": "15 Min. später",
        "action.skip": "Heute nicht",
    },
}


class Texts:
    """Message texts in one language."""

    def __init__(self, language: str) -> None:
        """Pick the language, falling back to English."""
        self._texts = _TEXTS.get(language.split("-", maxsplit=1)[0], _TEXTS["en"])

    def get(self, key: str, **values: Any) -> str:
        """The text for ``key`` with ``values`` filled in."""
        return self._texts[key].format(**values)

    def reasons(self, reasons: list[dict[str, str]], names: dict[str, str]) -> str:
        """The reasons in plain words, e.g. 'something is in the way (Hallway beam)'."""
        parts = [
            self.get(
                f"hazard.{reason['hazard']}",
                name=names.get(reason["entity_id"], reason["entity_id"]),
                reading=reason["reading"],
            )
            for reason in reasons
        ]
        text = self._texts["and"].join(parts)
        return text[:1].upper() + text[1:]

    def title_and_body(self, message: Message, **values: Any) -> tuple[str, str]:
        """Title and body of ``message``."""
        return self.get(f"{message}.title", **values), self.get(f"{message}.body", **values)
