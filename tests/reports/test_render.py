"""The report's files as people see them: HTML in headless Chromium, the PDF as text and pixels.

Chromium is Debian's (``/usr/bin/chromium``) driven by Playwright, and the PDF
is read with poppler's ``pdftotext``/``pdftoppm``. Without them the tests skip
and say why, except under CI=true, where they must run.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from config.labels import Intent
from crm.db import create_db_engine, migrate, session_scope
from crm.enums import LifecycleStage, Priority
from reports.files import CSV_COLUMNS, write_report
from reports.people import LISTED_RISKS
from reports.render import LANGUAGES, clean_text, format_number, text_direction
from reports.weekly import compute_report
from reports.weeks import parse_week
from tests.reports import dataset

CHROMIUM = Path("/usr/bin/chromium")


def need(tool: str, present: bool) -> None:
    if present:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{tool} is missing (CI=true requires it; scripts/setup installs it)")
    pytest.skip(f"{tool} is not installed; scripts/setup installs it")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The fixed data set's W44 report: English in every format, Persian as HTML and PDF."""
    root = tmp_path_factory.mktemp("report")
    engine = create_db_engine(f"sqlite:///{root / 'store.db'}")
    migrate(engine)
    dataset.build(engine)
    written: dict[str, Path] = {}
    for language, formats in (("en", ["html", "pdf", "csv", "json"]), ("fa", ["html", "pdf"])):
        with session_scope(engine) as session:
            report = compute_report(
                session=session,
                week=parse_week(dataset.WEEK, tz=dataset.TZ),
                language=language,
                brand="Nimbus",
            )
        for path in write_report(report, directory=root / "out", formats=formats):
            written[f"{language}.{path.suffix[1:]}"] = path
    engine.dispose()
    return written


def open_in_chromium(path: Path, shot: Path) -> tuple[dict[str, Any], list[str], list[str]]:
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    dialogs: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.on("request", lambda request: requests.append(request.url))
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        facts = page.evaluate(
            """() => ({
                dir: document.documentElement.dir,
                bodyDirection: getComputedStyle(document.body).direction,
                charts: [...document.querySelectorAll('svg.chart')].map(svg => {
                    const box = svg.getBoundingClientRect();
                    const shapes = svg.querySelectorAll('path').length;
                    return {width: box.width, height: box.height, shapes: shapes};
                }),
                tables: Object.fromEntries([...document.querySelectorAll('table')].map(
                    t => [t.className, t.querySelectorAll('tbody tr').length])),
                visibleTableHeight: [...document.querySelectorAll('table')]
                    .reduce((sum, t) => sum + t.getBoundingClientRect().height, 0),
                scripts: document.querySelectorAll('script').length,
                title: document.querySelector('h1').innerText,
            })"""
        )
        page.screenshot(path=str(shot), full_page=True)
        browser.close()
    return facts, requests, dialogs


def test_html_renders_in_chromium_with_charts_tables_and_no_outside_request(
    files: dict[str, Path], tmp_path: Path
) -> None:
    need("Chromium", CHROMIUM.exists())
    shot = tmp_path / "en.png"
    facts, requests, dialogs = open_in_chromium(files["en.html"], shot)
    assert requests == [files["en.html"].as_uri()]  # nothing else was fetched
    assert dialogs == [] and facts["scripts"] == 0  # the <script> in a post stayed text
    assert len(facts["charts"]) == 4
    for chart in facts["charts"]:
        assert chart["width"] > 300 and chart["height"] > 100 and chart["shapes"] > 5
    tables = facts["tables"]
    assert tables["advocates"] == 3 and tables["escalations"] == 1
    assert tables["volume"] == 8 and tables["sentiment"] == 8 and tables["spikes"] == 1
    assert facts["visibleTableHeight"] > 1000
    assert facts["bodyDirection"] == "ltr"
    assert facts["title"].startswith("Weekly advocacy report")
    image = Image.open(shot)
    assert image.height > 3000  # the whole report, not an error page
    html = files["en.html"].read_text(encoding="utf-8")
    assert "&lt;script&gt;alert" in html and "<script>" not in html
    # The post's U+202E would show "evil" as "live" and flip what follows: dropped on the page,
    # kept in the data.
    # Cem's post links to JavaScript: the quote keeps its words and loses the link.
    assert "alert(document.cookie)" not in html.lower() and 'href="#"' in html
    assert "\u202e" not in html and "\u202eevil" in files["en.json"].read_text(encoding="utf-8")
    assert '<blockquote dir="rtl"><span class="quote-text">اینترنت' in html
    assert "Content-Security-Policy" in html and "default-src 'none'" in html


