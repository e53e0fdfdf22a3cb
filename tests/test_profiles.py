import jax
import pytest

import scimlkit as sk
from scimlkit.profiles import PROFILE_VARIABLE


def test_profile_follows_the_jax_backend_when_not_forced(monkeypatch):
    monkeypatch.delenv(PROFILE_VARIABLE, raising=False)
    expected = "cpu" if jax.default_backend() == "cpu" else "gpu"
    assert sk.profile() == expected


@pytest.mark.parametrize("value, expected", [("cpu", "cpu"), ("gpu", "gpu"), (" GPU ", "gpu")])
def test_profile_can_be_forced(monkeypatch, value, expected):
    monkeypatch.setenv(PROFILE_VARIABLE, value)
    assert sk.profile() == expected


def test_unknown_profile_is_refused_with_the_variable_named(monkeypatch):
    monkeypatch.setenv(PROFILE_VARIABLE, "tpu-pod")
    with pytest.raises(ValueError, match="SCIMLKIT_PROFILE='tpu-pod' is not a profile"):
        sk.profile()


def test_budget_picks_the_size_of_the_active_profile(monkeypatch):
    monkeypatch.setenv(PROFILE_VARIABLE, "cpu")
    assert sk.budget(cpu=300, gpu=5000) == 300
    monkeypatch.setenv(PROFILE_VARIABLE, "gpu")
    assert sk.budget(cpu=300, gpu=5000) == 5000


def test_device_summary_names_backend_and_device_count():
    summary = sk.device_summary()
    assert summary.startswith(jax.default_backend())
    assert f"{len(jax.devices())} device" in summary


def test_budget_calls_are_recorded_for_the_reduced_scale_note(monkeypatch):
    from scimlkit.profiles import take_budget_calls

    monkeypatch.setenv(PROFILE_VARIABLE, "cpu")
    take_budget_calls()
    sk.budget(cpu=100, gpu=400, what="steps")
    sk.budget(cpu=8, gpu=64)
    calls = take_budget_calls()
    assert [call.reduced() for call in calls] == ["100 steps instead of 400", "8 instead of 64"]
    assert {call.chosen for call in calls} == {"cpu"}
    assert take_budget_calls() == [], "a take must forget the calls it returned"


def test_budget_record_keeps_the_latest_32_calls(monkeypatch):
    from scimlkit.profiles import take_budget_calls

    monkeypatch.setenv(PROFILE_VARIABLE, "gpu")
    take_budget_calls()
    for k in range(40):
        sk.budget(cpu=k, gpu=10 * k)
    calls = take_budget_calls()
    assert [call.cpu for call in calls] == list(range(8, 40))
    assert {call.chosen for call in calls} == {"gpu"}


def test_device_summary_on_one_device_uses_the_singular(monkeypatch):
    class Device:
        device_kind = "cpu"

    monkeypatch.setattr(jax, "devices", lambda: [Device()])
    assert sk.device_summary() == f"{jax.default_backend()} (1 device: cpu)"
    monkeypatch.setattr(jax, "devices", lambda: [Device(), Device()])
    assert sk.device_summary() == f"{jax.default_backend()} (2 devices: cpu)"
