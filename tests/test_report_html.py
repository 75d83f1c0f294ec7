"""Every built report, parsed with a real HTML parser: valid nesting, unique ids, resolving references,
clinical labels in tables, the STARD 2015 checklist, and Markdown that carries no HTML from data."""

import matplotlib

matplotlib.use("Agg")

import re  # noqa: E402
from html.parser import HTMLParser  # noqa: E402
from pathlib import Path  # noqa: E402

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from diagstats.report import DataSource, Report, build, list_analyses, write  # noqa: E402
from diagstats.report.blocks import section, table  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ANALYSES = ROOT / "analyses"
SMALL = {"n": 1500, "seed": 11, "progress": False}
CONFIGS = {
    "needle_biopsy": SMALL,
    "imaging_modalities": SMALL,
    "blood_markers": {**SMALL, "n": 2000, "n_boot": 30},
    "imaging_meta_analysis": {"progress": False},
    "reader_study": {"progress": False},
    "workup_strategies": {"n": 2000, "seed": 11, "progress": False, "psa_draws": 20, "psa_patients": 1000},
    "bias_validation": {"n_replicates": 2, "n": 4000, "n_latent_class": 400, "n_boot": 20, "n_imputations": 3,
                        "progress": False, "executor": "serial"},
}
VOID = {"meta", "br", "hr", "img", "input", "link", "col", "wbr", "area", "base", "source"}
#: Machine names that have a clinical label and must not be shown in a rendered table.
MACHINE_NAMES = ("ppv", "npv", "lr_positive", "lr_negative", "no_tumour", "benign_primary", "malignant_primary",
                 "buhmann_kirchhoff_2009", "begg_greenes", "mri.sensitivity")


class Page(HTMLParser):
    """Checks nesting while parsing; collects ids, references and the text of table cells."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.ids, self.refs = [], [], [], []
        self.cells, self._cell, self._skip_table = [], None, 0

    def handle_starttag(self, tag, attrs):
        self._attributes(tag, attrs)
        if tag in VOID:
            return
        self.stack.append(tag)
        classes = dict(attrs).get("class") or ""
        if tag == "table" and ({"data", "provenance"} & set(classes.split()) or self._skip_table):
            self._skip_table += 1
        if tag in ("td", "th") and not self._skip_table:
            self._cell = []

    def handle_startendtag(self, tag, attrs):
        self._attributes(tag, attrs)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}> at {self.getpos()}")
            return
        self.stack.pop()
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append("".join(self._cell))
            self._cell = None
        if tag == "table" and self._skip_table:
            self._skip_table -= 1

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def _attributes(self, tag, attrs):
        for name, value in attrs:
            if name == "id":
                self.ids.append(value)
            if value and name in ("href", "xlink:href") and value.startswith("#"):
                self.refs.append(value[1:])
            self.refs += re.findall(r"url\(#([^)]+)\)", value or "")


def parse(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    return page


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Every analysis on a small cohort, written as ``diagstats report`` writes it."""
    out = tmp_path_factory.mktemp("html")
    assert sorted(CONFIGS) == list_analyses(ANALYSES)
    return {name: write(build(name, config, path=ANALYSES), out) for name, config in CONFIGS.items()}


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_every_report_is_well_formed_with_unique_ids_that_resolve(built, name):
    text = (built[name] / "index.html").read_text()
    page = parse(text)
    assert page.errors == [] and page.stack == [], name
    duplicated = sorted({i for i in page.ids if page.ids.count(i) > 1})
    assert duplicated == [], (name, duplicated[:5])
    assert bool(page.refs) == ("<svg" in text), name          # the figures do use references ...
    assert set(page.refs) <= set(page.ids), (name, sorted(set(page.refs) - set(page.ids))[:5])  # ... that resolve


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_tables_show_clinical_labels_not_machine_names(built, name):
    cells = parse((built[name] / "index.html").read_text()).cells
    assert cells, name
    shown = [c for c in cells for m in MACHINE_NAMES if re.search(rf"(?<![\w.]){re.escape(m)}(?!\w)", c)]
    assert shown == [], (name, shown[:5])
    markdown = (built[name] / "report.md").read_text()
    body = markdown.split("## Data")[1].split("\n## ", 1)[1]   # the Data table shows the data's own column names
    assert not any(re.search(rf"\| {re.escape(m)} \|", body) for m in MACHINE_NAMES), name


