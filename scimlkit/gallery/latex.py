"""A report as a SIAM-style paper: MyST or notebook text to LaTeX, compiled to a PDF.

``scimlkit project pdf <folder>`` writes ``report.pdf`` next to the report, so that every
report has a PDF whose pages the check counts and the gallery links. SIAM's own
``siamart`` class is not in TeX Live (SIAM distributes it from its web site), so the
template below reproduces its layout with standard packages: a 30pc by 50pc text block
in 10pt type, a bold upper-case title, authors in small caps, run-in *Abstract*, *Key
words* and *AMS subject classifications* paragraphs, bold numbered run-in section
heads, italic theorem bodies, equations numbered by section, and the reference list
in SIAM's BibTeX style (``siam.bst``, sorted and numbered). A project written in
LaTeX starts from ``report.tex`` made by ``latex_template``.

The LaTeX run is given only files of the project, runs without shell escape and with
TeX's file access limited to the build folder (``openin_any``/``openout_any=p``).
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from .bibliography import read_bibliography, short_authors

LATEXMK_TIMEOUT_S = 300


class PdfError(RuntimeError):
    """The PDF could not be made; the message says why (and holds LaTeX's log tail)."""


PREAMBLE = r"""\documentclass[10pt]{article}
% A faithful stand-in for SIAM's siamart class, built from TeX Live's standard packages.
\usepackage[paperwidth=8.5in,paperheight=11in,textwidth=30pc,textheight=50pc,centering,headsep=12pt]{geometry}
\usepackage{amsmath,amssymb,amsthm}
\usepackage{fontspec}
\usepackage{graphicx,booktabs,url}
\usepackage[font=small,labelfont=sc,labelsep=period]{caption}
\usepackage{fancyhdr}
\usepackage[hidelinks]{hyperref}
\theoremstyle{plain}
\newtheorem{theorem}{Theorem}[section]
\newtheorem{lemma}[theorem]{Lemma}
\newtheorem{proposition}[theorem]{Proposition}
\theoremstyle{definition}
\newtheorem{definition}[theorem]{Definition}
\newtheorem{remark}[theorem]{Remark}
\makeatletter
\renewcommand\section{\@startsection{section}{1}{\z@}{-12pt plus -2pt}{-0.5em}{\normalfont\bfseries}}
\renewcommand\subsection{\@startsection{subsection}{2}{\z@}{-10pt plus -2pt}{-0.5em}{\normalfont\bfseries}}
\renewcommand\subsubsection{\@startsection{subsubsection}{3}{\z@}{-8pt}{-0.5em}{\normalfont\itshape}}
\renewcommand\@seccntformat[1]{\csname the#1\endcsname.\enspace}
\renewcommand\maketitle{\par\begin{center}
  {\large\bfseries\MakeUppercase{\@title}\par}\vskip 10pt
  {\scshape\@author\par}\vskip 4pt {\small\@date\par}\end{center}\vskip 10pt}
\makeatother
\renewenvironment{abstract}{\small\noindent\textbf{Abstract.}\ }{\par}
\newcommand{\keywords}[1]{\par\small\noindent\textbf{Key words.}\ #1\par}
\newcommand{\amssubj}[1]{\par\small\noindent\textbf{AMS subject classifications.}\ #1\par\normalsize}
\pagestyle{fancy}\fancyhf{}\renewcommand{\headrulewidth}{0pt}
\fancyhead[C]{\footnotesize\scshape\runninghead}\fancyhead[R]{\footnotesize\thepage}
"""


def _escape(text: str) -> str:
    replacements = {
        "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
        "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
    }
    return "".join(replacements.get(char, char) for char in text)


# TeX primitives that read or write files or redefine the language have no place in a
# formula; math is passed to LaTeX as written, so it is screened for them first.
_UNSAFE_MATH = re.compile(r"\\(input|include|openin|openout|read|write|immediate|catcode|def|edef|gdef|xdef|let|csname|"
                          r"newcommand|renewcommand|usepackage|special|directlua|lowercase|uppercase|jobname)(?![A-Za-z])")


def _math(text: str) -> str:
    unsafe = _UNSAFE_MATH.search(text)
    if unsafe:
        raise PdfError(f"the formula {text[:60]!r} uses {unsafe.group()}, which a formula may not use")
    return text


def _label(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9:.-]", "-", text)


def document(title: str, authors: list[str], abstract: str, keywords: list[str], body: str, bibliography: str | None) -> str:
    """A complete SIAM-style LaTeX document around ``body``."""
    names = r" \and ".join(_escape(name) for name in authors)
    head = [
        PREAMBLE,
        rf"\newcommand{{\runninghead}}{{{_escape(title[:70])}}}",
        rf"\title{{{_escape(title)}}}",
        rf"\author{{{names}}}",
        r"\date{}",
        r"\begin{document}",
        r"\maketitle",
        r"\thispagestyle{plain}",
        rf"\begin{{abstract}}{abstract}\end{{abstract}}",
        rf"\keywords{{{_escape(', '.join(keywords))}}}",
        r"\normalsize",
        body,
    ]
    if bibliography:
        head += [r"\nocite{*}", r"\bibliographystyle{siam}", rf"\bibliography{{{bibliography}}}"]
    head.append(r"\end{document}")
    return "\n".join(head) + "\n"


class MystToLatex:
    """Converts the MyST subset the check allows into LaTeX, token by token."""

    def __init__(self, figure_dir: str = "", authors: dict[str, str] | None = None, *, bibliography: bool = True) -> None:
        from .report import _parser

        self.parser = _parser()
        self.figure_dir = figure_dir
        self.authors = authors or {}  # citation key -> "Chen et al.", for {cite:t}
        self.bibliography = bibliography  # False: a hand-written References list is kept
        self.title = ""
        self.abstract: list[str] = []

    def convert(self, text: str) -> str:
        tokens = self.parser.parse(text)
        out: list[str] = []
        target = out
        skip_level = None
        index = 0
        while index < len(tokens):
            token = tokens[index]
            if token.type == "heading_open":
                level = int(token.tag[1])
                heading = tokens[index + 1].content.strip()
                index += 3
                if skip_level is not None and level <= skip_level:
                    skip_level = None
                target = out
                if level == 1:
                    self.title = self.title or heading
                elif heading.lower() == "abstract":
                    target = self.abstract
                elif heading.lower() in ("references", "bibliography") and self.bibliography:
                    skip_level = level  # the reference list comes from references.bib
                elif heading.lower() in ("references", "bibliography"):
                    out.append("\n\\section*{References}\n")
                else:
                    command = {2: "section", 3: "subsection"}.get(level, "subsubsection")
                    out.append(f"\n\\{command}{{{self.inline(tokens[index - 2].children or [])}}}\n")
                continue
            if skip_level is not None:
                index += 1
                continue
            index = self.block(tokens, index, target)
        return "".join(out)

    def block(self, tokens, index: int, out: list[str]) -> int:
        token = tokens[index]
        kind = token.type
        if kind == "inline":
            children = token.children or []
            if len(children) == 1 and children[0].type == "image":
                image = children[0]
                caption = self.inline(image.children or []) or _escape(image.content)
                out.append(self.figure(str(image.attrs.get("src", "")), caption))
            else:
                out.append(self.inline(children))
        elif kind == "paragraph_close":
            out.append("\n\n")
        elif kind == "bullet_list_open":
            out.append("\\begin{itemize}\n")
        elif kind == "bullet_list_close":
            out.append("\\end{itemize}\n")
        elif kind == "ordered_list_open":
            out.append("\\begin{enumerate}\n")
        elif kind == "ordered_list_close":
            out.append("\\end{enumerate}\n")
        elif kind == "list_item_open":
            out.append("\\item ")
        elif kind in ("math_block", "math_block_label"):
            label = f"\\label{{eq:{_label(token.info)}}}" if kind == "math_block_label" and token.info else ""
            out.append(f"\\begin{{equation}}{label}\n{_math(token.content.strip())}\n\\end{{equation}}\n")
        elif kind == "amsmath":
            out.append(_math(token.content) + "\n")
        elif kind in ("fence", "colon_fence"):
            out.append(self.directive(token))
        elif kind == "table_open":
            return self.table(tokens, index, out)
        return index + 1

    def directive(self, token) -> str:
        info = token.info.strip()
        if not info.startswith("{"):
            return f"\\begin{{verbatim}}\n{token.content}\\end{{verbatim}}\n"
        name, _, argument = info[1:].partition("}")
        options = dict(re.findall(r"^:([\w-]+):\s*(.*)$", token.content, re.MULTILINE))
        body = re.sub(r"^:[\w-]+:.*\n?", "", token.content, flags=re.MULTILINE).strip()
        if name == "figure":
            return self.figure(argument.strip(), MystToLatex(self.figure_dir, self.authors).convert(body).strip(), options.get("name"))
        if name == "math":
            label = f"\\label{{eq:{_label(options['label'])}}}" if "label" in options else ""
            return f"\\begin{{equation}}{label}\n{_math(body)}\n\\end{{equation}}\n"
        if name in ("code", "code-block", "sourcecode"):
            return f"\\begin{{verbatim}}\n{body}\n\\end{{verbatim}}\n"
        inner = MystToLatex(self.figure_dir, self.authors).convert(body)
        heading = f"\\textbf{{{_escape(argument.strip() or name.title())}.}} " if name not in ("margin", "sidebar") else ""
        return f"\\begin{{quote}}\\small {heading}{inner}\\end{{quote}}\n"

    def figure(self, path: str, caption: str, name: str | None = None) -> str:
        label = f"\\label{{fig:{_label(name)}}}" if name else ""
        return (
            "\\begin{figure}[tbp]\\centering\n"
            f"\\includegraphics[width=0.9\\textwidth]{{{self.figure_dir}{path}}}\n"
            f"\\caption{{{caption}}}{label}\n\\end{{figure}}\n"
        )

    def table(self, tokens, index: int, out: list[str]) -> int:
        rows: list[list[str]] = []
        while tokens[index].type != "table_close":
            token = tokens[index]
            if token.type == "tr_open":
                rows.append([])
            elif token.type == "inline":
                rows[-1].append(self.inline(token.children or []))
            index += 1
        columns = max((len(row) for row in rows), default=1)
        lines = [" & ".join(row) + r" \\" for row in rows]
        if lines:
            lines.insert(1, r"\midrule")
        out.append(
            f"\\begin{{center}}\\small\\begin{{tabular}}{{{'l' * columns}}}\\toprule\n"
            + "\n".join(lines) + "\n\\bottomrule\\end{tabular}\\end{center}\n"
        )
        return index + 1

    def inline(self, children) -> str:
        parts: list[str] = []
        for child in children:
            kind = child.type
            if kind == "text":
                parts.append(_escape(child.content))
            elif kind == "code_inline":
                parts.append(f"\\texttt{{{_escape(child.content)}}}")
            elif kind in ("em_open", "strong_open"):
                parts.append("\\emph{" if kind == "em_open" else "\\textbf{")
            elif kind in ("em_close", "strong_close", "link_close"):
                parts.append("}")
            elif kind == "math_inline":
                parts.append(f"${_math(child.content)}$")
            elif kind == "link_open":
                href = str(child.attrs.get("href", ""))
                parts.append(f"\\href{{{_escape(href)}}}{{" if href.lower().startswith(("http", "mailto")) else "{")
            elif kind == "softbreak":
                parts.append("\n")
            elif kind == "hardbreak":
                parts.append("\\\\\n")
            elif kind == "myst_role":
                parts.append(self.role(child.meta.get("name", ""), child.content))
            elif kind == "image":
                parts.append(_escape(child.content))
            elif child.content:
                parts.append(_escape(child.content))
        return "".join(parts)

    def role(self, name: str, content: str) -> str:
        if name.startswith("cite"):
            keys = [key.strip() for key in content.split(",") if key.strip()]
            cite = f"\\cite{{{','.join(keys)}}}"
            if name in ("cite:t", "cite:ts"):
                return _escape(", ".join(self.authors.get(key, key) for key in keys)) + "~" + cite
            return "~" + cite
        if name == "eq":
            return f"\\eqref{{eq:{_label(content.strip())}}}"
        if name in ("numref", "ref"):
            target = re.sub(r"^.*<(.*)>$", r"\1", content.strip())
            # As the site renders it (numfig_format in _config.yml): "Figure 2".
            return f"Figure~\\ref{{fig:{_label(target)}}}" if name == "numref" else f"\\ref{{fig:{_label(target)}}}"
        if name == "math":
            return f"${_math(content)}$"
        if name in ("sub", "sup"):
            return f"\\text{name}script{{{_escape(content)}}}"
        return f"\\texttt{{{_escape(content)}}}" if name == "code" else _escape(content)


def notebook_markdown(path: Path, images: Path) -> str:
    """A notebook as MyST text: markdown cells, code as listings, outputs as text or figures."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    parts = []
    for number, cell in enumerate(notebook.get("cells", []), start=1):
        source = "".join(cell["source"]) if isinstance(cell.get("source"), list) else cell.get("source", "")
        if cell.get("cell_type") == "markdown":
            parts.append(source)
        elif cell.get("cell_type") == "code":
            parts.append(f"```python\n{source}\n```")
            for count, output in enumerate(cell.get("outputs", []), start=1):
                data = output.get("data", {})
                if "image/png" in data:
                    name = f"cell{number}-{count}.png"
                    (images / name).write_bytes(base64.b64decode("".join(data["image/png"])))
                    parts.append(f"![Output of cell {number}]({name})")
                elif output.get("output_type") == "stream" or "text/plain" in data:
                    text = output.get("text") or data.get("text/plain", "")
                    text = "".join(text) if isinstance(text, list) else text
                    lines = text.splitlines()
                    if len(lines) > 40:
                        lines = [*lines[:40], f"... ({len(lines) - 40} more lines)"]
                    parts.append("```text\n" + "\n".join(lines) + "\n```")
    return "\n\n".join(parts)


def report_latex(folder: Path, build: Path) -> str:
    """The LaTeX of a project's MyST or notebook report, with its images under ``build``."""
    from .check import PROJECT_FILE
    from .schema import Project
    from .yaml_source import read_mapping

    project = Project.model_validate(read_mapping(folder / PROJECT_FILE)[0])
    report = folder / project.report
    bibliography, authors = None, {}
    if project.bibliography:
        bib = read_bibliography(folder / project.bibliography)
        if bib.problems:
            raise PdfError("; ".join(str(problem) for problem in bib.problems))
        shutil.copy(folder / project.bibliography, build / "references.bib")
        bibliography = "references"
        authors = {key: short_authors(entry) for key, entry in bib.entries.items()}
    if project.report_kind == "ipynb":
        images = build / "outputs"
        images.mkdir(exist_ok=True)
        text = notebook_markdown(report, images)
        converter = MystToLatex("outputs/", authors, bibliography=bibliography is not None)
    else:
        text = report.read_text(encoding="utf-8")
        converter = MystToLatex("", authors, bibliography=bibliography is not None)
    body = converter.convert(text)
    abstract = "".join(converter.abstract).strip() or _escape(" ".join(project.abstract.split()))
    return document(
        converter.title or project.title, [author.name for author in project.authors], abstract,
        list(project.keywords), body, bibliography,
    )


def compile_latex(tex: Path, timeout: int = LATEXMK_TIMEOUT_S) -> Path:
    """Run latmk (XeLaTeX, BibTeX) on ``tex`` in its folder; the PDF next to it."""
    if shutil.which("latexmk") is None or shutil.which("xelatex") is None:
        raise PdfError("latexmk and xelatex are not installed: run `make tex` (Debian's TeX packages)")
    env = {**os.environ, "openout_any": "p", "openin_any": "p"}
    command = ["latexmk", "-xelatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", tex.name]
    try:
        done = subprocess.run(command, cwd=tex.parent, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise PdfError(f"LaTeX took longer than {timeout} s") from None
    pdf = tex.with_suffix(".pdf")
    if done.returncode != 0 or not pdf.is_file():
        log = tex.with_suffix(".log")
        text = log.read_text(encoding="utf-8", errors="replace") if log.is_file() else done.stdout
        # The build folder is temporary: keep the whole log where the student can open it.
        kept = Path(tempfile.gettempdir()) / f"scimlkit-pdf-{tex.parent.name}-{os.getpid()}.log"
        kept.write_text(text, encoding="utf-8")
        raise PdfError(f"LaTeX failed on {latex_error_summary(text, tex)}\n(the full log: {kept})")
    return pdf


def latex_error_summary(log: str, tex: Path) -> str:
    """The first ``!`` error of a LaTeX log as ``file:line: message`` with two lines of the
    source either side, or the log's last lines when it names no error."""
    lines = log.splitlines()
    bang = next((index for index, line in enumerate(lines) if line.startswith("! ")), None)
    if bang is None:
        return f"{tex.name}:\n" + "\n".join(lines[-15:])
    message = lines[bang][2:].strip()
    where = next((re.match(r"l\.(\d+)", line) for line in lines[bang:bang + 30] if re.match(r"l\.\d+", line)), None)
    if where is None or not tex.is_file():
        return f"{tex.name}: {message}"
    number = int(where.group(1))
    source = tex.read_text(encoding="utf-8", errors="replace").splitlines()
    context = [
        f"{'>' if index + 1 == number else ' '} {index + 1:4d} | {source[index]}"
        for index in range(max(0, number - 3), min(len(source), number + 2))
    ]
    return f"{tex.name}:{number}: {message}\n" + "\n".join(context)


def build_pdf(folder: Path, output: Path | None = None) -> Path:
    """``report.pdf`` of a project: its ``report.tex`` compiled, or its MyST/notebook report
    converted; stamped with the digest of its source (``pdf_digest``)."""
    from .check import PROJECT_FILE
    from .pdf_digest import source_digest, stamp
    from .schema import Project
    from .yaml_source import read_mapping

    output = output or folder / "report.pdf"
    digest = source_digest(folder, Project.model_validate(read_mapping(folder / PROJECT_FILE)[0]))
    with tempfile.TemporaryDirectory(prefix="scimlkit-pdf-") as temporary:
        build = Path(temporary)
        # The build sees a copy of the project (figures, bibliography), never anything else.
        shutil.copytree(folder, build / "project", ignore=shutil.ignore_patterns("code", ".*"))
        work = build / "project"
        tex = work / "report.tex"
        if not tex.is_file():
            tex.write_text(report_latex(folder, work), encoding="utf-8")
        pdf = compile_latex(tex)
        shutil.copy(pdf, output)
    if digest is not None:
        stamp(output, digest)
    return output
