"""Claims of lecture 12 (physics-informed neural networks), read from the executed page."""

import json
from pathlib import Path

import pytest

PAGE = "lectures/12_pinns"


def test_reference_solution_matches_its_refinement_and_the_published_slope(values):
    # Measured 2.3e-15: Gauss-Hermite quadrature at machine precision; a wrong weight or
    # node scaling would differ by far more than 1e-12.
    assert values["reference_refinement"] < 1e-12
    assert values["reference_front_slope"] == pytest.approx(-152.00516, abs=1e-4)


def test_scratch_residual_and_loss_agree_with_the_toolkit(values):
    # float64 rounding (measured 9.5e-18); a sign or factor error in one term gives O(1e-2).
    assert values["residual_agreement"] < 1e-12
    assert values["loss_agreement"] < 1e-12


def test_pinn_error_meets_a_bound_every_measured_rounding_path_meets(values):
    # The page states a target (1e-1 on the CPU profile) and whether this run met it; the
    # test asserts a bound that holds on every rounding path measured, not the target
    # itself. The CPU configuration's errors measured so far (2026-12-07): this page's
    # draw 7.8e-2 and 8.65e-2 with earlier versions of the page's code, and 7.405e-2 with
    # the current code (the same to every digit in two builds on this 2-core machine,
    # review r1812b; XLA's default thread pool); 8.1e-2 in the committed benchmark report
    # (one thread, on its machine), and on the benchmark's way 1.16e-1 after 2000 of its
    # 2500 L-BFGS steps; seeds 1 and 2 on one thread: 3.9e-2 and 8.0e-3. A badly trained
    # network fails 0.15: after Adam alone the draw stood at 0.217 (page, lowest-loss
    # parameters, current code; 0.233 with earlier code; 0.484 at Adam's last step) and
    # 0.407 (benchmark report, last step), the short remedy trainings at 0.21 and above, the
    # edges alone 0.589.
    assert values["pinn_profile"] in {"cpu", "gpu"}
    assert values["pinn_target_verdict"] == ("below" if values["pinn_error"] <= values["pinn_target"] else "above")
    # "this page's error lies inside/above/below that range" (the benchmark's three seeds):
    # 8.65e-2 lay above 8.0e-3 to 8.1e-2 (2026-12-07), so the phrase is chosen, not typed.
    low, high = values["deepxde_scimlkit_error_low"], values["deepxde_scimlkit_error_high"]
    expected = ("inside that range" if low <= values["pinn_error"] <= high else
                "above that range" if values["pinn_error"] > high else "below that range")
    assert values["pinn_error_against_seeds"] == expected
    # The words about the build follow the profile it ran (and the backend it ran on), so
    # a GPU build does not say it was built on a CPU or trained the benchmark's configuration.
    on_cpu_profile = values["pinn_profile"] == "cpu"
    assert values["pinn_build_note"].startswith("this build ran the CPU profile, on a ") == on_cpu_profile
    assert values["pinn_build_note"].startswith("this build ran the GPU profile, on a ") != on_cpu_profile
    assert (values["benchmark_configuration"] == "the same configuration") == on_cpu_profile
    assert (values["seed42_draw"] == "this page's draw") == on_cpu_profile
    if on_cpu_profile:
        assert values["pinn_dtype"] == "float32"
        assert values["pinn_target"] == 1e-1
        assert values["pinn_error"] <= 0.15
    else:
        # UNMEASURED TARGET: no build of this page has run the GPU profile. It trains the
        # paper's 10,000 points in float64, where Raissi et al. report 6.7e-4 with L-BFGS
        # alone; the planning notes (shared/reference/reference-results.md) record 6.5e-4
        # for 10,000 points, Adam 1000 + L-BFGS 4000, in a quick script outside this page.
        # The page states 1e-3 as its target only; the first GPU-profile build must
        # confirm or revise this bound.
        assert values["pinn_points"] == 10_000
        assert values["pinn_target"] == 1e-3
        assert values["pinn_error"] <= 1e-3


def test_pinn_beats_the_untrained_network_and_the_edges_alone(values):
    # The untrained network predicts about zero (relative error near 1); a network fitted to
    # the initial and boundary values alone does not know how u evolves inside.
    assert values["untrained_error"] > 0.5
    assert values["edge_only_error"] > 0.2
    # The edge-only network does fit its data (a misfit of 1e-4 would be a 1% miss), so its
    # error is the missing physics, not a failed fit. Fitted by 2000 Adam steps (no L-BFGS,
    # to save its compilation): misfit 1.1e-5 and error 0.589 (2026-12-07, 19:14), against
    # 2.6e-6 and 0.595 with 1000 Adam and 200 L-BFGS steps.
    assert values["edge_only_loss"] < 1e-4
    # The residual term is what the PINN adds: its error must be well below both baselines.
    assert values["edge_only_over_pinn"] == pytest.approx(values["edge_only_error"] / values["pinn_error"])
    assert values["edge_only_over_pinn"] > 4.0  # measured 8.0 (0.589 against 0.0741); Adam alone gives 2.7
    assert values["untrained_error"] > 5 * values["pinn_error"]  # measured 11.7x
    # L-BFGS is what brings the error down: after Adam alone it was 0.217 (current code; 0.233 earlier).
    assert values["pinn_adam_error"] > 2 * values["pinn_error"]