def test_persian_report_runs_right_to_left(files: dict[str, Path], tmp_path: Path) -> None:
    html = files["fa.html"].read_text(encoding="utf-8")
    assert '<html lang="fa" dir="rtl">' in html
    assert "گزارش هفتگی حامیان" in html
    need("Chromium", CHROMIUM.exists())
    facts, requests, _ = open_in_chromium(files["fa.html"], tmp_path / "fa.png")
    assert facts["dir"] == "rtl" and facts["bodyDirection"] == "rtl"
    assert len(facts["charts"]) == 4 and facts["tables"]["advocates"] == 3
    assert len(requests) == 1


def test_pdf_holds_the_tables_and_the_charts(files: dict[str, Path], tmp_path: Path) -> None:
    need("poppler-utils (pdftotext)", shutil.which("pdftotext") is not None)
    pdf = files["en.pdf"]
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    for expected in (
        "Weekly advocacy report — Nimbus",
        "Ana Lima",
        "Invite to the",
        "C-000001",
        "battery life",
        "Mentions per day by platform",  # a chart's title, drawn inside the SVG
        "Wed 28",  # a chart's axis label
        "First response, median (min)",
    ):
        assert expected in text, expected
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True)
    colours: set[tuple[int, int, int]] = set()
    for page in sorted(tmp_path.glob("page-*.png")):
        colours |= {rgb for _, rgb in Image.open(page).convert("RGB").getcolors(1 << 20) or []}
    # The Okabe–Ito green and orange of the charts' bars are on the pages.
    assert any(abs(r - 0) + abs(g - 158) + abs(b - 115) < 12 for r, g, b in colours)
    assert any(abs(r - 213) + abs(g - 94) + abs(b - 0) < 12 for r, g, b in colours)


def test_csv_is_long_format_and_neutralises_formulas(files: dict[str, Path]) -> None:
    with files["en.csv"].open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == CSV_COLUMNS
    by_key = {(r[0], r[1], r[2], r[3]): (r[4], r[5]) for r in rows[1:]}
    assert by_key[("volume", "totals", "week", "mentions")] == ("27", "6")
    assert by_key[("service", "sla_by_priority", "high", "met")] == ("1", "")
    cells = [cell for row in rows for cell in row]
    assert "'+Eli Stone" in cells  # a name that a spreadsheet would run as a formula
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
    data = json.loads(files["en.json"].read_text(encoding="utf-8"))
    assert list(data) == [
        "week",
        "advocates",
        "at_risk",
        "volume",
        "sentiment",
        "service",
        "topics",
    ]
    assert data["volume"]["total"] == {"value": 27, "previous": 6, "change": 21}


def pdf_text(pdf: Path) -> str:
    need("poppler-utils (pdftotext)", shutil.which("pdftotext") is not None)
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout


def test_persian_pdf_writes_persian_digits_and_words(files: dict[str, Path]) -> None:
    html = files["fa.html"].read_text(encoding="utf-8")
    text = pdf_text(files["fa.pdf"])
    for expected in (
        "گزارش هفتگی حامیان",
        "۲۷",  # mentions this week
        "۲۵٬۰۰۰",  # Bora's followers, grouped the Persian way
        "-۳۷٫۰۴",  # net sentiment with the Persian decimal separator
        "۲۰۲۶-۱۰-۲۶",  # the first day, in Persian digits
        "فوری",  # the urgent priority, translated
        "شکایت",  # the complaint intent, translated
        "منتقد",  # the detractor lifecycle stage, translated
    ):
        assert expected in html, expected
        assert expected in text, expected
    assert "<td>urgent</td>" not in html and "<td>complaint</td>" not in html


