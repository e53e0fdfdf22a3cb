"""A published project's page: the metadata header, and nothing unsafe from the report.

- MyST and notebook reports are the page; the header (authors, term, keywords, links)
  goes under the report's title.
- A PDF report has no text to render: ``project.yml`` itself is read as the page by
  ``ProjectPageParser`` (title, header, abstract, thumbnail, download link).
- Notebook reports lose HTML/JavaScript outputs and myst-nb metadata before parsing.
- After parsing, project pages are swept again (``_sanitize``): raw markup is dropped,
  links other than http(s)/mailto lose their target, and images or downloads outside
  the project folder are removed. ``project check`` already refuses all of these, so
  a sweep that finds anything also warns.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.parsers import Parser
from sphinx.util import logging

from ...gallery.citation import CITATION_FILE, bibtex, page_url
from ...gallery.deadlines import STAGES
from ...gallery.environment import CODE_FOLDER, LOCK_FILE
from ...gallery.launch import (
    COLAB_FOLDER,
    LaunchTarget,
    has_launch,
    launch_notebook,
    launch_url,
    notebook_path,
)
from ...gallery.report import FORBIDDEN_METADATA, SHOWN_MIME_TYPES, pdf_page_count
from ...gallery.reproduce import ReproduceError, reproduce_command
from ...gallery.topics import label
from ..reader.notebooks import repository
from . import citations
from .state import gallery_state, page_of

logger = logging.getLogger(__name__)

FILETYPE = "scimlkit-project"
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


def stage_label(project) -> str:
    """"Report", "First write-up" or "Proposal": what the submission is."""
    return STAGES[project.stage].name


def page_count(page) -> int | None:
    """Pages of the project's PDF (the check has read it already)."""
    pdf = page.project.pdf_file
    return pdf_page_count(page.checked.folder / pdf) if pdf else None


def code_url(app: Sphinx, page) -> str | None:
    """Where the project's code/ folder is on the course repository's site."""
    url, branch = repository(app)
    if not url:
        return None
    return f"{url.rstrip('/')}/tree/{branch}/{page.folder}/code"


def header(page, app: Sphinx | None = None) -> nodes.container:
    """Authors, term, keywords and links of a project, as escaped docutils nodes."""
    project = page.project
    box = nodes.container(classes=["scimlkit-project-header"])
    if project.example:
        box += nodes.paragraph(
            "", "", nodes.strong(text="Example project"),
            nodes.Text(" written by the course team to show what a submission looks like: "
                       + ("a full-length report." if project.stage == "report"
                          else f"a short example ({stage_label(project).lower()}), not a full-length report.")),
        )
    authors = nodes.paragraph(text="By ")
    for index, author in enumerate(project.authors):
        if index:
            authors += nodes.Text(", ")
        name = nodes.Text(author.name)
        authors += nodes.reference("", "", name, refuri=str(author.url)) if author.url else name
        if author.orcid:
            authors += nodes.Text(" ")
            authors += nodes.reference("", f"ORCID {author.orcid}", refuri=f"https://orcid.org/{author.orcid}",
                                       classes=["scimlkit-orcid"])
        if author.affiliation:
            authors += nodes.Text(f" ({author.affiliation})")
    box += authors
    keywords = ", ".join(label(keyword) for keyword in project.keywords)
    box += nodes.paragraph(text=f"{project.term_label} · {stage_label(project)} · {keywords}")
    links = []
    pages = page_count(page)
    if project.pdf_file:
        links.append(_download(page, project.pdf_file, f"Report (PDF, {pages} pages)"))
    if project.slides:
        links.append(_download(page, project.slides, "Slides (PDF)"))
    if project.video:
        links.append(nodes.reference("", "Video of the talk", refuri=str(project.video)))
    if project.code:
        links.append(nodes.reference("", "Code repository", refuri=str(project.code)))
    elif (page.checked.folder / "code").is_dir():
        url = code_url(app, page) if app is not None else None
        text = f"Code ({page.folder}/code/)"
        links.append(nodes.reference("", text, refuri=url) if url else nodes.inline(text=text))
    if project.arxiv:
        links.append(nodes.reference("", f"arXiv:{project.arxiv}", refuri=f"https://arxiv.org/abs/{project.arxiv}"))
    if project.doi:
        links.append(nodes.reference("", f"doi:{project.doi}", refuri=f"https://doi.org/{project.doi}"))
    links.append(nodes.reference("", f"Licence {project.license}", refuri=f"https://spdx.org/licenses/{project.license}.html"))
    if links:
        line = nodes.paragraph(classes=["scimlkit-project-links"])
        for index, link in enumerate(links):
            if index:
                line += nodes.Text(" · ")
            line += link
        box += line
    url = launch_link(app, page) if app is not None else None
    if url:
        box += _launch_paragraph(page, url)
    return box


