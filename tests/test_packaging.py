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


def _lock() -> dict[str, str]:
    text = (ROOT / "requirements-lock.txt").read_text()
    return dict(re.findall(r"^([a-z0-9][a-z0-9._-]*)==([^\s\\]+)", text, re.M))


def test_lock_file_pins_every_dependency_with_hashes():
    lock = _lock()
    py = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in py["dependencies"]}
    for extra in ("workflow", "test"):
        wanted |= {_name(r) for r in py["optional-dependencies"][extra] if not r.startswith("noisecnn")}
    assert wanted <= set(lock), wanted - set(lock)
    text = (ROOT / "requirements-lock.txt").read_text()
    for block in re.split(r"\n(?=[a-z0-9])", text.split("\n", 2)[2]):
        if "==" in block:
            assert "--hash=sha256:" in block, block[:80]


def test_environment_yml_pins_the_lock_versions():
    lock = _lock()
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    for dep in env["dependencies"]:
        if isinstance(dep, str) and dep not in ("pip",) and not dep.startswith("python="):
            name, version = dep.split("==")
            assert lock[_name(name)] == version, dep


def test_citation_cff_validates_against_the_cff_schema():
    import json

    import jsonschema

    schema = json.loads((ROOT / "tests" / "data" / "cff-1.2.0.schema.json").read_text())
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    cff["date-released"] = str(cff["date-released"])  # YAML reads dates as dates; CFF wants the string
    jsonschema.validate(cff, schema, cls=jsonschema.Draft7Validator)
    readme = (ROOT / "README.md").read_text()
    assert "@software{noisecnn_artifact" in readme and "@inproceedings{zhou2019noise" in readme
    assert cff["version"] == tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
