"""Building the book: execute outdated lectures first, then let Jupyter Book write the pages.

``python -m scimlkit.site.build`` (``make site``) starts in :func:`.driver.main`. A
lecture passes four stages:

1. **Outdated?** The driver lists the lectures in ``_toc.yml`` (:mod:`.book`), makes the
   execution key (profile, device, digest of scimlkit's numerics: :mod:`.context`),
   folds it into each notebook (:mod:`.notebook_key`) and asks the execution cache.
   On a CPU build :mod:`.stored_outputs` may serve stored GPU outputs instead; with
   ``--shard`` :mod:`.shards` keeps this machine's part.
2. **Executed.** Outdated lectures run in worker processes, one kernel each; in the
   kernel :mod:`.placement` puts each cell on its device and notes reduced sizes, and
   :mod:`.progress` shows the cell each worker is on. :mod:`.guard` makes Ctrl-C and a
   second build safe; :mod:`.compilation_cache` keeps JAX's compiled programs.
3. **Stored.** Each executed notebook goes into the execution cache under the key
   myst-nb will compute, with its run time and per-cell records (and into a bundle
   for another machine with ``--bundle``, merged there with ``--merge``).
4. **On the page.** The driver runs Jupyter Book. Inside Sphinx, :mod:`.execution`
   folds the same key into each lecture so myst-nb finds its outputs cached (and
   re-reads pages built under another key), and :mod:`.provenance` writes the line
   that says when, where and at which profile they were computed, under the estimate
   of how long the lecture takes a student (:mod:`.duration`).

Imports run downwards: the driver and the Sphinx side both use :mod:`.book`,
:mod:`.context` and :mod:`.notebook_key`, which import nothing else from the site;
nothing here imports the driver except ``__main__`` and :mod:`.pdf` (``make pdf``).
"""