def test_error_concentrates_at_the_front(values):
    # The page says almost all of it (measured 99% in 10% of the domain). A prediction that
    # learned nothing inside (-sin(pi x) held fixed in time) puts 26% there, u = 0 puts 14%.
    assert values["front_area"] == pytest.approx(0.102, abs=0.01)
    assert values["front_share"] > 0.8


def test_combined_method_loss_and_refinement_match_the_toolkit(values):
    # The same float32 operations as sk.burgers_loss: measured 0 and 1.1e-7 in two builds;
    # float32 rounding of a mean over 4000 residuals would be ~1e-7 relative; dropping the
    # edge term or the hard-constraint wrapper changes the loss by percent.
    assert values["method_loss_agreement"] < 1e-6
    # "exactly" only when the difference is exactly zero (measured 0 at HEAD; 1.1e-7 once).
    assert (values["method_loss_agreement_phrase"] == "exactly") == (values["method_loss_agreement"] == 0)
    # Same residuals, same sort: the same points, exactly; taking the smallest residuals
    # instead would move every added point.
    assert values["refinement_agreement"] == 0.0
    assert values["refinement_agreement_phrase"] == "exactly the same points"


def test_remedy_comparison_is_paired_over_seeds_and_its_verdicts_need_more_than_the_rounding_shift(values):
    assert values["compare_seeds"] >= 3
    plain_low, plain_high = values["compare_plain_low"], values["compare_plain_high"]
    assert plain_low <= values["compare_plain"] <= plain_high
    # The rounding shift: the plain PINN retrained on its points in another order, from its
    # initial weights nudged by one ulp, and through sk.burgers_loss instead of the combined
    # loss; the largest change any of them made. It must be measured (0 would mean the
    # perturbations changed nothing, and any difference would count). 2026-12-07, 19:36
    # build: reordered 0.005, 0.002, 0.002 and nudged 0.001, 0.011, 0.004 by seed, so 0.011,
    # against paired differences of 0.021 or more for every remedy; a prototype without the
    # shared restart saw the nudge move seed 0 by 0.039, and an independent check (review
    # r12b) that wrote the loss another way 0.045, which is why the rewritten loss is now
    # one of the perturbations; in the 20:17 build (load 6-9) it moved the plain PINN by
    # 0.003, 0.001, 0.000 (through sk.burgers_loss), so the shift stayed 0.0116. With 3
    # seeds the page calls any separation a hint, not a law.
    shift = values["compare_rounding_shift"]
    assert 0 < shift < 0.2
    kinds = ("reordered", "nudged", "rewritten")
    assert shift == pytest.approx(max(values[f"compare_shift_{kind}"] for kind in kinds))
    assert all(values[f"compare_shift_{kind}"] >= 0 for kind in kinds)
    seeds = range(values["compare_seeds"])
    plain = [values[f"compare_plain_seed{seed}"] for seed in seeds]
    assert (min(plain), max(plain)) == pytest.approx((plain_low, plain_high))
    names = {"weighting": "loss weighting", "refinement": "adaptive refinement", "hard": "hard constraints"}
    lower, higher = [], []
    for key, name in names.items():
        low, median, high = values[f"compare_{key}_low"], values[f"compare_{key}"], values[f"compare_{key}_high"]
        assert low <= median <= high, key
        per_seed = [values[f"compare_{key}_seed{seed}"] for seed in seeds]
        assert (min(per_seed), max(per_seed)) == pytest.approx((low, high)), key
        d_low, d_high = values[f"compare_{key}_difference_low"], values[f"compare_{key}_difference_high"]
        # Paired: the differences are the per-seed errors minus the plain PINN's on the same
        # seed, not the distance between the two ranges' extremes.
        paired = [error - plain_error for error, plain_error in zip(per_seed, plain)]
        assert (d_low, d_high) == pytest.approx((min(paired), max(paired)), abs=1e-12), key
        if d_high < -shift:
            lower.append(name)
            expected = "lower than the plain PINN's in every seed, by more than the rounding shift"
        elif d_low > shift:
            higher.append(name)
            expected = "higher than the plain PINN's in every seed, by more than the rounding shift"
        else:
            expected = ("not apart from the plain PINN's by more than the rounding shift in every seed, "
                        "so this run cannot tell the two apart")
        assert values[f"compare_{key}_verdict"] == expected, key
    # The summary phrase, rebuilt here from the per-seed errors and the shift: it names the
    # remedies separated by more than the shift in every seed, and for each of the others how
    # its paired differences fell (the 20:17 build called hard constraints
    # "indistinguishable" while it was lower in all three seeds, beyond the shift in one).
    n = values["compare_seeds"]
    others = [name for name in names.values() if name not in lower + higher]

    def unseparated(key, name):
        paired = [values[f"compare_{key}_seed{seed}"] - plain[seed] for seed in seeds]
        below, beyond = sum(d < 0 for d in paired), sum(abs(d) > shift for d in paired)
        signs = ("lower in every seed" if below == n else "higher in every seed" if below == 0 else
                 f"lower in {below} of {n} seeds and higher in the rest")
        return f"with {name} the error was {signs}, beyond the rounding shift in {beyond} of {n}"

    parts = [f"{' and '.join(lower)} gave a lower error than the plain PINN in every seed"] if lower else []
    if higher:
        parts.append(f"{' and '.join(higher)} " + ("a higher one" if lower else
                                                   "gave a higher error than the plain PINN in every seed"))
    expected = ("; ".join(parts) + f", by more than the rounding shift (with {n} seeds and this small budget, a hint, "
                "not a law)" if parts else
                "no remedy's error differs from the plain PINN's by more than the rounding shift in every seed")
    if others:
        expected += ("; " if parts else ": ") + "; ".join(
            unseparated(key, name) for key, name in names.items() if name in others)
        expected += f"; so this run does not separate {'it' if len(others) == 1 else 'them'} from the plain PINN at this size and budget"
    assert values["compare_verdict"] == expected
    assert "indistinguishable" not in values["compare_verdict"]
    # The restart is shared: every method trains in two halves, refinement's first half is
    # the plain PINN's. The page gives the first training's wall-clock time and the later
    # ones' median without attributing the gap to compilation: on a shared machine the load
    # alone can make the first slower or faster (r1812b: 7.5 against 4.4 s, while the 18
    # build ran beside it), so no order between them is asserted, only that both were timed.
    assert values["compare_first_seconds"] > 0 and values["compare_later_seconds"] > 0
    # Every training learned something: with 600 Adam steps and no L-BFGS the medians were
    # 0.36 to 0.49, the ranges 0.299 to 0.647 (2026-12-07, 19:36), against about 1 for an
    # untrained network. An untrained hard-constrained network already scores 0.59 (it
    # carries the initial profile), so its trained runs must do clearly better than that.
    for key in ("plain", "weighting", "refinement", "hard"):
        assert 0 < values[f"compare_{key}_high"] < values["untrained_error"], key
        assert values[f"compare_{key}"] < 0.7 * values["untrained_error"], key
        # The bounds above pass for a network fitted to the edges alone (0.589, review r12c):
        # the residual term must have added something, so every method's median lies below
        # that baseline. For plain, weighting and refinement this bites (the comparison's own
        # edge-only fits give 0.58-1.0, review r12d); an untrained hard-constrained network
        # already scores 0.59, so for hard constraints the bound of 0.5 below is what protects. Measured medians 0.35 to 0.49 against 0.589 (review r12c, 2026-12-07);
        # only single seeds (refinement's worst, 0.659) have lain above it, as the page says.
        assert values[f"compare_{key}"] < values["edge_only_error"], key
    assert values["compare_hard"] < 0.5


