"""The appendix's pages made from the code and the runs, and the formats behind them.

Each page has a directive that reads something committed or computed, never typed:

- Performance (``{benchmark-results}``, :mod:`.performance`) renders the reports that
  the scripts in ``benchmarks/`` write with :mod:`.benchmark_report`, and
  ``{benchmark-goals}`` counts each report's goals met and names those not met; that module
  imports no Sphinx, so a benchmark needs none of the site;
- Claims (``{claims-table}``, :mod:`.claims_page`) runs :mod:`.claims_check`, the check
  that every claim a lecture makes is backed by its run, a citation or maths
  (``python -m scimlkit.site.claims_check``);
- Build environment (``{build-environment}``, :mod:`.environment`): versions and device;
- Toolkit reference (``toolkit-reference``, :mod:`.toolkit_reference`): every public
  ``scimlkit`` name, linked both ways with the lecture that first calls it;
- the syllabus's table of lectures (``{lecture-table}``, :mod:`.lecture_numbers`), made
  from ``_toc.yml``, and the build's check that a page names another lecture by a link
  (``{doc}`lecture 5 <08_stiffness>```), never by a plain "lecture 5".

:mod:`.tables` builds the docutils tables they share. These modules are set up by
:mod:`scimlkit.site`.
"""
