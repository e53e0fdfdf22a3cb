"""Claims of lecture 15 (GPU code), read from the executed page."""

PAGE = "lectures/15_gpu"


def test_the_ensemble_equals_the_loop_to_solver_tolerance(values):
    # The check: the batched solve equals the per-trajectory loop (rtol = atol = 1e-6).
    assert values["ensemble_vs_loop"] < 1e-6
    assert values["ensemble_vs_scratch"] < 1e-6
    assert values["sharded_difference"] < 1e-12


def test_batching_beats_the_loop(values):
    assert values["vmap_speedup"] > 1.5
    assert values["n_batch"] >= 1000


def test_the_habits_are_measured(values):
    # A new shape costs a compilation far dearer than the solve; round trips cost a lot.
    assert values["recompile_ratio"] > 5
    assert values["round_trip_ratio"] > 10
    # float32 loses accuracy against float64, but stays within plotting accuracy.
    assert 1e-9 < values["float32_difference"] < 1e-3
    assert values["float32_speedup"] > 0