def test_remedy_trainings_are_unconverged_as_the_page_says(values):
    # Were the short trainings converged to the long one's accuracy, the lower bound would fail.
    # With 600 Adam steps and no L-BFGS: ranges 0.299 to 0.647 against 0.087 and 0.589
    # (2026-12-07, 19:36); the page's phrase says whether any training did no better than
    # the edges alone.
    highest = max(values[f"compare_{key}_high"] for key in ("plain", "weighting", "refinement", "hard"))
    assert values["compare_highest"] == pytest.approx(highest)
    for key in ("plain", "weighting", "refinement", "hard"):
        assert values["pinn_error"] < values[f"compare_{key}_low"], key
    phrase = values["compare_against_baselines"]
    if highest < values["edge_only_error"]:
        assert phrase.startswith("every method's error lies between the long training's")
    else:
        assert phrase.startswith("every method's error lies above the long training's")
        assert f"{highest:.2f}" in phrase
    # "the loss was still falling in every one of the 12 method trainings": the trend is the
    # mean loss over the last tenth of the steps against the tenth before, so a plateau
    # gives about 0 and a rising loss a negative value (the old measure, the last tenth's
    # first loss over the best, was >= 0 by construction). Measured in a prototype of three
    # plain trainings: 6%, 10% and 15% lower (review r1812 of the old measure: median 7.8%).
    assert values["compare_trainings"] == 4 * values["compare_seeds"]
    falling, trainings = values["compare_falling"], values["compare_trainings"]
    assert 0 <= falling <= trainings
    assert values["compare_falling_phrase"] == (
        f"{'every one' if falling == trainings else falling} of the {trainings} method trainings")
    assert (values["compare_last_tenth_gain_smallest"] > 0) == (falling == trainings)
    # The page calls the trainings unconverged: most of them still falling, by percent.
    assert falling >= trainings // 2
    assert values["compare_last_tenth_gain"] > 1e-2
    # Has any short training formed the front? Its steepest fall between grid neighbours over
    # the exact solution's: the long training 0.90, Adam alone on its draw 0.69, three
    # 600-step plain trainings 0.25 to 0.33 (prototype). A training "formed the front" at
    # half the exact steepness; the phrase must follow the count.
    assert values["pinn_steepness"] > 0.5  # the long training did form it
    assert 0 < values["compare_steepest"] < 2
    formed = values["compare_front_formed"]
    assert (formed == 0) == (values["compare_steepest"] < 0.5)
    phrase = values["compare_front_phrase"]
    if formed == 0:
        assert phrase.startswith("none of them has formed the front")
        assert f"{values['compare_steepest']:.0%} of the exact solution's" in phrase
    else:
        assert phrase.startswith(f"{formed} of them reached at least half the exact solution's steepest slope")


