"""A probability map's regions (a DB text detector's output) as boxes."""

from __future__ import annotations

import numpy as np
import pytest

from onnxstudio.core.regions import MAX_RUNS, probability_map, regions


def test_each_connected_area_is_one_box_grown_like_db() -> None:
    plane = np.zeros((100, 200), np.float32)
    plane[10:20, 10:90] = 0.9  # a text line
    plane[40:50, 30:60] = 0.8
    plane[44:60, 59:70] = 0.7  # touches the one above on its right edge: one region
    plane[70:72, 150:151] = 0.95  # one pixel wide: too thin
    plane[80:90, 100:140] = 0.4  # over the threshold but scoring under 0.5
    plane[88, 141] = 0.9  # a diagonal neighbour of the area above
    found = regions(plane)
    assert [r.pixels for r in found] == [800, 300 + 11 * 16 - 6]  # the two rectangles share 6 pixels
    first = found[0]
    grow = 80 * 10 * 1.5 / (2 * (80 + 10))
    assert first.box == pytest.approx((10 - grow, 10 - grow, 90 + grow, 20 + grow)) and first.score == pytest.approx(0.9)
    assert len(regions(plane, threshold=0.3, min_score=0.3)) == 3  # the weak area, joined by its diagonal pixel
    assert regions(np.zeros((50, 50), np.float32)) == []


def test_only_maps_of_probabilities_are_read() -> None:
    assert probability_map(np.zeros((1, 1, 32, 48), np.float32)).shape == (32, 48)
    assert probability_map(np.full((1, 1, 32, 48), 2.0, np.float32)) is None  # an image, a depth map
    assert probability_map(np.zeros((1, 2, 32, 48), np.float32)) is None
    steps = np.zeros((1, 40, 6625), np.float32)  # PP-OCR's recogniser: a softmax per time step, not a picture
    steps[0, :, 0] = 1
    assert probability_map(steps) is None and probability_map(steps[None]) is not None
    assert probability_map(np.full((1, 1, 32, 48), 0.8, np.float32)) is None  # mostly foreground: a picture
    assert probability_map(np.zeros((1, 1, 32, 48), np.int64)) is None
    stripes = np.zeros((1000, 1000), np.float32)
    stripes[:, ::2] = 1  # 500,000 runs of one pixel: noise, not regions
    assert regions(stripes) is None and MAX_RUNS < 500_000
