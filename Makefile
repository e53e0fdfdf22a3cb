# The course's two everyday commands are `make site` and `make test`.
# Everything runs inside .venv, created from the committed uv.lock.

PYTHON ?= python3
VENV := .venv
UV := $(VENV)/bin/uv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.9
STAMP := $(VENV)/.synced
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: site test lecture serve bench mutation clean distclean env browsers pdf tex

## site: execute outdated lectures on every core and write the site to _build/html/
site: $(STAMP)
	$(PY) -m scimlkit.site.build

## test: the whole test suite (unit, site, cache, failure, browser and project-PDF tests)
test: $(STAMP) browsers tex
	$(PY) -m pytest

## lecture NAME=<stem>: execute one lecture and rebuild the site incrementally
lecture: $(STAMP)
	@test -n "$(NAME)" || { echo "usage: make lecture NAME=01_introduction"; exit 2; }
	$(PY) -m scimlkit.site.build --only $(NAME)

## pdf: the whole course as one PDF in _build/pdf/sciml-in-python.pdf (XeLaTeX), checked
##      for its pages and every lecture; a later `make site` links it from the home page
pdf: $(STAMP) tex
	$(PY) -m scimlkit.site.build.pdf

## serve: preview the built site on http://127.0.0.1:8000
serve:
	@test -f _build/html/index.html || { echo "no site yet: run make site first"; exit 2; }
	$(PY) -m http.server 8000 --bind 127.0.0.1 --directory _build/html

## bench: run every benchmark (installing the pinned peer libraries they compare against)
##        and write benchmarks/results/*.json
bench: $(STAMP)
	@if [ -f benchmarks/requirements-peers.txt ]; then $(VENV)/bin/pip install --quiet -r benchmarks/requirements-peers.txt; fi
	@for script in benchmarks/*.py; do \
	  case $$script in benchmarks/mutation.py) continue;; esac; \
	  echo "== $$script"; $(PY) $$script || exit 1; done

## mutation: mutation score of the toolkit's tests (cosmic-ray, a seeded sample per module;
##           about an hour on two cores), written to benchmarks/results/mutation.json
##           (MODULES=sdes,sindy reruns some modules and keeps the others' results)
mutation: $(STAMP)
	$(PY) benchmarks/mutation.py $(if $(MODULES),--modules $(MODULES))

## clean: remove built pages but keep the execution cache (CACHE=1 removes it too)
clean:
	find _build -mindepth 1 -maxdepth 1 ! -name .jupyter_cache -exec rm -rf {} + 2>/dev/null || true
	@if [ "$(CACHE)" = "1" ]; then rm -rf _build/.jupyter_cache; echo "execution cache removed"; fi

## distclean: clean everything, the virtual environment included
distclean:
	rm -rf _build $(VENV)

env: $(STAMP)

$(UV):
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet "uv==$(UV_VERSION)"

# --compile-bytecode writes every package's .pyc at install time: with
# PYTHONDONTWRITEBYTECODE set (as on CI machines), each lecture kernel would otherwise
# recompile JAX, SciPy and matplotlib from source, seconds per kernel.
$(STAMP): uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --inexact --all-groups --all-extras --compile-bytecode
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (ipykernel)" >/dev/null
	touch $(STAMP)

## browsers: Debian's chromium for the browser tests and a Java runtime for the Nu HTML
##           checker (skipped when present; installing needs root: otherwise it says what to run)
browsers:
	@missing=""; command -v chromium >/dev/null 2>&1 || missing=" chromium"; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" != 0 ]; then \
	    echo "the site tests need Debian's$$missing, which only root can install; run:" >&2; \
	    echo "  sudo apt-get update && sudo apt-get install -y$$missing" >&2; \
	    echo "then run make test again (or run the tests without a browser: .venv/bin/pytest -m 'not browser')" >&2; \
	    exit 1; \
	  fi; \
	  echo "installing Debian's$$missing for the site tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq$$missing >/dev/null; \
	fi

## tex: Debian's XeLaTeX, latexmk, fonts and poppler-utils for `make pdf` and project PDFs
##      (`scimlkit project pdf`; skipped when present)
tex:
	@{ command -v xelatex && command -v latexmk && command -v pdfinfo; } >/dev/null 2>&1 || { \
	  echo "installing Debian's TeX for the course PDF"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    texlive-xetex texlive-latex-extra texlive-fonts-recommended fonts-freefont-otf latexmk poppler-utils >/dev/null; }