def test_cpu_comparison_size(values):
    if values["pinn_profile"] == "cpu":
        assert (values["compare_points"], values["compare_adam"]) == (500, 600)
    # The refinement moves 30% of the points (the text and the figure say so); 0 would be the plain PINN.
    assert values["refine_share"] == pytest.approx(0.3)
    # "refinement adds only one evaluation of the residual at its 5000 candidate points": ten per point.
    assert values["refine_candidates"] == 10 * values["compare_points"]


def test_refinement_moved_points_toward_the_front(values):
    # The page says where the moved points went, by their median distance from x = 0
    # against the kept, uniformly drawn points' (about 0.5 for |x| uniform on [0, 1]).
    # Refinement that moved points at random would give about 0.5 for both.
    assert values["refine_kept_distance"] == pytest.approx(0.5, abs=0.1)
    assert values["refine_moved_distance"] < 0.5 * values["refine_kept_distance"]
    assert 0 <= values["refine_moved_on_front"] <= 1
    assert 0 <= values["refine_moved_positive"] <= 1


def test_hessian_and_nested_jvp_give_the_same_second_derivative(values):
    # float64 rounding (measured 3.5e-18); taking the wrong Hessian entry gives O(1e-1).
    assert values["hessian_agreement"] < 1e-12
    # The timing's phrase follows the measured ratio (review r1812: 4.7 ms against 2.5 ms;
    # review r12c: 4.3 ms against 5.1 ms, so jax.hessian faster); the ratio itself is not
    # asserted, it moves with the machine's load. Every branch is checked by hessian_phrase.
    ratio = values["hessian_time_ratio"]
    assert ratio > 0
    assert values["hessian_time_phrase"] == hessian_phrase(ratio)


def hessian_phrase(ratio: float) -> str:
    """The page's phrase for jax.hessian's time over the nested jvp's, rebuilt independently."""
    if ratio > 1.05:
        return f"took {ratio:.1f} times as long as the nested `jvp` here"
    if ratio < 0.95:
        return (f"was faster than the nested `jvp` here, taking {1 - ratio:.0%} less time: at this "
                "size, computing only the needed entries did not save time")
    return f"took about as long as the nested `jvp` here ({ratio:.2f} times its time)"


def test_hessian_phrase_is_right_for_every_outcome(values):
    # A run's timing picks one branch; the page's cell also glues its phrase for a slower, an
    # equal and a faster jax.hessian, so every branch of the page's code is checked here.
    assert hessian_phrase(2.0) == "took 2.0 times as long as the nested `jvp` here"
    assert hessian_phrase(0.83).startswith("was faster than the nested `jvp` here, taking 17% less time")
    assert hessian_phrase(1.0).startswith("took about as long")
    for ratio, name in ((2.0, "slower"), (1.0, "equal"), (0.83, "faster")):
        assert values[f"hessian_time_phrase_if_{name}"] == hessian_phrase(ratio), name


def test_classical_solver_is_faster_and_more_accurate(values):
    # Measured: 5.2e-4 against the PINN's 8.65e-2 (168x), 0.10 s against minutes (2026-12-07, 19:36).
    assert values["classical_error"] < 5e-3
    assert values["classical_accuracy_gain"] == pytest.approx(values["pinn_error"] / values["classical_error"])
    assert values["classical_accuracy_gain"] > 10
    assert values["classical_speedup"] > 10


def committed_pinn_benchmark() -> dict:
    return json.loads((Path(__file__).resolve().parents[2] / "benchmarks/results/pinn_burgers.json").read_text())


