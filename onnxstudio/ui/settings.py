"""Typed, fault-tolerant access to the app's QSettings (INI file); a broken file never stops the app."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from onnxstudio.core.generation import Sampling
from onnxstudio.core.generation_config import RuleChoices

SCHEMA_VERSION = 1
MAX_RECENT = 10
ORGANIZATION = "ONNXStudio"
APPLICATION = "ONNXStudio"
# Tests and portable installs point the settings somewhere else with this variable.
SETTINGS_DIR_ENV = "ONNXSTUDIO_SETTINGS_DIR"


def settings_dir_override() -> Path | None:
    value = os.environ.get(SETTINGS_DIR_ENV, "").strip()
    return Path(value) if value else None


class Settings:
    """The few things the app remembers; every getter falls back to a default on a missing or bad value."""

    def __init__(self, qsettings: QSettings | None = None) -> None:
        if qsettings is None:
            override = settings_dir_override()
            if override is not None:
                override.mkdir(parents=True, exist_ok=True)
                qsettings = QSettings(str(override / "onnxstudio.ini"), QSettings.Format.IniFormat)
            else:
                qsettings = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION,
                                      APPLICATION)
        self._q = qsettings
        self.problem = ""  # a one-line note for the user when the file could not be used
        status = self._q.status()
        if status == QSettings.Status.FormatError:
            self.problem = f"the settings file {self._q.fileName()} is damaged; starting with default settings"
            self._q.clear()
        elif status == QSettings.Status.AccessError:
            self.problem = f"the settings file {self._q.fileName()} cannot be read; starting with default settings"
        version = self._get("schema_version", SCHEMA_VERSION)
        if not isinstance(version, (int, str)) or str(version) != str(SCHEMA_VERSION):
            self._q.clear()
        self._set("schema_version", SCHEMA_VERSION)

    @classmethod
    def load(cls) -> Settings:
        """The user's settings; if they cannot be opened at all, defaults in a throwaway file (said so)."""
        try:
            return cls()
        except Exception as exc:
            import atexit
            import shutil
            import tempfile

            folder = tempfile.mkdtemp(prefix="onnxstudio-settings-")
            atexit.register(shutil.rmtree, folder, True)  # this session's alone
            path = Path(folder) / "onnxstudio.ini"
            fallback = cls(QSettings(str(path), QSettings.Format.IniFormat))
            fallback.problem = f"cannot open the settings ({exc}); using default settings for this session"
            return fallback

    @property
    def file_name(self) -> str:
        return self._q.fileName()

    def _get(self, key: str, default: Any) -> Any:
        try:
            value = self._q.value(key, default)
        except Exception:  # a value Qt cannot decode
            return default
        return default if value is None else value

    def _set(self, key: str, value: Any) -> None:
        try:
            self._q.setValue(key, value)
        except Exception:
            pass

    def sync(self) -> str:
        """Write to disk; returns a message when that failed (read-only file or folder), else ""."""
        self._q.sync()
        if self._q.status() == QSettings.Status.AccessError:
            return f"cannot save settings to {self._q.fileName()} (read-only?)"
        return ""

    # -- typed values -------------------------------------------------------------------------------------
    def _str(self, key: str, default: str = "") -> str:
        value = self._get(key, default)
        return value if isinstance(value, str) else default

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._get(key, None)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def _json(self, key: str, default: Any) -> Any:
        try:
            value = json.loads(self._str(key, ""))
        except ValueError:
            return default
        return value if isinstance(value, type(default)) else default

    def recent_files(self) -> list[str]:
        files = self._json("recent_files", [])
        return [f for f in files if isinstance(f, str)][:MAX_RECENT]

    def add_recent_file(self, path: str) -> list[str]:
        path = str(Path(path).resolve())
        files = [path] + [f for f in self.recent_files() if f != path]
        self._set("recent_files", json.dumps(files[:MAX_RECENT]))
        return files[:MAX_RECENT]

    def remove_recent_file(self, path: str) -> None:
        self._set("recent_files", json.dumps([f for f in self.recent_files() if f != path]))

    def clear_recent_files(self) -> None:
        self._set("recent_files", "[]")

    def window_geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    def window_state(self) -> QByteArray | None:
        return self._bytes("window/state")

    def splitter_state(self, name: str) -> QByteArray | None:
        return self._bytes(f"window/splitter_{name}")

    def save_window(self, geometry: QByteArray, state: QByteArray, splitters: dict[str, QByteArray]) -> None:
        self._set("window/geometry", geometry)
        self._set("window/state", state)
        for name, value in splitters.items():
            self._set(f"window/splitter_{name}", value)

    def session_config(self) -> dict[str, Any]:
        """The last provider and session options, as SessionConfig.to_dict() wrote them."""
        return self._json("run/session_config", {})

    def set_session_config(self, config: dict[str, Any]) -> None:
        self._set("run/session_config", json.dumps(config))

    def benchmark_spec(self) -> dict[str, Any]:
        return self._json("run/benchmark", {})

    def set_benchmark_spec(self, spec: dict[str, Any]) -> None:
        self._set("run/benchmark", json.dumps(spec))

    def generate_tokens(self) -> int:
        """How many tokens Run → Generate text asked for last (20 to begin with)."""
        value = self._str("run/generate_tokens", "20")
        return int(value) if value.isdigit() and 0 <= int(value) <= 100_000 else 20  # 0: the model's

    def set_generate_tokens(self, tokens: int) -> None:
        self._set("run/generate_tokens", str(int(tokens)))

    def generate_options(self) -> tuple[Sampling, bool, RuleChoices]:
        """How Run → Generate text chose its tokens last, whether the end-of-text token stopped it and what it
        made of the model's rules on the scores (greedy, yes and the model's to begin with; values out of range
        fall back to those)."""
        saved = self._json("run/generate_options", {})
        try:
            sampling = Sampling(float(saved.get("temperature", 0.0)), int(saved.get("top_k", 0)),
                                float(saved.get("top_p", 1.0)), int(saved.get("seed", 0)))
        except (TypeError, ValueError, AttributeError):
            sampling = Sampling()
        if not (0 <= sampling.temperature <= 10 and sampling.top_k >= 0 and 0 < sampling.top_p <= 1
                and 0 <= sampling.seed < 2**31):
            sampling = Sampling()
        try:
            penalty, ngram, beams = saved.get("repetition_penalty"), saved.get("no_repeat_ngram"), saved.get("beams")
            choices = RuleChoices(saved.get("follow_config", True) is not False,
                                  None if penalty is None else float(penalty), None if ngram is None else int(ngram),
                                  None if beams is None else int(beams))
        except (TypeError, ValueError, AttributeError):
            choices = RuleChoices()
        if not ((choices.repetition_penalty is None or 0 < choices.repetition_penalty <= 100) and
                (choices.no_repeat_ngram is None or 0 <= choices.no_repeat_ngram <= 64) and
                (choices.beams is None or 1 <= choices.beams <= 64)):
            choices = RuleChoices()
        return sampling, saved.get("stop_at_end", True) is not False, choices

    def set_generate_options(self, sampling: Sampling, stop_at_end: bool, choices: RuleChoices | None = None
                             ) -> None:
        choices = choices or RuleChoices()
        self._set("run/generate_options", json.dumps({
            "temperature": sampling.temperature, "top_k": sampling.top_k, "top_p": sampling.top_p,
            "seed": sampling.seed, "stop_at_end": bool(stop_at_end), "follow_config": choices.follow_config,
            "repetition_penalty": choices.repetition_penalty, "no_repeat_ngram": choices.no_repeat_ngram,
            "beams": choices.beams}))

    def language(self) -> str:
        value = self._str("ui/language", "system")
        return value if value in ("system", "en", "ko") else "system"

    def set_language(self, value: str) -> None:
        self._set("ui/language", value)

    def theme(self) -> str:
        value = self._str("ui/theme", "system")
        return value if value in ("system", "light", "dark") else "system"

    def set_theme(self, value: str) -> None:
        self._set("ui/theme", value)

    def last_dir(self) -> str:
        return self._str("ui/last_dir", "")

    def set_last_dir(self, value: str) -> None:
        self._set("ui/last_dir", value)
