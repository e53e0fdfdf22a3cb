"""The Performance page's directives: ``{benchmark-results}`` renders one committed
benchmark report, ``{benchmark-goals}`` the goals of every report the page shows."""

from __future__ import annotations

import io
import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .benchmark_report import RESULTS_DIR, read_report
from .tables import paragraph, table

logger = logging.getLogger(__name__)


def bar_chart_svg(plot: dict) -> str:
    """A small horizontal bar chart as inline SVG (rendered at build time)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    height = 0.6 + 0.45 * len(plot["labels"])
    fig, ax = plt.subplots(figsize=(6.4, height), layout="constrained")
    ax.barh(plot["labels"], plot["values"], color="#1f77b4")
    ax.invert_yaxis()
    ax.set_xlabel(plot["ylabel"])
    ax.set_title(plot["title"], fontsize="medium")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", facecolor="white")
    plt.close(fig)
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]


class BenchmarkResults(SphinxDirective):
    """``{benchmark-results} NAME`` renders ``benchmarks/results/NAME.json``."""

    required_arguments = 1

    def run(self):
        name = self.arguments[0]
        path = Path(self.env.srcdir) / RESULTS_DIR / f"{name}.json"
        if not path.is_file():
            logger.warning(
                f"benchmark results {RESULTS_DIR / (name + '.json')} not found: run `make bench`",
                location=self.get_location(),
            )
            return []
        self.env.note_dependency(str(path))
        report = read_report(path)
        machine = report["machine"]
        versions = ", ".join(f"{k} {v}" for k, v in report.get("versions", {}).items())
        out: list[nodes.Node] = [
            paragraph(report["summary"]),
            nodes.paragraph(
                text=(
                    f"Measured {report['date']} on {machine['cpus']} CPUs, "
                    f"{machine['memory_gb']} GB, {machine['platform']}, Python {machine['python']}; "
                    f"{versions}."
                )
            ),
        ]
        if report["goals"]:
            out.append(
                table(
                    ["goal", "measured", "met"],
                    [(g["description"], g["measured"], "yes" if g["met"] else "NO") for g in report["goals"]],
                    caption=f"{report['title']}: goals",
                )
            )
        for spec in report["tables"]:
            out.append(table(spec["columns"], spec["rows"], caption=spec["caption"]))
        for plot in report["plots"]:
            figure = nodes.container(classes=["scimlkit-benchmark-plot"])
            figure += nodes.raw("", bar_chart_svg(plot), format="html")
            out.append(figure)
        return out


REPORT_DIRECTIVE = re.compile(r"```\{benchmark-results\}\s+(\S+)")


def goal_rows(reports: list[dict]) -> list[tuple[str, str, str]]:
    """One row per report that sets goals, in the reports' order: its title and date, how
    many of its goals are met, and each goal not met with what was measured."""
    rows = []
    for report in reports:
        if not report["goals"]:
            continue
        missed = [f"{goal['description']}: {goal['measured']}" for goal in report["goals"] if not goal["met"]]
        met = len(report["goals"]) - len(missed)
        rows.append((f"{report['title']} ({report['date'][:10]})", f"{met} of {len(report['goals'])}",
                     "; ".join(missed) or "none"))
    return rows


class BenchmarkGoals(SphinxDirective):
    """``{benchmark-goals}``: for each report this page renders with ``{benchmark-results}``
    (in the page's order), how many of its goals are met and which are not."""

    def run(self):
        page = Path(self.env.doc2path(self.env.docname)).read_text(encoding="utf-8")
        reports = []
        for name in REPORT_DIRECTIVE.findall(page):
            path = Path(self.env.srcdir) / RESULTS_DIR / f"{name}.json"
            if path.is_file():  # a missing one is reported by its own {benchmark-results}
                self.env.note_dependency(str(path))
                reports.append(read_report(path))
        goals = [goal for report in reports for goal in report["goals"]]
        return [
            paragraph(f"{sum(goal['met'] for goal in goals)} of {len(goals)} goals met, in "
                      f"{sum(bool(report['goals']) for report in reports)} reports. Each report's section below "
                      "gives all its goals, each as its report states it; where the script repeated its timings "
                      "or seeds, the measured value gives their spread, and the goal is met only if the whole "
                      "spread meets it."),
            table(["report (measured)", "goals met", "goals not met, with what was measured"], goal_rows(reports),
                  caption="Benchmark goals, report by report"),
        ]


def setup(app: Sphinx) -> None:
    app.add_directive("benchmark-results", BenchmarkResults)
    app.add_directive("benchmark-goals", BenchmarkGoals)