def test_deepxde_errors_match_the_benchmarks_last_checkpoints(values):
    # The report's last checkpoint per seed is an independent record of each training's
    # final error (2026-12-07: scimlkit 8.1e-2, 3.9e-2, 8.0e-3; DeepXDE 9.2e-2, 4.3e-2,
    # 4.8e-3). The page's medians and ranges must be those seeds' (3 significant figures
    # in the summary table); reading another column or swapping libraries fails this.
    checkpoints = committed_pinn_benchmark()["tables"][2]["rows"]
    for library, prefix in (("scimlkit", "deepxde_scimlkit"), ("DeepXDE", "deepxde")):
        finals = sorted(float(row[-1]) for row in checkpoints if row[0].startswith(library))
        assert len(finals) == 3
        glued = [values[f"{prefix}_error_low"], values[f"{prefix}_error"], values[f"{prefix}_error_high"]]
        assert glued == pytest.approx(finals, rel=1e-2)
    seed_42 = next(row for row in checkpoints if row[:2] == ["scimlkit", 42])
    assert values["deepxde_seed42_error"] == pytest.approx(float(seed_42[-1]), rel=1e-3)
    # "after standing at ... with 500 L-BFGS steps to go": the checkpoint at 2000 of 2500.
    columns = committed_pinn_benchmark()["tables"][2]["columns"]
    assert columns[-1] == "L-BFGS 2500"
    assert values["deepxde_seed42_late_error"] == pytest.approx(float(seed_42[columns.index("L-BFGS 2000")]), rel=1e-3)
    # "seed 42 only near the end, from L-BFGS iteration 2250 (toolkit) and 2500 (DeepXDE) of
    # 2500": the first checkpoint from which each seed-42 training stayed below 1e-1, read here
    # from the table independently (a page that said "reached" without it would pass 3 of 3).
    kept_from = {}
    for row in checkpoints:
        if row[1] == 42:
            errors = [float(v) for v in row[2:]]
            first = next(i for i in range(len(errors)) if all(e < 0.1 for e in errors[i:]))
            kept_from[row[0].split()[0]] = 0 if columns[2 + first] == "Adam" else int(columns[2 + first].split()[-1])
    phrase = values["deepxde_seed42_kept_from"]
    assert f"from L-BFGS iteration {kept_from['scimlkit']} (toolkit) and {kept_from['DeepXDE']} (DeepXDE) of 2500" in phrase
    assert ("only near the end" in phrase) == (min(kept_from.values()) >= 2000)


def test_deepxde_sentence_reads_the_committed_benchmark(values):
    # 2026-12-07: DeepXDE's L-BFGS iteration 0.70x (0.60 to 0.71x) the toolkit's, the whole
    # training 0.80x (0.66 to 1.38x), time to the 1e-1 target 1.11x (1.05 to 1.48x); both
    # reached it with 3 of 3 seeds.
    report = committed_pinn_benchmark()
    assert values["deepxde_run"] == f"{report['date'][:10]}, on a {report['machine']['cpus']}-core CPU machine"
    ratio_row = dict(zip(report["tables"][1]["columns"], report["tables"][1]["rows"][0]))
    assert values["deepxde_lbfgs_ratio"] == pytest.approx(float(ratio_row["L-BFGS iteration"].split("x")[0]))
    assert values["deepxde_training_ratio"] == pytest.approx(float(ratio_row["training"].split("x")[0]))
    for quantity in ("lbfgs", "training"):
        assert values[f"deepxde_{quantity}_ratio_low"] <= values[f"deepxde_{quantity}_ratio"]
        assert values[f"deepxde_{quantity}_ratio"] <= values[f"deepxde_{quantity}_ratio_high"]
    assert values["deepxde_target_ratio_low"] <= values["deepxde_target_ratio"] <= values["deepxde_target_ratio_high"]
    assert values["deepxde_version"].startswith("DeepXDE ") and "PyTorch" in values["deepxde_version"]
    assert {values["deepxde_threads"], values["deepxde_toolkit_threads"]} <= {1, 2}
    # "trained ... from three seeds, on one thread": the toolkit's thread count in the report.
    threads = values["deepxde_toolkit_threads"]
    assert values["deepxde_toolkit_thread_phrase"] == ("one thread" if threads == 1 else f"{threads} threads")
    threads = values["deepxde_threads"]
    assert values["deepxde_thread_phrase"] == ("one thread" if threads == 1 else f"{threads} threads")
    summary = report["tables"][0]
    rows = {row[0].split()[0]: dict(zip(summary["columns"], row)) for row in summary["rows"]}
    assert threads == rows["DeepXDE"]["threads used"]  # DeepXDE's count, not the toolkit's
    # "the library versions (JAX, Equinox and Optax at the versions this build ran)": the
    # report's against the build's, which the page glues as "jax 0.10.2, jaxlib 0.10.2, ...".
    build = dict(item.split(" ") for item in values["build_versions"].split(", "))
    assert set(build) == {"jax", "jaxlib", "equinox", "optax"}
    differing = [f"{name} {report['versions'][name]} against {version}" for name, version in build.items()
                 if report["versions"].get(name) != version]
    assert values["benchmark_versions_phrase"] == (
        "JAX, Equinox and Optax at the versions this build ran" if not differing else
        f"other versions than this build's: {'; '.join(differing)}")
    assert values["deepxde_reached"] == values["deepxde_scimlkit_reached"] == "3 of 3"
    # "Both libraries reached this lecture's CPU target": every final error below 1e-1.
    assert max(values["deepxde_error_high"], values["deepxde_scimlkit_error_high"]) < 0.1