def launch_link(app: Sphinx, page) -> str | None:
    """Colab's address of the project's launch notebook; None for a project without code/
    and its lock, or a site without a GitHub repository (scimlkit.gallery.launch)."""
    url, _ = repository(app)
    if not url or not has_launch(page.checked.folder):
        return None
    try:
        return launch_url(url, app.config.scimlkit_colab_branch, page.checked.slug)
    except ValueError:  # not on GitHub: Colab cannot open it
        return None


def _command(page) -> str | None:
    try:
        return reproduce_command(page.checked.folder / CODE_FOLDER)
    except ReproduceError:
        return None


def _launch_paragraph(page, url: str) -> nodes.paragraph:
    """The launch link, and what the notebook it opens does."""
    command = _command(page)
    if page.project.report_kind == "ipynb":
        then = "runs the report's cells"
    elif command:
        then = f"runs {command} in code/ and shows the figures it draws"
    else:
        then = "leaves you in the project's folder"
    line = nodes.paragraph(classes=["scimlkit-project-launch"])
    line += nodes.reference("", "Run the code on Colab", refuri=url)
    line += nodes.Text(f": a notebook on Google Colab that fetches this project's folder from the course repository, "
                       f"installs the versions pinned in {CODE_FOLDER}/{LOCK_FILE}, and then {then}.")
    return line


def write_launch_notebooks(app: Sphinx, exception: Exception | None) -> None:
    """``_colab/projects/<slug>/launch.ipynb`` for every published project with a launch link
    (the publishing workflow pushes ``_colab/`` to the Colab branch the link opens)."""
    if exception is not None or app.builder.format != "html":
        return
    url, branch = repository(app)
    for page in gallery_state(app).pages:
        if launch_link(app, page) is None:
            continue
        target = LaunchTarget(url, branch, page.folder)
        notebook = launch_notebook(page.checked.folder, page.project, target, _command(page))
        path = Path(app.outdir) / COLAB_FOLDER / notebook_path(page.checked.slug)
        text = json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
        if not path.is_file() or path.read_text(encoding="utf-8") != text:  # unchanged files keep their time
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")


def citation_section(page) -> nodes.section:
    """"Cite this report": the BibTeX entry made from project.yml (as CITATION.cff is)."""
    project, folder = page.project, page.checked.folder
    section = nodes.section(ids=["cite-this-report"], names=["cite this report"], classes=["scimlkit-project-citation"])
    section += nodes.title(text="Cite this report")
    section += nodes.paragraph(text=f"As BibTeX (the project folder's {CITATION_FILE} holds the same for other tools):")
    entry = bibtex(folder.name, project, page_url(folder, project))
    section += nodes.literal_block(entry, entry, language="bibtex")
    return section


def _download(page, relative: str, text: str) -> addnodes.download_reference:
    return addnodes.download_reference(
        "", "", nodes.inline(text=text), reftarget=f"/{page.folder}/{relative}", refexplicit=True
    )


class ProjectPageParser(Parser):
    """Reads ``projects/<slug>/project.yml`` of a PDF project as its page."""

    supported = (FILETYPE,)

    def parse(self, inputstring: str, document: nodes.document) -> None:
        page = page_of(self._app, self.env.docname)
        if page is None:  # only published PDF projects' project.yml files are documents
            return
        project = page.project
        section = nodes.section(ids=["project"], names=["project"])
        section += nodes.title(text=project.title)
        section += header(page, self._app)
        abstract = nodes.topic(classes=["scimlkit-project-abstract"])
        abstract += nodes.title(text="Abstract")
        for paragraph in re.split(r"\n\s*\n", project.abstract):
            abstract += nodes.paragraph(text=" ".join(paragraph.split()))
        section += abstract
        figure = nodes.figure()
        figure += nodes.image(uri=f"/{page.folder}/{project.thumbnail}", alt=f"Thumbnail of {project.title}")
        section += figure
        reading = nodes.paragraph(text=f"The full report is a PDF of {page_count(page)} pages: ")
        reading += _download(page, project.report, f"download {Path(project.report).name}")
        reading += nodes.Text(".")
        section += reading
        section += citation_section(page)
        document += section


_EQUATION_LABEL = re.compile(r"^(\s*\$\$\s*\()([^)\s]+)(\)\s*)$", re.MULTILINE)
_TARGET = re.compile(r"^\(([^)\s]+)\)=\s*$", re.MULTILINE)
_LABEL_OPTION = re.compile(r"^(\s*:(?:label|name):\s*)(\S+)", re.MULTILINE)
_LABEL_ROLE = re.compile(r"(\{(?:eq|numref|ref)\}`)([^`<]*<)?([^`>]+)(>?`)")


