"""Korean translation: complete, loaded at run time from the .ts, used by the real window."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import QCoreApplication, QLocale

from onnxstudio.ui.i18n import TsTranslator, install_translator, parse_ts, resolve_language, translations_dir
from onnxstudio.ui.main_window import MainWindow
from onnxstudio.ui.settings import Settings

TS = translations_dir() / "onnxstudio_ko.ts"


def test_ts_is_complete_and_keeps_placeholders() -> None:
    root = ET.parse(TS).getroot()
    messages = list(root.iter("message"))
    assert len(messages) > 200
    for m in messages:
        source, tr = m.findtext("source"), m.find("translation")
        assert tr is not None and tr.get("type") is None and tr.text, f"untranslated: {source!r}"
        for i in range(5):
            assert (f"{{{i}" in source) == (f"{{{i}" in tr.text), f"placeholder {i} lost in {source!r}"


def test_language_follows_the_locale() -> None:
    assert resolve_language("system", QLocale(QLocale.Language.Korean)) == "ko"
    assert resolve_language("system", QLocale(QLocale.Language.German)) == "en"
    assert resolve_language("ko", QLocale(QLocale.Language.English)) == "ko"


def test_translator_translates(qapp) -> None:
    translator = TsTranslator(parse_ts(TS), "ko")
    assert translator.translate("MainWindow", "&File") == "파일(&F)"
    assert translator.translate("MainWindow", "no such string") == ""


def test_window_in_korean(qtbot, qapp, settings_dir) -> None:
    settings = Settings()
    settings.set_language("ko")
    translator = install_translator(qapp, settings.language())
    assert translator is not None
    try:
        window = MainWindow(settings)
        qtbot.addWidget(window)
        menus = [a.text() for a in window.menuBar().actions()]
        assert "파일(&F)" in menus and "실행(&R)" in menus
        assert window.start_page.open_button.text() == "모델 열기…"
        assert QCoreApplication.translate("Workspace", "Benchmark") == "벤치마크"
        window.shutdown()
    finally:
        qapp.removeTranslator(translator)


@pytest.mark.parametrize("setting", ["en", "system"])
def test_english_needs_no_translator(qapp, setting, monkeypatch) -> None:
    monkeypatch.setattr(QLocale, "system", staticmethod(lambda: QLocale(QLocale.Language.English)))
    assert install_translator(qapp, setting) is None


def test_every_string_of_the_ui_is_in_the_ts(tmp_path) -> None:
    """Qt's lupdate, run over the UI modules as resources/translations/README.md says, finds nothing new."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    tool = shutil.which("pyside6-lupdate", path=str(Path(sys.executable).parent))
    if tool is None:
        pytest.skip("pyside6-lupdate is not installed beside this interpreter")
    root = Path(__file__).resolve().parents[2]
    sources = [str(p) for p in sorted((root / "onnxstudio" / "ui").glob("*.py"))
               if p.name not in ("graph_view.py", "graph_paint.py", "graph_props.py", "single_instance.py")]
    copy = tmp_path / "onnxstudio_ko.ts"
    shutil.copy(TS, copy)
    out = subprocess.run([tool, *sources, "-ts", str(copy), "-no-obsolete"], capture_output=True, text=True,
                         timeout=120, check=True).stdout
    assert "(0 new and" in out, out
    assert 'type="unfinished"' not in copy.read_text(encoding="utf-8")
