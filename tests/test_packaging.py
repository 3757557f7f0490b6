"""pyproject.toml and environment.yml declare the same dependencies; the README's
commands are the ones CI runs."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name(req: str) -> str:
    return re.split(r"[<>=!~\[; ]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_matches_pyproject():
    py = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in py["dependencies"]}
    for extra in ("workflow", "test"):
        wanted |= {_name(r) for r in py["optional-dependencies"][extra] if not r.startswith("noisecnn")}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    have = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    assert have == wanted


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    m = re.search(r"```(?:bash|sh)?\n# \(b\).*?\n(.*?)```", readme, re.S)
    assert m, "README must open with the (b) test command block"
    test_cmd = [ln for ln in m.group(1).splitlines() if ln.strip() and not ln.startswith("#")][-1].strip()
    assert test_cmd in (ROOT / ".ci" / "run").read_text()