def test_persian_charts_speak_persian_drawn_as_outlines(files: dict[str, Path]) -> None:
    """WeasyPrint cannot shape Persian in SVG text, so matplotlib draws the shaped glyphs."""
    html = files["fa.html"].read_text(encoding="utf-8")
    svgs = re.findall(r"<svg role=\"img\".*?</svg>", html, flags=re.DOTALL)
    assert len(svgs) == 4
    assert 'aria-label="اشاره‌های روزانه بر پایهٔ سکو"' in svgs[0]
    for svg in svgs:
        assert "<text" not in svg  # outlines, not unshaped text
        label = re.search(r'aria-label="([^"]+)"', svg)
        assert label and re.search("[\u0600-\u06ff]", label.group(1)), "a Persian title"
    english = files["en.html"].read_text(encoding="utf-8")
    assert "Mentions per day by platform" in english  # English charts keep searchable text


def test_every_language_has_every_word() -> None:
    catalog = tomllib.loads(
        resources.files("reports").joinpath("catalog.toml").read_text(encoding="utf-8")
    )
    assert set(catalog) == set(LANGUAGES)
    wanted = {f"intent_{i.value}" for i in Intent} | {f"priority_{p.value}" for p in Priority}
    wanted |= {f"stage_{s.value}" for s in LifecycleStage} | {f"risk_{r}" for r in LISTED_RISKS}
    wanted |= {f"weekday_{n}" for n in range(7)} | {f"action_{a}" for a in ("thank", "invite")}
    assert wanted <= set(catalog["en"])
    for language in LANGUAGES:
        assert set(catalog[language]) == set(catalog["en"]), language
        assert all(catalog[language].values()), language


@pytest.mark.parametrize(
    ("value", "language", "signed", "expected"),
    [
        (1234.5, "en", False, "1,234.5"),
        (1234.5, "tr", False, "1.234,5"),
        (1234.5, "fa", False, "۱٬۲۳۴٫۵"),
        (-37.04, "fa", True, "-۳۷٫۰۴"),
        (21, "en", True, "+21"),
        (100.0, "tr", False, "100"),
        (None, "fa", False, "–"),
    ],
)
def test_numbers_are_written_the_report_languages_way(
    value: float | None, language: str, signed: bool, expected: str
) -> None:
    assert format_number(value, language, signed=signed) == expected


def test_text_direction_follows_the_first_strong_letter() -> None:
    assert text_direction("@سارا hi") == "rtl"
    assert text_direction("+Eli Stone") == "ltr"
    assert text_direction("123 !") == "ltr"
    assert clean_text("a\u202eevil\u202c\u2066b\u2069") == "aevilb"


def test_an_empty_week_renders_every_section_with_nothing_to_say(tmp_path: Path) -> None:
    """No mentions, no cases, no previous week: the report still says so, in every format."""
    engine = create_db_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    migrate(engine)
    with session_scope(engine) as session:
        report = compute_report(
            session=session, week=parse_week("2026-W44", tz=ZoneInfo("Asia/Tehran")), language="en"
        )
    engine.dispose()
    paths = write_report(report, directory=tmp_path, formats=["html", "pdf", "csv", "json"])
    html = paths[0].read_text(encoding="utf-8")
    assert html.count('class="chart" data-chart=') == 4
    # Top advocates, detractors, turned negative, escalations, risks, SLAs by priority and by
    # agent, praise and complaint phrases: each list says it is empty.
    assert html.count("Nothing this week.") == 9
    assert "No hour stood out this week." in html
    data = json.loads(paths[3].read_text(encoding="utf-8"))
    assert data["volume"]["total"] == {"value": 0, "previous": 0, "change": 0}
    assert data["sentiment"]["net"] == {"value": None, "previous": None, "change": None}
    assert data["service"]["first_response_median_minutes"]["value"] is None
    text = pdf_text(paths[1])
    assert "Weekly advocacy report" in text and "Mentions per day by platform" in text