def test_deepxde_verdicts_follow_the_numbers(values):
    # The phrases are chosen in the cell from the spreads; a flipped comparison fails here.
    if values["deepxde_lbfgs_ratio_high"] < 1:
        assert values["deepxde_lbfgs_verdict"] == "cheaper in DeepXDE for every seed"
    elif values["deepxde_lbfgs_ratio_low"] > 1:
        assert values["deepxde_lbfgs_verdict"] == "dearer in DeepXDE for every seed"
    else:
        assert values["deepxde_lbfgs_verdict"].startswith("cheaper in one library")
    overlap = (max(values["deepxde_error_low"], values["deepxde_scimlkit_error_low"])
               <= min(values["deepxde_error_high"], values["deepxde_scimlkit_error_high"]))
    assert values["deepxde_error_verdict"].startswith("the two ranges overlap") == overlap


def test_page_and_benchmark_seed_42_trainings_agree_to_the_seed_spread(values):
    # The same draw trained in two processes: measured 7.4e-2 (page, current code) against
    # 8.1e-2 (benchmark report), but a page trained on another configuration (other points,
    # float64, no L-BFGS) lands outside the seeds' range. The paths are compared at Adam's
    # last step on both sides: the benchmark's "Adam" checkpoint is the parameters after its
    # last update (its sk.fit callback), and the page keeps the same with a callback; the
    # page's pinn_adam_error is instead the lowest-loss Adam parameters sk.fit returns
    # (0.217), where L-BFGS starts. Review r12c on this machine, today's code: last step
    # 0.484 (default thread pool) and 0.363 (one thread), lowest loss 0.217 and 0.373,
    # against the report's 0.407. The report records its date (2026-12-07 14:19 UTC), cores,
    # memory and library versions (the ones installed here), not a commit or the processor;
    # it was committed in 9f05d6f, and the one later change to scimlkit/pinns.py or
    # training.py, c81a047, adds an optional nu=None that leaves this training's
    # computation unchanged. So the code does not explain the report's 0.407 against 0.363
    # on one thread; the machine it ran on (XLA compiles for the host's processor) is what
    # remains, and the page says so, not checked on the report's machine.
    # The window: half the lowest seed's error to 1.5 times the highest's (0.004 to 0.12 at
    # 2026-12-07), inside the 0.15 bound above; Adam alone (0.217 lowest loss, 0.484 last step) lies outside.
    # The benchmark trains the CPU profile's configuration only: a GPU-profile build trains
    # another (10,000 points in float64, target 1e-3) and the page says so, so the two are
    # compared on the CPU profile alone.
    if values["pinn_profile"] != "cpu":
        assert values["benchmark_configuration"].startswith("the CPU profile's configuration")
        assert values["seed42_parting"] == (f"This build trained {values['pinn_points']} points in "
                                            f"{values['pinn_dtype']}, another configuration than the benchmark's.")
        assert values["seed42_parted"].startswith("as on the CPU profile")
        return
    # The parting sentence compares like with like: the report's Adam checkpoint and this
    # run's last Adam step, not its lowest-loss parameters; its verdict follows the two.
    parting = values["seed42_parting"]
    benchmark_adam, page_adam = values["deepxde_seed42_adam_error"], values["pinn_adam_last_error"]
    pair = f"at Adam's last step the benchmark's error was {benchmark_adam:.2f} and this page's {page_adam:.2f}"
    apart = abs(page_adam - benchmark_adam) > 0.1 * benchmark_adam
    assert parting.startswith(f"The two part early: {pair}. " if apart else
                              f"The two stay close through Adam ({pair}) and part later. ")
    assert f"The benchmark ran XLA on {values['deepxde_toolkit_thread_phrase']}, this page on" in parting
    assert "processor" in parting  # the machine, not a code change, is named
    assert values["seed42_parted"] == "as the main training's parted from the benchmark's in the optional DeepXDE section"
    assert values["deepxde_scimlkit_error_low"] / 2 < values["pinn_error"] < 1.5 * values["deepxde_scimlkit_error_high"]
    # Adam's last step is a trained network (untrained about 1, edges alone 0.589); it need
    # not be the lowest-loss one: 0.484 against 0.217 on the default thread pool, but 0.363
    # against 0.373 on one thread (review r12c), so no order between the two is asserted.
    assert 0 < page_adam < values["edge_only_error"]
    # ... and it is the last step's error, not the lowest-loss one glued as pinn_adam_error.
    assert page_adam != values["pinn_adam_error"]


