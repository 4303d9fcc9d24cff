"""Static charts: drawn without a browser, of the expected size, not blank; valid Vega-Lite."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from accord.io.scenario_file import load
from accord.report import charts
from accord.report.html import CHART_KINDS, chart_for
from accord.space import compile_scenario
from tests.report.pngcheck import png_pixels, png_size


@pytest.fixture(scope="module")
def flagship(peace_plan_path: Path):  # type: ignore[no-untyped-def]
    scenario = load(peace_plan_path)
    return scenario, compile_scenario(scenario)


@pytest.mark.parametrize("kind", CHART_KINDS)
def test_every_chart_is_valid_vega_lite(flagship, kind: str) -> None:  # type: ignore[no-untyped-def]
    # The report skips Altair's schema validation for speed; it is done here, once per kind.
    chart_for(kind, *flagship).to_dict(validate=True)


@pytest.mark.parametrize("kind", CHART_KINDS)
def test_png_has_the_chart_size_and_is_not_blank(flagship, kind: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    chart = chart_for(kind, *flagship)
    spec = chart.to_dict(validate=False)
    path = charts.save_chart(chart, tmp_path / f"{kind}.png")
    data = path.read_bytes()
    # autosize "fit" makes the whole image exactly width × height, axes and legends included.
    assert png_size(data) == (spec["width"], spec["height"])
    pixels = png_pixels(data).astype(float)
    assert pixels[..., :3].std() > 20  # something is drawn: not one flat colour
    # Ink on most of the canvas, not a few stray pixels: count non-white columns.
    ink = (pixels[..., :3].min(axis=2) < 200) & (pixels[..., -1] > 0)
    assert ink.any(axis=0).mean() > 0.5


def test_png_scale_doubles_the_size(flagship, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    chart = chart_for("stance", *flagship)
    spec = chart.to_dict(validate=False)
    path = charts.save_chart(chart, tmp_path / "stance.png", scale=2)
    assert png_size(path.read_bytes()) == (2 * spec["width"], 2 * spec["height"])


def test_svg_is_a_drawing_of_the_chart(flagship, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    chart = chart_for("frontier", *flagship)
    path = charts.save_chart(chart, tmp_path / "frontier.svg")
    root = ET.fromstring(path.read_bytes())
    assert root.tag.endswith("svg")
    assert float(root.get("width")) == chart.to_dict(validate=False)["width"]
    assert len(list(root.iter("{http://www.w3.org/2000/svg}path"))) > 10
    assert "Nash" in path.read_text()


def test_save_chart_refuses_to_overwrite_and_odd_suffixes(flagship, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    chart = chart_for("versions", *flagship)
    target = tmp_path / "v.png"
    target.write_bytes(b"mine")
    with pytest.raises(FileExistsError):
        charts.save_chart(chart, target)
    assert target.read_bytes() == b"mine"
    charts.save_chart(chart, target, force=True)
    assert png_size(target.read_bytes())[0] > 0
    with pytest.raises(ValueError, match=r"\.png or \.svg"):
        charts.save_chart(chart, tmp_path / "v.jpg")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v.png"]  # no temporary files left


def test_unknown_chart_kind(flagship) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="unknown chart"):
        chart_for("pie", *flagship)


def test_runtime_prefetch_bundles_once_and_a_caller_waits_for_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading
    import time

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))  # nothing cached: prefetch has work
    monkeypatch.setattr(charts, "_runtime", None)
    calls: list[str] = []
    release = threading.Event()

    def slow_build() -> str:
        calls.append(threading.current_thread().name)
        release.wait(5)
        return "/* bundle */"

    monkeypatch.setattr(charts, "_load_or_build_runtime", slow_build)
    thread = charts.prefetch_runtime()
    assert thread is not None
    time.sleep(0.05)
    waiter: list[str] = []
    caller = threading.Thread(target=lambda: waiter.append(charts.vega_runtime_js()))
    caller.start()
    time.sleep(0.05)
    assert waiter == []  # still waiting for the prefetch, not bundling a second time
    release.set()
    caller.join(5)
    thread.join(5)
    assert waiter == ["/* bundle */"] and calls == ["accord-vega-bundle"]
    assert charts.prefetch_runtime() is None  # already there: nothing to do
