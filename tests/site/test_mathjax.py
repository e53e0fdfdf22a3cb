"""The site's own MathJax: the pinned version, copied by content hash."""

from __future__ import annotations

import json

import pytest

from scimlkit.site.reader import mathjax


def test_the_installed_mathjax_is_the_pinned_version():
    folder = mathjax.distribution()
    assert json.loads((folder / "package.json").read_text())["version"] == mathjax.VERSION
    assert (folder / "es5" / mathjax.ENTRY).is_file()


def test_another_mathjax_version_is_refused(monkeypatch):
    monkeypatch.setattr(mathjax, "VERSION", "9.9.9")
    with pytest.raises(RuntimeError, match="the installed MathJax is 3.2.2, the site is pinned to 9.9.9"):
        mathjax.distribution()


def test_copy_goes_by_content_not_size(tmp_path):
    source, target = tmp_path / "source", tmp_path / "target"
    (source / "fonts").mkdir(parents=True)
    (source / "a.js").write_text("version 1")
    (source / "fonts" / "b.woff").write_bytes(b"\x00\x01")
    assert mathjax.copy_tree(source, target) == 2
    assert mathjax.copy_tree(source, target) == 0
    (source / "a.js").unlink()
    (source / "a.js").write_text("version 2")  # same size, new content, a new file (no hard link)
    assert mathjax.copy_tree(source, target) == 1
    assert (target / "a.js").read_text() == "version 2"