def test_inverse_problem_loss_from_scratch_matches_the_toolkit(values):
    # float64 rounding, every term on (edge weight 1); dropping the data or the edge term or
    # using the problem's nu changes it by percent.
    assert values["inverse_loss_agreement"] < 1e-10
    assert (values["inverse_loss_agreement_phrase"] == "exactly") == (values["inverse_loss_agreement"] == 0)
    assert values["inverse_observed"] == 200
    assert values["inverse_noise"] == pytest.approx(0.01, rel=0.25)  # a sample of 200: ~5% spread


def test_inverse_pinn_estimates_the_viscosity_over_seeds(values):
    # The trivial baseline is the starting guess (0.1, 214% off); a PINN whose nu never
    # moved, or moved the wrong way, fails. 2026-12-07, 19:36 build (250 collocation points,
    # 1500 Adam + 300 L-BFGS): data alone 10.3%, 12.4%, 4.2% (seeds 0-2); with the edge term
    # on seed 0, 4.6%. With 500 points (prototype): 14.3%, 5.1%, 14.2%, and 15.2%. With the
    # edge term on all three seeds (20:17 build): 4.6%, 0.6%, 6.4%, so -5.8, -11.8 and +2.3
    # points from the data alone: three seeds cannot separate the two arms. Adam
    # alone left nu 49-57% off, a half-trained PINN 20-40% (review r12b): 0.25 fails both.
    assert values["inverse_seeds"] >= 3
    assert values["inverse_edge_seeds"] == values["inverse_seeds"]  # both arms on every seed, paired
    assert values["inverse_nu_true"] == pytest.approx(0.1 / 3.141592653589793)
    assert values["inverse_nu_start_error"] > 2
    per_seed = {}
    for key in ("pinn", "pinn_edges"):
        low, median, high = (values[f"inverse_nu_{key}_error{s}"] for s in ("_low", "", "_high"))
        assert 0 <= low <= median <= high, key
        assert high < 0.25, key
    per_seed["pinn"] = [values[f"inverse_nu_pinn_seed{seed}"] for seed in range(values["inverse_seeds"])]
    per_seed["pinn_edges"] = [values[f"inverse_nu_pinn_edges_seed{seed}"] for seed in range(values["inverse_edge_seeds"])]
    for key in ("pinn", "pinn_edges"):
        low, high = values[f"inverse_nu_{key}_error_low"], values[f"inverse_nu_{key}_error_high"]
        assert (min(per_seed[key]), max(per_seed[key])) == pytest.approx((low, high)), key
    assert values["inverse_nu_pinn_error"] < 0.25 and values["inverse_nu_pinn_edges_error"] < 0.25
    # The edge term's effect is paired: each seed's error with it minus its error without it.
    paired = [with_edges - alone for with_edges, alone in zip(per_seed["pinn_edges"], per_seed["pinn"])]
    assert (values["inverse_edges_difference_low"], values["inverse_edges_difference_high"]) == pytest.approx(
        (min(paired), max(paired)), abs=1e-12)
    # Differences of two percentages: shown in percentage points (100 x the fraction).
    assert (values["inverse_edges_difference_low_points"], values["inverse_edges_difference_high_points"]) == \
        pytest.approx((100 * min(paired), 100 * max(paired)), abs=1e-10)
    n = values["inverse_edge_seeds"]
    expected = (f"lower on every seed's data, though {n} seeds make that a hint, not a law" if max(paired) < 0 else
                f"higher on every seed's data, though {n} seeds make that a hint, not a law" if min(paired) > 0 else
                f"lower on some seeds' data and higher on others', so {n} seeds cannot tell the two apart")
    assert values["inverse_edges_phrase"] == expected
    if values["pinn_profile"] == "cpu":
        assert values["inverse_points"] == 250  # cut from 500 to fit the page's cold budget
    # The field from 200 points: median 3.2e-2 (seed 0: 4.1e-2); an untrained network gives about 1.
    assert values["inverse_field_error"] < 0.2


def test_inverse_pinn_trainings_are_short_of_the_noise_level_as_the_page_says(values):
    # Final loss over the noise variance (the exact solution's own loss): measured 16.5 to 67
    # (19:36 build). A training converged to the noise level would give about 1.
    low, high = values["inverse_loss_over_noise_low"], values["inverse_loss_over_noise_high"]
    assert 0 < low <= high
    expected = ("none of them reached the noise level" if low > 2 else
                "not all of them reached the noise level" if high > 2 else "all of them came near the noise level")
    assert values["inverse_noise_level_phrase"] == expected
    # The page calls these trainings unconverged.
    assert low > 2
    # Times: each arm's median wall-clock seconds per training, and the median of all six
    # (the verdict's), which lies between the two arms' medians. No compile effect is
    # asserted: r1812b measured 7.8, 6.8, 7.1 s (data alone) and 4.2, 4.7, 4.5 s (with the
    # edge term), a gap between arms that ran at different loads, not one of compilation.
    arms = sorted((values["inverse_data_seconds"], values["inverse_edges_seconds"]))
    assert 0 < arms[0] <= values["inverse_pinn_seconds"] <= arms[1]