def isolate_labels(text: str, slug: str) -> str:
    """Equation and figure labels belong to their project, as citation keys do: Sphinx keeps
    them in one namespace for the whole site, so each gets the project's slug in front."""
    prefix = f"{slug}--"
    text = _EQUATION_LABEL.sub(lambda match: f"{match.group(1)}{prefix}{match.group(2)}{match.group(3)}", text)
    text = _TARGET.sub(lambda match: f"({prefix}{match.group(1)})=", text)
    text = _LABEL_OPTION.sub(lambda match: f"{match.group(1)}{prefix}{match.group(2)}", text)
    return _LABEL_ROLE.sub(lambda match: f"{match.group(1)}{match.group(2) or ''}{prefix}{match.group(3)}{match.group(4)}", text)


def _project_text(text: str, slug: str) -> str:
    return isolate_labels(citations.rewrite_cite_roles(text), slug)


def _prepare_source(app: Sphinx, docname: str, source: list[str]) -> None:
    """Citations and labels become the project's own; notebooks lose what the site must not show."""
    page = page_of(app, docname)
    if page is None or page.project.report_kind == "pdf":
        return
    slug = page.checked.slug
    if page.project.report_kind == "md":
        source[0] = _project_text(source[0], slug)
        return
    notebook = json.loads(source[0])
    metadata = notebook.get("metadata", {})
    for key in FORBIDDEN_METADATA:
        metadata.pop(key, None)
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "markdown":
            text = "".join(cell["source"]) if isinstance(cell.get("source"), list) else cell.get("source", "")
            cell["source"] = _project_text(text, slug)
        for output in cell.get("outputs", []):
            if "data" in output:
                output["data"] = {mime: value for mime, value in output["data"].items() if mime in SHOWN_MIME_TYPES}
    source[0] = json.dumps(notebook)


def _add_header(app: Sphinx, doctree: nodes.document) -> None:
    page = page_of(app, app.env.docname)
    if page is None:
        return
    _sanitize(app, page, doctree)
    if page.project.report_kind == "pdf":
        return
    citations.add_reference_list(page, doctree)
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is not None and section.children and isinstance(section[0], nodes.title):
        section.insert(1, header(page, app))
        section += citation_section(page)
    else:
        doctree.insert(0, header(page, app))
        doctree += citation_section(page)


def _sanitize(app: Sphinx, page, doctree: nodes.document) -> None:
    folder = page.checked.folder.resolve()
    allowed_roots = [folder]
    nb_config = getattr(app.env, "mystnb_config", None)
    if nb_config is not None and nb_config.output_folder:
        allowed_roots.append(Path(nb_config.output_folder).resolve())

    def removed(node: nodes.Node, what: str) -> None:
        logger.warning(f"[gallery] project {page.checked.slug!r}: {what} removed from the page", location=node)

    for node in list(doctree.findall(nodes.raw)):
        removed(node, "raw markup")
        node.parent.remove(node)
    for node in list(doctree.findall(nodes.reference)):
        uri = node.get("refuri", "")
        scheme = _SCHEME.match(uri)
        if scheme and scheme.group(1).lower() not in ("http", "https", "mailto"):
            removed(node, f"a {scheme.group(1)}: link")
            node.replace_self(nodes.inline("", "", *node.children))
    for node in list(doctree.findall(nodes.image)):
        if not _local(app, node.get("uri", ""), allowed_roots):
            removed(node, "an image outside the project folder")
            node.parent.remove(node)
    for node in list(doctree.findall(addnodes.download_reference)):
        if not _local(app, node.get("reftarget", ""), [folder]):
            removed(node, "a download outside the project folder")
            node.replace_self(nodes.inline("", "", *node.children))


def _local(app: Sphinx, uri: str, roots: list[Path]) -> bool:
    if not uri or _SCHEME.match(uri) or uri.startswith("//"):
        return False
    _, absolute = app.env.relfn2path(uri, app.env.docname)
    resolved = Path(absolute).resolve()
    return any(resolved.is_relative_to(root) for root in roots)


def setup(app: Sphinx) -> None:
    app.add_source_suffix(".yml", FILETYPE)
    app.add_source_parser(ProjectPageParser)
    app.connect("source-read", _prepare_source)
    citations.setup(app)
    app.connect("build-finished", write_launch_notebooks)
    # Before the image and download collectors (priority 500) see the doctree.
    app.connect("doctree-read", _add_header, priority=400)
