"""The mutation-testing script's sample design and bookkeeping (no mutant is run here)."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def mutation():
    spec = importlib.util.spec_from_file_location("mutation_benchmark", ROOT / "benchmarks" / "mutation.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def test_every_numerical_module_has_its_test_files_named(mutation):
    mutation.check_mapping()  # raises SystemExit naming what is missing


def test_operator_families_leave_out_bitwise_and_identity_replacements(mutation):
    assert mutation.family("core/ReplaceBinaryOperator_Add_Sub") == "arithmetic"
    assert mutation.family("core/ReplaceBinaryOperator_Mul_Pow") == "arithmetic"
    assert mutation.family("core/ReplaceBinaryOperator_Add_LShift") is None
    assert mutation.family("core/ReplaceComparisonOperator_Lt_LtE") == "comparison"
    assert mutation.family("core/ReplaceComparisonOperator_Eq_Is") is None
    assert mutation.family("core/ReplaceUnaryOperator_USub_UAdd") == "unary"
    assert mutation.family("core/ReplaceUnaryOperator_USub_Invert") is None
    assert mutation.family("core/NumberReplacer") == "number"
    assert mutation.family("core/VariableReplacer") is None


def test_stratified_sample_is_proportional_seeded_and_complete_for_small_modules(mutation):
    mutants = [mutation.Mutant("m", "op", k, k, family) for k, family in
               enumerate(["arithmetic"] * 60 + ["number"] * 30 + ["boolean"] * 10)]
    sample = mutation.stratified_sample(mutants, 10, "28:m")
    assert len(sample) == len(set(sample)) == 10
    assert Counter(m.family for m in sample) == {"arithmetic": 6, "number": 3, "boolean": 1}
    assert sample == mutation.stratified_sample(mutants, 10, "28:m")
    assert sample != mutation.stratified_sample(mutants, 10, "29:m")
    # Largest remainder: 7 of (5, 3, 2) -> quotas 3.5, 2.1, 1.4 -> 3 + 2 + 1, one more to the 0.5.
    uneven = [mutation.Mutant("m", "op", k, k, f) for k, f in enumerate(["a"] * 5 + ["b"] * 3 + ["c"] * 2)]
    assert Counter(m.family for m in mutation.stratified_sample(uneven, 7, "s")) == {"a": 4, "b": 2, "c": 1}
    assert mutation.stratified_sample(uneven, 20, "s") == uneven


def test_score_leaves_out_equivalent_mutants_and_counts_timeouts_as_detected(mutation, monkeypatch):
    records = [
        {"module": "m", "original": "a + b", "mutated": "a - b", "all": "killed", "fast": "survived"},
        {"module": "m", "original": "x", "mutated": "y", "all": "survived", "fast": "survived"},
        {"module": "m", "original": "@jax.jit", "mutated": "", "all": "survived", "fast": "survived"},
        {"module": "m", "original": "while", "mutated": "for", "all": "timeout", "fast": "timeout"},
    ]
    monkeypatch.setitem(mutation.EQUIVALENT, ("m", "@jax.jit", ""), "compilation does not change the result")
    assert mutation.score(records, "all") == (2, 3, pytest.approx(2 / 3))
    assert mutation.score(records, "fast") == (1, 3, pytest.approx(1 / 3))


def test_mutated_lines_reads_one_changed_line(mutation):
    assert mutation.mutated_lines("a = 1\nb = x + y\n", "a = 1\nb = x - y\n") == ("b = x + y", "b = x - y")


def test_each_row_says_when_and_on_what_it_was_measured(mutation):
    data = {"module": "sdes", "tests": ["tests/test_sdes.py"], "measured": {
        "start": "2026-12-07 18:50 UTC", "end": "2026-12-07 19:02 UTC", "load": [1.5, 2.25], "commit": "abc1234",
        "uncommitted": ["scimlkit/pinns.py", "tests/test_sdes.py", "tests/test_x.py"]}}
    assert mutation.measured(data) == ("2026-12-07 18:50-19:02 UTC, at abc1234 + uncommitted tests/test_sdes.py "
                                       "(+ 2 other uncommitted files), load 1.5-2.25")
    data["measured"] = {"start": "2026-12-07 23:50 UTC", "end": "2026-12-08 00:10 UTC", "note": "an older run"}
    assert mutation.measured(data) == "2026-12-07 23:50-2026-12-08 00:10 UTC (an older run)"
    assert mutation.measured({"module": "sdes", "tests": []}) == "not recorded"
