"""Whisper's log-mel features: the figures Hugging Face's WhisperFeatureExtractor gives (transformers 5.24,
computed once and written here), and a .wav fed to an input of Whisper's shape."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from onnxstudio.core.audio_features import log_mel, mel_filters, resample, takes_features
from onnxstudio.core.inputs import ArrayFileSource, build_feeds
from onnxstudio.core.values import ValueSpec


def _tones(seconds: float = 1.0, rate: int = 16_000) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return 0.5 * np.sin(2 * np.pi * 440 * t) + 0.25 * np.sin(2 * np.pi * 3000 * t)


def test_the_filters_and_features_are_whispers() -> None:
    filters = mel_filters(80)
    assert filters.shape == (201, 80)
    assert filters.sum(axis=0)[[0, 10, 40, 79]] == pytest.approx(
        [0.024862593984176087, 0.0248625939841761, 0.02666486053478325, 0.024925339738858843], rel=1e-6)
    features = log_mel(_tones().astype(np.float32))
    assert features.shape == (80, 3000) and features.dtype == np.float32
    assert features[[0, 10, 40, 79], 50] == pytest.approx([-0.5617962, 1.3487380, -0.5617962, -0.5617962], abs=1e-4)
    assert int(features[:, 50].argmax()) == 11  # the 440 Hz tone's bin
    assert features.min() == pytest.approx(-0.5617962, abs=1e-4) and features.max() == pytest.approx(1.4382038,
                                                                                                     abs=1e-4)
    assert (features[:, 150] == features.min()).all()  # after the recording: silence, 8 below the peak
    assert mel_filters(128).shape == (201, 128)


def test_resampling_keeps_the_pitch() -> None:
    samples = resample(_tones(1.0, 44_100), 44_100)
    assert len(samples) == 16_000
    spectrum = np.abs(np.fft.rfft(samples))
    assert abs(int(spectrum.argmax()) - 440) <= 1  # 1 Hz bins: the 440 Hz tone is still the loudest
    assert resample(samples, 16_000) is samples


def test_a_wav_feeds_whispers_input_features(tmp_path: Path) -> None:
    pcm = (_tones(2.0, 8_000) * 32767 * 0.9).astype(np.int16)
    path = tmp_path / "speech.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(8_000)
        w.writeframes(pcm.tobytes())
    spec = ValueSpec("input_features", "tensor", "float32", ("batch_size", 80, 3000), "tensor(float)")
    assert takes_features(spec.shape) and not takes_features(("batch", 80, 800))
    notes: list[str] = []
    feeds = build_feeds([spec], {"input_features": ArrayFileSource(str(path))}, {}, notes)
    value = feeds["input_features"]
    assert value.shape == (1, 80, 3000) and value.dtype == np.float32
    assert int(value[0, :, 50].argmax()) == 11
    assert any("speech.wav (2.0 s, 8000 Hz resampled to 16 kHz) as Whisper's log-mel features" in n for n in notes)
