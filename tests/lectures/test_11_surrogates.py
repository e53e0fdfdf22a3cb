"""Claims of lecture 11 (surrogates), read from the executed page."""

PAGE = "lectures/11_surrogates"


def test_surrogate_meets_the_accuracy_and_speed_targets(values):
    # The targets: held-out relative error <= 5%, >= 100x faster per query.
    assert values["held_out_error"] <= 0.05
    assert values["scratch_error"] <= 0.05
    assert values["speedup"] >= 100
    assert values["worst_error"] < 0.2


def test_from_scratch_and_toolkit_surrogates_agree(values):
    # Same network, initialisation, optimizer and data: predictions within 1% of q's range.
    assert values["scratch_vs_toolkit"] < 0.01


def test_low_discrepancy_designs_are_more_uniform(values):
    assert values["discrepancy_ratio"] > 1


def test_the_failure_modes_are_real(values):
    # Outside the box the error is several times the error inside; the jump is blurred.
    assert values["outside_ratio"] > 3
    assert values["jump_error"] > 5 * values["held_out_error"]
    assert values["misclassified"] < 0.2


def test_pod_model_is_accurate(values):
    assert values["pod_error"] < 0.05
    assert values["pod_energy"] < 1e-3
    # "far less of a speed-up than the network's"
    assert values["pod_speedup"] < values["speedup"]
