"""The plan benchmark's arithmetic (its timings run on demand only: python -m bench.bench_plan)."""
from bench.bench_plan import STAGES, growth, verdicts


def _row(label, clusters, days, cpu, command_s=1.0, command_mib=100.0):
    return {"label": label, "clusters": clusters, "days": days, "cpu": dict.fromkeys(STAGES, cpu),
            "plan_cpu": 4 * cpu, "command_s": command_s, "command_cpu": command_s,
            "command_mib": command_mib}


def test_time_proportional_to_clusters_times_days_grows_with_exponent_one():
    (step,) = growth([_row("a", 1000, 50, 0.1), _row("b", 10000, 60, 0.1 * 12)])
    assert round(step["exponents"]["plan"], 6) == 1.0
    assert 1.0 < step["nlogn"] < 1.1


def test_quadratic_growth_and_a_slow_big_fleet_are_reported_missed():
    rows = [_row("a", 1000, 60, 0.1), _row("b", 10000, 60, 10.0, command_s=12.0)]
    lines = verdicts(rows, {"mean": 0.5, "cpu": 0.5}, growth(rows))
    assert lines[0].startswith("example, whole command under 1 s: met")
    assert "10,000 clusters over 60 days" in lines[1] and "MISSED" in lines[1]
    assert "MISSED (k = 2.00" in lines[2]
