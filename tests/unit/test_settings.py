"""Settings: one typed object, loaded from TOML, checked key by key, recorded whole in
run.json, and a run.json replays its run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from linker.cli import app
from linker.demo import generate_world
from linker.settings import Settings, SettingsError, load_settings, settings_from_dict, to_toml

runner = CliRunner()


def test_defaults_round_trip_through_toml(tmp_path: Path) -> None:
    p = tmp_path / "linker.toml"
    p.write_text(to_toml(Settings()))
    assert load_settings(p) == Settings()


def test_a_file_overrides_only_what_it_names(tmp_path: Path) -> None:
    p = tmp_path / "linker.toml"
    p.write_text("[rings]\nresolution = 1.5\nhub_cap = { card = 7 }\n[history]\nmatch_jaccard = 0.4\n")
    s = load_settings(p)
    assert s.rings.resolution == 1.5 and s.history.match_jaccard == 0.4
    assert s.rings.hub_cap == {"card": 7}            # a table is replaced whole
    assert s.rings.seed == Settings().rings.seed      # the rest keeps its default


@pytest.mark.parametrize(("doc", "needle"), [
    ("[ringz]\na = 1\n", "unknown setting ringz"),
    ("[rings]\nresolutoin = 2.0\n", "unknown setting rings.resolutoin"),
    ("[rings]\nresolution = \"high\"\n", "rings.resolution: expected a number"),
    ("[rings]\nmin_ring_size = 2.5\n", "rings.min_ring_size: expected a whole number"),
    ("[rings]\nsuspend_score = 1.5\n", "rings.suspend_score: must be between 0 and 1"),
    ("[rings]\nresolution = -1.0\n", "rings.resolution: must be ≥ 0"),
    ("[rings]\ncommunity_backend = \"igraph\"\n", "rings.community_backend: must be one of"),
    ("[rings]\nhub_cap = { card = \"x\" }\n", "rings.hub_cap.card: expected a whole number"),
    ("[rings\n", "not valid TOML"),
])
def test_bad_settings_name_the_key(tmp_path: Path, doc: str, needle: str) -> None:
    p = tmp_path / "bad.toml"
    p.write_text(doc)
    with pytest.raises(SettingsError, match=needle.replace("[", r"\[")):
        load_settings(p)
    res = runner.invoke(app, ["config", "check", str(p)])
    assert res.exit_code == 2 and needle in res.output


def test_config_show_prints_every_section_with_meanings() -> None:
    res = runner.invoke(app, ["config", "show"])
    assert res.exit_code == 0
    for section in ("[rings]", "[campaigns]", "[attribution]", "[history]", "[review]", "[outputs]"):
        assert section in res.output
    assert "resolution = 1.0  # " in res.output
    assert settings_from_dict(json.loads(runner.invoke(app, ["config", "show", "--json"]).output)) \
        == Settings()


def test_run_with_bad_config_writes_nothing(tmp_path: Path) -> None:
    world = tmp_path / "w"
    generate_world(world, accounts=1000, seed=2)
    bad = tmp_path / "bad.toml"
    bad.write_text("[campaigns]\nthreshold = 9\n")
    res = runner.invoke(app, ["run", str(world), "--out", str(tmp_path / "out"),
                              "--workspace", str(tmp_path / "ws"), "--config", str(bad)])
    assert res.exit_code == 2 and "campaigns.threshold" in res.output
    assert not (tmp_path / "out").exists() and not (tmp_path / "ws").exists()


@pytest.mark.slow
def test_replaying_run_json_reproduces_the_outputs(tmp_path: Path) -> None:
    world = tmp_path / "w"
    generate_world(world, accounts=3000, seed=11)
    cfg = tmp_path / "linker.toml"
    cfg.write_text("[rings]\nresolution = 1.3\nmin_link_weight = 0.3\n[campaigns]\nthreshold = 0.7\n")
    side = ["--allowlist", str(world / "allowlist.csv"), "--indicators", str(world / "indicators.csv")]

    def run(out: str, ws: str, *extra: str) -> None:
        res = runner.invoke(app, ["run", str(world), "--out", str(tmp_path / out),
                                  "--workspace", str(tmp_path / ws), "--json", *side, *extra])
        assert res.exit_code == 0, res.output

    run("first", "ws1", "--config", str(cfg), "--seed", "5")
    recorded = json.loads((tmp_path / "first" / "run.json").read_text())["settings"]
    assert recorded["rings"]["resolution"] == 1.3 and recorded["rings"]["seed"] == 5
    assert recorded["campaigns"]["threshold"] == 0.7
    run("replay", "ws2", "--config", str(tmp_path / "first" / "run.json"))
    run("default", "ws3")
    for name in ("suspensions.csv", "members.csv", "clusters.csv"):
        a = (tmp_path / "first" / name).read_bytes()
        assert a == (tmp_path / "replay" / name).read_bytes(), name
    # the settings mattered: the defaults give another answer
    assert any((tmp_path / "first" / n).read_bytes() != (tmp_path / "default" / n).read_bytes()
               for n in ("suspensions.csv", "members.csv", "clusters.csv"))


def test_every_before_config_of_the_benchmarks_still_loads() -> None:
    """The README reproduces each "before" column with one of bench/configs; a renamed or
    removed setting would make it fail (exit 2) instead of measuring the old detector."""
    from pathlib import Path

    from linker.settings import load_settings

    configs = sorted((Path(__file__).parents[2] / "bench" / "configs").glob("*.toml"))
    assert configs
    for path in configs:
        load_settings(path)