def test_clinical_labels_reach_the_tables_and_figures(built):
    biopsy = (built["needle_biopsy"] / "index.html").read_text()
    assert '<td class="nowrap">PPV</td>' in biopsy and '<td class="nowrap">NPV</td>' in biopsy
    markers = (built["blood_markers"] / "index.html").read_text()
    assert "no tumour vs benign primary tumour" in markers and "<th>no tumour (n=" in markers
    meta = (built["imaging_meta_analysis"] / "index.html").read_text()
    assert '<td class="nowrap">Buhmann Kirchhoff 2009</td>' in meta and '<td class="nowrap">Ongkeko</td>' in meta
    assert '<td class="nowrap">3.554 <span class="ci">(1.360 to 9.291)</span></td>' in meta   # never broken over lines
    assert "<th>LR+</th>" in meta and "<th>LR-</th>" in meta         # the analysis' own header is kept


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_every_report_ends_with_the_stard_checklist(built, name):
    for page in ((built[name] / "index.html").read_text(), (built[name] / "report.md").read_text()):
        after = page.split("STARD 2015 checklist", 1)[1]
        assert "Provenance" in after and "Registration number and name of registry" in after, name
        for item in ("1", "10a", "10b", "12a", "13b", "21a", "21b", "30"):
            assert re.search(rf"(<td>|\| ){item}(</td>| \|)", after), (name, item)
        assert "for the authors" in after
    markdown = (built[name] / "report.md").read_text().split("## STARD 2015 checklist", 1)[1]
    rows = {r.split(" | ")[0].strip("| "): r.split(" | ")[-1].rstrip(" |") for r in markdown.splitlines()
            if re.match(r"\| \d", r)}
    assert len(rows) == 34
    for item in ("28", "29", "30", "13a", "13b"):                 # only the authors know these
        assert rows[item] == "for the authors", (name, item)
    assert rows["16"].startswith("Data: missing values"), name


def test_the_checklist_is_filled_from_what_each_report_contains(built):
    def rows(name):
        md = (built[name] / "report.md").read_text().split("## STARD 2015 checklist", 1)[1]
        return {r.split(" | ")[0].strip("| "): r.split(" | ")[-1].rstrip(" |") for r in md.splitlines()
                if re.match(r"\| \d", r)}

    modalities, meta, markers = rows("imaging_modalities"), rows("imaging_meta_analysis"), rows("blood_markers")
    assert modalities["19"] == "Participant flow (STARD 2015): flow diagram"
    assert meta["19"] == "Study flow (text)"
    assert modalities["23"] == "2x2 tables" and "Per-study 2x2 tables" in meta["23"]
    assert modalities["10b"] == "Reference standards" and meta["10b"] == "for the authors"
    assert "Accuracy with confidence intervals" in modalities["24"] and "95% CI" in modalities["24"]
    assert "Wilson" in rows("needle_biopsy")["24"]
    assert "Discrimination" in markers["12a"] and markers["20"].startswith("Table 1")
    assert "Table 1" not in markers["24"]                               # medians (IQR) are not estimates with CIs
    assert modalities["15"] == "Participant flow (STARD 2015): inconclusive results"
    assert "Biopsy yield and accuracy" in rows("needle_biopsy")["15"]   # non-diagnostic samples


def test_markdown_and_html_escape_html_from_data(tmp_path):
    evil = "<script>alert(1)</script>"
    rep = Report(name="x", title=f"t {evil}", question="a < b?",
                 sections=(section(f"s {evil}", table(pd.DataFrame({evil: [evil], "ppv": ["<b>1</b>"]}))),),
                 data=(DataSource(f"file {evil}", "0" * 64, 3, {evil: 1}),))
    folder = write(rep, tmp_path)
    markdown, page = (folder / "report.md").read_text(), (folder / "index.html").read_text()
    assert "<script" not in markdown and "<b>" not in markdown and "&lt;script>" in markdown
    assert "<script" not in page and "<b>1" not in page and "&lt;script&gt;" in page
    assert parse(page).errors == []


def test_user_column_names_are_escaped_in_the_markdown_of_a_built_report(tmp_path):
    tables = pd.DataFrame({"<script>s</script>": ["a_2001", "b_2002", "c_2003"], "tp": [10, 20, 15],
                           "fp": [2, 3, 1], "fn": [3, 2, 4], "tn": [30, 40, 25], "<i>note</i>": [None, "x", None]})
    path = tmp_path / "tables.csv"
    tables.to_csv(path, index=False)
    rep = build("imaging_meta_analysis", {"data": str(path), "mapping": {"study": "<script>s</script>"},
                                          "progress": False}, path=ANALYSES)
    folder = write(rep, tmp_path / "out")
    markdown = (folder / "report.md").read_text()
    assert "<script" not in markdown and "<i>" not in markdown and "&lt;i>note&lt;/i>: 2" in markdown
    assert parse((folder / "index.html").read_text()).errors == []


def test_html_template_autoescapes():
    from diagstats.report.model import _templates

    assert _templates().get_template("report.html").environment.autoescape("report.html") is True
    assert _templates().get_template("report.md").environment.autoescape("report.md") is False


def test_readme_lists_every_report():
    reports = (ROOT / "README.md").read_text().split("## Reports", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"^\| `(\w+)` \|", reports, flags=re.MULTILINE)
    assert sorted(listed) == list_analyses(ANALYSES)
    words = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine']
    assert f"writes {words[len(listed)]} reports" in reports