def test_inverse_classical_fit_and_the_verdict_follow_the_numbers(values):
    # Least squares through a 201-point method-of-lines solve, per seed's data; without
    # noise, -0.29%, -0.24%, -0.24% (the discretisation's bias; -0.017% on 801 points,
    # reviewer's check). The fit is deterministic (numpy draws, SciPy solves).
    low, median, high = (values[f"inverse_nu_classical_error{s}"] for s in ("_low", "", "_high"))
    assert 0 <= low <= median <= high < 0.02
    assert values["inverse_nu_classical_error"] < 0.02
    signed_low, signed_high = values["inverse_classical_signed_low"], values["inverse_classical_signed_high"]
    assert max(abs(signed_low), abs(signed_high)) == pytest.approx(high)
    bias_low, bias_high = values["inverse_classical_bias_low"], values["inverse_classical_bias_high"]
    bias = max(abs(bias_low), abs(bias_high))
    assert 0 < bias < 0.02 and bias_low <= bias_high
    # Noise and grid bias (review r12b): with noise -0.13%, -0.18%, +0.16%, so the noise moved
    # the estimates by +0.16%, +0.06%, +0.40%: the same order as the bias, against it on every
    # seed. The old claim that the noisy errors stay below the bias held only by that
    # cancellation, so it is gone; the phrases below must follow the numbers.
    shift_low, shift_high = values["inverse_classical_noise_shift_low"], values["inverse_classical_noise_shift_high"]
    assert signed_low - bias_high - 1e-12 <= shift_low <= shift_high <= signed_high - bias_low + 1e-12
    ratio = max(abs(shift_low), abs(shift_high)) / bias
    size = values["inverse_classical_size_phrase"]
    assert size.startswith("of the same order as the grid's bias" if 0.5 <= ratio <= 2 else
                           "smaller than the grid's bias" if ratio < 0.5 else "larger than the grid's bias")
    cancel, n = values["inverse_classical_cancel_phrase"], values["inverse_seeds"]
    if (bias_high < 0 < shift_low) or (shift_high < 0 < bias_low):
        assert cancel.startswith(f"on {n} of {n} seeds the noise pulled against the bias")
    elif (bias_high < 0 and shift_high < 0) or (bias_low > 0 and shift_low > 0):
        assert cancel == "on no seed did the noise pull against the bias"
    else:
        assert cancel.startswith("on ") and "seed" in cancel
    # "13 solves, 0.2-0.4 s per fit" (measured 12-13 solves, 0.22-0.33 s per fit idle,
    # 0.33-0.38 s at load 6-9).
    assert values["inverse_classical_solves"] >= 5
    assert values["inverse_classical_seconds"] > 0
    # The verdict is built from paired per-seed comparisons in the cell; the page's glued
    # extremes bound it: the fit through the solver is more accurate on every seed's data
    # when its worst error is below both PINNs' best.
    verdict = values["inverse_verdict"]
    if high < min(values["inverse_nu_pinn_error_low"], values["inverse_nu_pinn_edges_error_low"]):
        assert verdict.startswith("the fit through the solver was more accurate on every seed's data")
    cheaper = values["inverse_classical_seconds"] < values["inverse_pinn_seconds"]
    assert verdict.endswith("and cheaper per fit" if cheaper else "and dearer per fit")
    # The page says the fit through the solver is the tool where the values are known: that
    # sentence needs it more accurate in every seed.
    assert verdict.startswith("the fit through the solver was more accurate on every seed's data")


def test_error_over_time_exercise_phrase(values):
    # Measured 2.2e-2 at t = 0 against 1.5e-1 at t = 1; the explanation that follows holds
    # only when t = 0 is the smaller.
    assert values["per_time_comparison"] == ("smaller" if values["per_time_start"] < values["per_time_end"] else "not smaller")
    assert values["per_time_comparison"] == "smaller"


def test_latin_hypercube_written_out_matches_the_toolkit(values):
    # The same keys and the same arithmetic as sk.latin_hypercube: equal bit for bit
    # (a gap of 0); another key order or slabs without a permutation would differ by O(1).
    assert values["lhs_by_hand_gap"] < 1e-12
    assert values["lhs_by_hand_phrase"] == ("exactly" if values["lhs_by_hand_gap"] == 0.0 else
                                           f"to {values['lhs_by_hand_gap']:.0e}")
    # Every one of the 2000 slabs of t and of x holds one point (uniform draws would not).
    assert values["lhs_one_per_slab"] is True
