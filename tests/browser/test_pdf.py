"""``kuril-teaching handouts --pdf``: lessons 00 and 05 printed to PDF by headless Chromium, with
every exercise's prompt in the text, the Japanese and Russian names in embedded fonts, and the
maps drawn (land colours of the palette found in the raster of a map page)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kuril_teaching import content
from kuril_teaching.style import COLOURS

from .conftest import _missing, artifacts_dir

pytestmark = pytest.mark.browser

LESSONS = ("00_start_here", "05_scenarios_lab")
NAMES = ("択捉島", "Итуруп")  # Etorofu / Iturup in Japanese and Russian


@pytest.fixture(scope="module")
def poppler() -> None:
    for tool in ("pdftotext", "pdftoppm", "pdfinfo"):
        if shutil.which(tool) is None:
            _missing(f"{tool} is missing (sudo apt-get install poppler-utils)")


@pytest.fixture(scope="module")
def pdfs(chromium: str, poppler: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pdf-handouts")
    run = subprocess.run([sys.executable, "-m", "kuril_teaching.cli", "handouts", str(out),
                          "--only", "00", "--only", "05", "--pdf", "--no-progress"],
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-2000:]
    assert sorted(p.name for p in out.glob("*.pdf")) == [f"{n}.pdf" for n in LESSONS]
    return out


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def _text(pdf: Path, page: int | None = None) -> str:
    """The PDF's text in drawing order, whitespace folded to single spaces."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    found = subprocess.run(["pdftotext", "-raw", *pages, str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout
    return " ".join(found.split())


def _prompts(name: str) -> list[str]:
    from kuril_teaching.exercises import find_task

    lesson = content.lesson(name)
    module = {"00_start_here": "explore", "05_scenarios_lab": "scenarios"}[name]
    build = __import__(f"kuril_teaching.{module}", fromlist=["exercise"]).exercise
    return [(find_task(i) if spec["kind"] == "code" else build(i)).prompt
            for i, spec in lesson.raw["exercises"].items()]


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def _ppm_pixels(path: Path) -> list[tuple[int, int, int]]:
    """The pixels of a binary PPM (what pdftoppm writes without -png)."""
    data = path.read_bytes()
    fields = re.match(rb"P6\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    assert fields, "not a binary PPM"
    width, height = int(fields.group(1)), int(fields.group(2))
    raw = data[fields.end():fields.end() + width * height * 3]
    return [tuple(raw[i:i + 3]) for i in range(0, len(raw), 3)]  # type: ignore[misc]


def _land_pixels(pixels: list[tuple[int, int, int]]) -> dict[str, int]:
    """Pixels of each land colour, pure or as drawn (filled at 75-90 % over the sea)."""
    sea = _rgb(COLOURS["sea"])
    counts = {}
    for key in ("japan", "russia", "disputed"):
        pure = _rgb(COLOURS[key])
        shades = [pure] + [tuple(round(a * c + (1 - a) * s) for c, s in zip(pure, sea, strict=True))
                           for a in (0.75, 0.9)]
        counts[key] = sum(1 for p in pixels
                          if any(max(abs(p[i] - s[i]) for i in range(3)) <= 24 for s in shades))
    return counts


@pytest.mark.parametrize("name", LESSONS)
def test_pdf_has_pages_prompts_and_both_scripts(pdfs: Path, name: str) -> None:
    pdf = pdfs / f"{name}.pdf"
    pages = _pages(pdf)
    assert pages >= 3, f"{pages} pages"
    print(f"\n{name}.pdf: {pages} pages, {pdf.stat().st_size // 1024} KB")
    text = _text(pdf)
    for prompt in _prompts(name):
        assert " ".join(prompt.split()) in text, prompt
    if name == "00_start_here":  # the lesson that prints the islands' names in both scripts
        for word in NAMES:
            assert word in text, f"{word} is not in the PDF's text (font missing or not embedded?)"
    assert "Worksheet item 1 " in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all(row[-5] == "yes" for row in rows), fonts  # every font embedded


def test_pdf_draws_the_map(pdfs: Path, tmp_path: Path) -> None:
    pdf = pdfs / "00_start_here.pdf"
    hint = content.text("maps.click_hint")
    first = next((n for n in range(1, _pages(pdf) + 1) if hint in _text(pdf, n)), None)
    assert first is not None, "no page holds a map"
    subprocess.run(["pdftoppm", "-r", "50", "-f", str(first), "-l", str(first), "-singlefile",
                    str(pdf), str(tmp_path / "map")], check=True)
    land = _land_pixels(_ppm_pixels(tmp_path / "map.ppm"))
    assert land["disputed"] > 100 and land["japan"] > 100, land  # the islands and Hokkaido
    shots = artifacts_dir() / "pdf"
    shots.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", str(first), "-l", str(first),
                    "-singlefile", str(pdf), str(shots / "00_start_here.map")], check=True)


def test_worksheet_page_kept_as_an_image(pdfs: Path) -> None:
    pdf = pdfs / "05_scenarios_lab.pdf"
    page = next((n for n in range(1, _pages(pdf) + 1) if "Worksheet item 2 " in _text(pdf, n)), None)
    assert page is not None, "no worksheet item 2 in lesson 05's PDF"
    shots = artifacts_dir() / "pdf"
    shots.mkdir(parents=True, exist_ok=True)
    target = shots / "05_scenarios_lab.worksheet"
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf), str(target)], check=True)
    assert Path(f"{target}.png").stat().st_size > 10_000


# ----------------------------------------------------------------------------- other languages


@pytest.fixture(scope="module", params=["ja", "ru"])
def translated_pdf(request: pytest.FixtureRequest, chromium: str, poppler: None,
                   tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """Lesson 00's student handout printed from the Japanese or Russian edition."""
    code = request.param
    out = tmp_path_factory.mktemp(f"pdf-handouts-{code}")
    run = subprocess.run([sys.executable, "-m", "kuril_teaching.cli", "handouts", str(out),
                          "--lang", code, "--only", "00", "--pdf", "--no-progress"],
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-2000:]
    return code, out


def test_a_translated_pdf_speaks_its_language(translated_pdf: tuple[str, Path]) -> None:
    from kuril_teaching import i18n

    code, out = translated_pdf
    pdf = out / "00_start_here.pdf"
    text = _text(pdf)
    with i18n.using(code):
        prompts = _prompts("00_start_here")
        item = content.text("worksheet.number", number=1)
        footer = content.text("worksheet.student_edition")
    assert prompts
    # Japanese has no spaces between words: a line break in the PDF adds one, so compare
    # without any whitespace.
    joined = "".join(text.split())
    for prompt in prompts:
        assert "".join(prompt.split()) in joined, prompt
    assert "".join(item.split()) in joined and footer.split()[0] in text
    script = r"[\u3040-\u30ff\u4e00-\u9fff]" if code == "ja" else r"[\u0400-\u04ff]"
    assert len(re.findall(script, text)) > 1000, "the handout is not in its language"
    # Each edition leads with its own name of the island and gives the other side's.
    for word in {"ja": ("択捉島", "Iturup"), "ru": ("Итуруп", "Etorofu")}[code]:
        assert word in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all(row[-5] == "yes" for row in rows), fonts
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f'<html lang="{code}">' in index
    page = (out / "00_start_here.html").read_text(encoding="utf-8")
    assert f'<html lang="{code}">' in page
    shot = artifacts_dir() / "pdf" / f"00_start_here.{code}.page1.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(shot.with_suffix(""))], check=True)
    assert shot.stat().st_size > 10_000
