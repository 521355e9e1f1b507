"""Settings: persisted recent files and run settings; a broken or read-only file never stops the app."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from onnxstudio.resources import sample_models
from onnxstudio.ui.main_window import MainWindow
from onnxstudio.ui.settings import MAX_RECENT, Settings


def test_recent_files_persist_and_are_capped(settings_dir: Path, tmp_path: Path) -> None:
    s = Settings()
    for i in range(MAX_RECENT + 3):
        s.add_recent_file(str(tmp_path / f"m{i}.onnx"))
    s.add_recent_file(str(tmp_path / "m0.onnx"))
    s.sync()
    again = Settings()
    files = again.recent_files()
    assert len(files) == MAX_RECENT and files[0].endswith("m0.onnx") and files[1].endswith(f"m{MAX_RECENT + 2}.onnx")


def test_garbage_file_starts_with_defaults(settings_dir: Path) -> None:
    settings_dir.mkdir(parents=True)
    (settings_dir / "onnxstudio.ini").write_bytes(b"\x00\xff[broken\n\x01recent_files=\"[1, 2\ntheme=@Variant(\xff\xfe)\n")
    s = Settings()
    assert s.recent_files() == [] and s.theme() == "system" and s.language() == "system"
    assert s.session_config() == {} and s.window_geometry() is None


def test_wrong_types_fall_back(settings_dir: Path) -> None:
    settings_dir.mkdir(parents=True)
    (settings_dir / "onnxstudio.ini").write_text(
        "[General]\nschema_version=1\nrecent_files={\"a\": 1}\n[ui]\ntheme=purple\nlanguage=42\n"
        "[run]\nsession_config=[1]\n")
    s = Settings()
    assert s.recent_files() == [] and s.theme() == "system" and s.language() == "system"
    assert s.session_config() == {}


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can write read-only files")
def test_read_only_file_is_reported(settings_dir: Path) -> None:
    settings_dir.mkdir(parents=True)
    f = settings_dir / "onnxstudio.ini"
    f.write_text("[General]\nschema_version=1\n")
    f.chmod(0o444)
    settings_dir.chmod(0o555)
    try:
        s = Settings()
        s.add_recent_file("/x.onnx")
        assert "cannot save" in s.sync()
    finally:
        settings_dir.chmod(0o755)
        f.chmod(0o644)


def test_unwritable_location_keeps_the_app_running(qtbot, tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    monkeypatch.setenv("ONNXSTUDIO_SETTINGS_DIR", str(blocker / "settings"))
    with pytest.raises(OSError):
        Settings()
    # The app's own start-up catches that and runs with in-memory defaults.
    from onnxstudio.ui.app import load_settings

    s = load_settings()
    assert s.problem and s.recent_files() == []


def test_window_saves_and_restores_run_settings(qtbot, settings_dir: Path) -> None:
    w = MainWindow(Settings())
    qtbot.addWidget(w)
    w.workspace.providers.threads.setValue(3)
    w.workspace.bench_settings.mode.setCurrentIndex(1)
    w.workspace.bench_settings.iterations.setValue(777)
    w.settings.add_recent_file(str(sample_models()[0]))
    w.close()
    w2 = MainWindow(Settings())
    qtbot.addWidget(w2)
    assert w2.workspace.providers.threads.value() == 3
    assert w2.workspace.bench_settings.spec().iterations == 777
    assert w2.start_page.recent.count() == 1 and w2.recent_menu.isEnabled()
    w2.close()


def test_corrupt_settings_warn_in_the_window(qtbot, settings_dir: Path) -> None:
    settings_dir.mkdir(parents=True)
    (settings_dir / "onnxstudio.ini").write_bytes(b"[General]\nwindow\\geometry=@ByteArray(\xff\xfe\x00garbage)\n")
    w = MainWindow(Settings())
    qtbot.addWidget(w)
    assert w.windowTitle() == "ONNX Studio"
    w.close()


def test_generate_options_are_kept_and_bad_ones_fall_back(qtbot, settings_dir: Path) -> None:
    from onnxstudio.core.generation import Sampling
    from onnxstudio.core.generation_config import RuleChoices
    from onnxstudio.core.logits_rules import Rules
    from onnxstudio.ui.generate_dialog import GenerateDialog

    settings = Settings()
    assert settings.generate_options() == (Sampling(), True, RuleChoices())
    settings.set_generate_options(Sampling(0.7, 40, 0.9, 3), False, RuleChoices(False, 1.3, 0, 4))
    assert Settings().generate_options() == (Sampling(0.7, 40, 0.9, 3), False, RuleChoices(False, 1.3, 0, 4))
    settings._set("run/generate_options", '{"temperature": -1, "top_p": "x", "repetition_penalty": -2}')
    assert settings.generate_options() == (Sampling(), True, RuleChoices())
    rules = Rules(no_repeat_ngram=3, suppress=(5, 6), source="generation_config.json", num_beams=4)
    dialog = GenerateDialog(12, Sampling(0.7, 40, 0.9, 3), False, RuleChoices(True, None, 2), rules,
                            ("generation_config.json asks for beam search (4 beams)",))
    qtbot.addWidget(dialog)
    assert dialog.tokens.value() == 12 and dialog.sampling() == Sampling(0.7, 40, 0.9, 3)
    assert not dialog.stop_at_end.isChecked() and dialog.top_k.isEnabled()
    dialog.temperature.setValue(0)  # greedy: the drawing options do not apply
    assert not dialog.top_k.isEnabled() and dialog.sampling().greedy
    assert dialog.model_rules.text() == ("generation_config.json: beam search: 4 beams, length penalty 1, no repeated "
                                         "3-grams, 2 tokens suppressed")
    assert dialog.choices() == RuleChoices(True, None, 2)  # the penalty at its lowest: the model's
    dialog.follow_config.setChecked(False)
    dialog.repetition_penalty.setValue(1.2)
    dialog.no_repeat_ngram.setValue(-1)
    dialog.beams.setValue(3)
    assert dialog.choices() == RuleChoices(False, 1.2, None, 3) and not dialog.model_rules.isEnabled()
