"""The synthetic fleet generator for benchmarks: deterministic, realistic, valid."""

from bench.fleetgen import main, synthetic_fleet

IN_SCOPE = {"H100", "H200", "GB200"}


def records(rows):
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def test_the_same_seed_gives_the_same_fleet_and_another_seed_another():
    assert synthetic_fleet(300, seed=4) == synthetic_fleet(300, seed=4)
    assert synthetic_fleet(300, seed=4) != synthetic_fleet(300, seed=5)


def test_a_fleet_has_the_requested_clusters_with_unique_names_and_one_canary():
    clusters = records(synthetic_fleet(500)["Clusters"])
    assert len(clusters) == 500
    assert len({c["cluster"] for c in clusters}) == 500
    assert [c["region"] for c in clusters if c["canary"] == "yes"] == ["swedencentral"]


def test_sizes_are_mostly_small_with_about_a_seventh_big_and_huge_ones_rolled():
    clusters = records(synthetic_fleet(5000, seed=1)["Clusters"])
    big = [c for c in clusters if c["nodes"] > 400]
    assert 0.10 < len(big) / len(clusters) < 0.18
    huge = [c for c in big if c["nodes"] > 1500]
    assert huge and all(c["rolling"] == "yes" for c in huge)
    assert any(c["sku"] not in IN_SCOPE for c in clusters)


def test_every_cluster_region_is_on_the_regions_tab():
    tabs = synthetic_fleet(2000, seed=2)
    regions = {r["region"] for r in records(tabs["Regions"])}
    assert len(regions) > 30
    assert {c["region"] for c in records(tabs["Clusters"])} <= regions


def test_the_node_cap_grows_with_the_fleet_and_shrinks_with_the_horizon():
    def cap(n, horizon=60):
        settings = {r["setting"]: r["value"] for r in records(synthetic_fleet(n, horizon_days=horizon)["Settings"])}
        return settings["daily_node_cap"]

    assert cap(10_000) > cap(1_000) > cap(100)
    assert cap(1_000, horizon=30) > cap(1_000, horizon=90)


def test_the_cli_writes_an_identical_workbook_twice(tmp_path):
    main(["50", str(tmp_path / "a.xlsx")])
    main(["50", str(tmp_path / "b.xlsx")])
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_a_synthetic_fleet_validates_without_errors():
    from rules.validation.workbook import validate
    from sheets.memory import MemorySource

    assert validate(MemorySource(synthetic_fleet(400, seed=3)).read()).errors == ()


def test_a_synthetic_fleet_plans_within_its_horizon_without_errors():
    from rules.plan.make import plan_document
    from rules.validation.workbook import validate
    from sheets.memory import MemorySource

    plan = plan_document(validate(MemorySource(synthetic_fleet(400, seed=3, horizon_days=60)).read()))
    assert plan["summary"]["errors"] == 0 and plan["unscheduled"] == []
    assert 40 <= plan["summary"]["days"] <= 60
