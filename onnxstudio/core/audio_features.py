"""Whisper's log-mel features of a recording, as Hugging Face's ``WhisperFeatureExtractor`` computes them. Qt-free.

Whisper's encoder (and the models built on its features) takes ``input_features`` [batch, 80 or 128 mel bins, 3000
frames]: 30 s of 16 kHz audio (cut or padded with zeros), a 400-point STFT every 160 samples with a periodic Hann
window (the signal reflected at both ends), its power through Slaney-scale mel filters up to 8 kHz, then
``log10`` clamped to 8 below its peak and scaled as ``(x + 4) / 4``. The code follows transformers'
``audio_utils.mel_filter_bank`` and ``WhisperFeatureExtractor._np_extract_fbank_features`` (numpy, no torch).
"""

from __future__ import annotations

from functools import cache

import numpy as np

RATE = 16_000
N_FFT = 400
HOP = 160
FRAMES = 3000  # 30 s
MEL_BINS = (80, 128)  # Whisper tiny-large-v2, large-v3


def takes_features(shape: tuple | list | None) -> bool:
    """Whether an input of ``shape`` takes Whisper's features: [batch, 80 or 128, 3000]."""
    return shape is not None and len(shape) == 3 and shape[1] in MEL_BINS and shape[2] == FRAMES


def resample(samples: np.ndarray, rate: int) -> np.ndarray:
    """``samples`` at ``rate`` brought to 16 kHz by linear interpolation (after a moving average over each output
    sample's span where the rate falls, a simple guard against aliasing)."""
    if rate == RATE or len(samples) == 0:
        return samples
    if rate > RATE:
        width = round(rate / RATE)
        if width > 1:
            samples = np.convolve(samples, np.full(width, 1.0 / width), mode="same")
    n = round(len(samples) * RATE / rate)
    return np.interp(np.arange(n) * (rate / RATE), np.arange(len(samples)), samples)


def _hz_to_mel(hz: np.ndarray) -> np.ndarray:
    """Slaney's mel scale: linear below 1 kHz, logarithmic above."""
    mel = hz / (200.0 / 3)
    above = hz >= 1000.0
    return np.where(above, 15.0 + np.log(np.maximum(hz, 1e-10) / 1000.0) * (27.0 / np.log(6.4)), mel)


def _mel_to_hz(mel: np.ndarray) -> np.ndarray:
    hz = mel * (200.0 / 3)
    above = mel >= 15.0
    return np.where(above, 1000.0 * np.exp(np.log(6.4) / 27.0 * (mel - 15.0)), hz)


@cache
def mel_filters(bins: int) -> np.ndarray:
    """[201 frequencies, ``bins``] triangular filters, 0-8 kHz, Slaney-normalized (each of equal area)."""
    fft_freqs = np.linspace(0, RATE // 2, N_FFT // 2 + 1)
    mels = np.linspace(_hz_to_mel(np.array(0.0)), _hz_to_mel(np.array(8000.0)), bins + 2)
    freqs = _mel_to_hz(mels)
    diff = np.diff(freqs)
    slopes = freqs[None, :] - fft_freqs[:, None]
    down = -slopes[:, :-2] / diff[:-1]
    up = slopes[:, 2:] / diff[1:]
    filters = np.maximum(0.0, np.minimum(down, up))
    return filters * (2.0 / (freqs[2:bins + 2] - freqs[:bins]))[None, :]


def log_mel(samples: np.ndarray, bins: int = 80) -> np.ndarray:
    """float32 [bins, 3000]: Whisper's features of mono ``samples`` at 16 kHz (the first 30 s; zeros after)."""
    wave = np.zeros(FRAMES * HOP, np.float64)
    n = min(len(samples), len(wave))
    wave[:n] = samples[:n]
    padded = np.pad(wave, N_FFT // 2, mode="reflect")
    frames = np.lib.stride_tricks.sliding_window_view(padded, N_FFT)[::HOP]  # [3001, 400]
    window = np.hanning(N_FFT + 1)[:-1]  # periodic
    power = np.abs(np.fft.rfft(frames * window, axis=1)) ** 2  # [3001, 201]
    mel = mel_filters(bins).T @ power[:-1].T  # [bins, 3000]: the last frame dropped, as Whisper does
    log = np.log10(np.maximum(mel, 1e-10))
    log = np.maximum(log, log.max() - 8.0)
    return ((log + 4.0) / 4.0).astype(np.float32)
