"""Translations: Qt Linguist ``.ts`` files read at run time by a QTranslator subclass.

Why not ``.qm``: PySide6-Essentials wheels may lack ``lrelease``, and a compiled ``.qm`` can go stale against
its ``.ts``. Parsing the ``.ts`` (a few kB of XML, ~1 ms) keeps one source of truth that translators edit with
Qt Linguist, and needs no build step in the installer. Regenerate the ``.ts`` after changing UI strings with
``pyside6-lupdate onnxstudio/ui/*.py -ts resources/translations/onnxstudio_ko.ts``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from onnxstudio.resources import resource_path

LANGUAGES = {"en": "English", "ko": "한국어"}


def translations_dir() -> Path:
    return resource_path("translations")


def parse_ts(path: Path) -> dict[tuple[str, str], str]:
    """(context, source) -> translation for every finished, non-empty message of a ``.ts`` file."""
    table: dict[tuple[str, str], str] = {}
    root = ET.parse(path).getroot()
    for context in root.iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            source = message.findtext("source")
            tr = message.find("translation")
            if source is None or tr is None or tr.get("type") in ("unfinished", "obsolete", "vanished"):
                continue
            if tr.text:
                table[(name, source)] = tr.text
    return table


class TsTranslator(QTranslator):
    """A QTranslator answering from a parsed ``.ts`` table."""

    def __init__(self, table: dict[tuple[str, str], str], language: str) -> None:
        super().__init__()
        self._table = table
        self._language = language
        # Source strings are unique enough across contexts that a context-free fallback helps when a
        # subclass's tr() reports its own class name as the context.
        self._by_source = {src: text for (_, src), text in table.items()}

    def translate(self, context: str, source_text: str, disambiguation: str | None = None, n: int = -1) -> str:
        text = self._table.get((context, source_text)) or self._by_source.get(source_text)
        return text if text is not None else ""

    def isEmpty(self) -> bool:
        return not self._table

    def language(self) -> str:
        return self._language


def resolve_language(setting: str, locale: QLocale | None = None) -> str:
    """``system`` follows the system locale (Korean -> ko, anything else -> en)."""
    if setting in LANGUAGES:
        return setting
    locale = locale or QLocale.system()
    return "ko" if locale.language() == QLocale.Language.Korean else "en"


def install_translator(app: QCoreApplication, setting: str) -> TsTranslator | None:
    """Install the translator for ``setting``; English needs none. Returns it (keep a reference)."""
    language = resolve_language(setting)
    if language == "en":
        return None
    path = translations_dir() / f"onnxstudio_{language}.ts"
    try:
        table = parse_ts(path)
    except (OSError, ET.ParseError):
        return None
    translator = TsTranslator(table, language)
    app.installTranslator(translator)
    return translator
