"""Loading and checking the workflow configuration, before any job runs.

:func:`validate` runs, in order: a walk that rejects NaN and infinite numbers anywhere; the
JSON schema (``workflow/schemas/config.schema.yaml``: types, ranges, names, unknown keys at
every level, duplicate grid values; integers must be integers, ``30.0`` is refused) which
also fills the defaults; then :func:`check`, the cross-field rules a schema cannot express.
Every error is a :class:`ConfigError` whose message starts with the offending key.

Pure Python (PyYAML, jsonschema): the Snakefile calls it at parse time without loading a
kernel.
"""

from __future__ import annotations

import copy
import math
from pathlib import Path

import yaml

from .experiments.sensitivity import sweeps as sw
from .specs import Algorithm, Problem, resolve_algorithm

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "workflow" / "schemas" / "config.schema.yaml"
DEFAULT = ROOT / "config" / "config.yaml"


class ConfigError(ValueError):
    """A configuration error; the message starts with the offending key."""


# ---------------------------------------------------------------------------- loading
def read_yaml(path: str | Path) -> dict:
    """A YAML mapping; a syntax error names the file, line and column."""
    path = Path(path)
    try:
        with open(path) as fh:
            data = yaml.safe_load(fh)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise ConfigError(f"{where}: YAML syntax error: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: YAML error: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the configuration must be a mapping of keys, got {type(data).__name__}")
    return data


def deep_merge(base: dict, override: dict) -> dict:
    """Nested dict update, as Snakemake merges ``--configfile`` over the default."""
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def canonical(obj):
    """``obj`` with every mapping's keys sorted: a rule's params must not change (and rerun the
    job) when keys are merely reordered in a YAML file."""
    if isinstance(obj, dict):
        return {k: canonical(obj[k]) for k in sorted(obj)}
    if isinstance(obj, (list, tuple)):
        return [canonical(v) for v in obj]
    return obj


def load(*overrides: str | Path, base: str | Path = DEFAULT) -> dict:
    """The default config with each override file merged over it, validated."""
    cfg = read_yaml(base)
    for path in overrides:
        cfg = deep_merge(cfg, read_yaml(path))
    return validate(cfg)


# ---------------------------------------------------------------------------- schema
def _key(path) -> str:
    return ".".join(str(x) for x in path) or "<top level>"


def _finite_numbers(obj, path=()) -> None:
    if isinstance(obj, bool):
        return
    if isinstance(obj, float) and not math.isfinite(obj):
        raise ConfigError(f"{_key(path)}: {obj!r} is not a finite number")
    if isinstance(obj, dict):
        for k, v in obj.items():
            _finite_numbers(v, path + (k,))
    elif isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            _finite_numbers(v, path + (i,))


def _validator():
    import jsonschema

    base = jsonschema.Draft202012Validator
    # integers are integers: an integral float such as 30.0 is refused (jsonschema accepts it)
    types = base.TYPE_CHECKER.redefine(
        "integer", lambda checker, x: isinstance(x, int) and not isinstance(x, bool))
    props = base.VALIDATORS["properties"]

    def properties_with_defaults(validator, properties, instance, schema):
        if validator.is_type(instance, "object"):
            for name, sub in properties.items():
                if "default" in sub and name not in instance:
                    instance[name] = copy.deepcopy(sub["default"])
        yield from props(validator, properties, instance, schema)

    cls = jsonschema.validators.extend(base, validators={"properties": properties_with_defaults},
                                       type_checker=types)
    with open(SCHEMA) as fh:
        return cls(yaml.safe_load(fh))


def validate(cfg: dict) -> dict:
    """Check ``cfg`` (filling the schema's defaults in place) and return it."""
    if not isinstance(cfg, dict):
        raise ConfigError(f"<top level>: the configuration must be a mapping, got {type(cfg).__name__}")
    _finite_numbers(cfg)
    errors = list(_validator().iter_errors(cfg))
    if errors:
        # the most specific error first (deepest path), then by key
        e = sorted(errors, key=lambda e: (-len(e.absolute_path), [str(x) for x in e.absolute_path]))[0]
        if e.validator == "additionalProperties":
            extra = sorted(set(e.instance) - set(e.schema.get("properties", {})))
            raise ConfigError(f"{_key(tuple(e.absolute_path) + (extra[0],))}: unknown key (known: "
                              f"{', '.join(sorted(e.schema.get('properties', {})))})")
        if e.validator == "uniqueItems":
            raise ConfigError(f"{_key(e.absolute_path)}: duplicate values in {e.instance!r}")
        raise ConfigError(f"{_key(e.absolute_path)}: {e.message}")
    check(cfg)
    return cfg


# ---------------------------------------------------------------------------- cross-field rules
def algorithm(cfg: dict, entry: dict, key: str) -> dict:
    """An experiment's algorithm entry resolved against paper_algorithms (every setting)."""
    try:
        return resolve_algorithm(cfg["paper_algorithms"], entry)
    except ValueError as exc:
        raise ConfigError(f"{key}: {exc}") from None


def algorithms(cfg: dict, section: str) -> dict[str, dict]:
    """{label: full settings} of a section's ``algorithms`` entries."""
    return {label: algorithm(cfg, entry, f"{section}.algorithms.{label}")
            for label, entry in cfg[section]["algorithms"].items()}


def _problem(key: str, **kw) -> None:
    try:
        Problem(**kw)
    except ValueError as exc:
        raise ConfigError(f"{key}: {exc}") from None


def _grid(cfg: dict, key: str, ks, rs) -> None:
    for k in ks:
        for r in rs:
            if r > k:
                raise ConfigError(f"{key}: r = {r:g} exceeds k = {k} (need 0 <= r <= k)")


def check(cfg: dict) -> None:
    """Cross-field rules; raises :class:`ConfigError` naming the key."""
    for name, spec in cfg["paper_algorithms"].items():
        try:
            Algorithm.from_dict(spec)
        except ValueError as exc:
            raise ConfigError(f"paper_algorithms.{name}: {exc}") from None
    p, s = cfg["p"], cfg["teacher_scale"]
    t1 = cfg["table1"]
    algorithms(cfg, "table1")
    _grid(cfg, "table1.r", t1["k"], t1["r"])
    f3 = cfg["figure3"]
    algorithms(cfg, "figure3")
    _problem("figure3.k", k=f3["k"], r=0, p=p, scale=s, teacher="pm")
    sec = cfg["sensitivity"]
    for k, r in sec["cells"]:
        _grid(cfg, "sensitivity.cells", [k], [r])
    if list(sec["escape_cell"]) not in [list(c) for c in sec["cells"]]:
        raise ConfigError(f"sensitivity.escape_cell: {sec['escape_cell']} is not one of sensitivity.cells")
    names = [x["name"] for x in sec["sweeps"]]
    for n in names:
        if names.count(n) > 1:
            raise ConfigError(f"sensitivity.sweeps: duplicate name {n!r}")
    for i, sweep in enumerate(sec["sweeps"]):
        key = f"sensitivity.sweeps.{sweep['name']}"
        if sweep["base"] not in cfg["paper_algorithms"]:
            raise ConfigError(f"{key}.base: {sweep['base']!r} is not one of paper_algorithms")
        try:
            sw.check_knobs(sweep)
        except ValueError as exc:
            raise ConfigError(f"{key}.knobs: {exc}") from None
        for pt in sw.points(sweep):
            spec, scale = sw.setting(cfg["paper_algorithms"], sweep, pt, s)
            try:
                Algorithm.from_dict(spec)
                for k, r in sec["cells"]:
                    Problem(k=k, r=r, p=p, scale=scale)
            except ValueError as exc:
                raise ConfigError(f"{key}.knobs: point {sw.point_id(pt)}: {exc}") from None
    op = cfg["overparam"]
    for label, spec in algorithms(cfg, "overparam").items():
        if spec["algorithm"] not in ("gd", "pgd"):
            raise ConfigError(f"overparam.algorithms.{label}: the m-filter student runs gd or pgd, "
                              f"not {spec['algorithm']}")
    _grid(cfg, "overparam.r", op["k"], op["r"])
    ls = cfg["landscape"]
    for k, r in ls["cells"]:
        _grid(cfg, "landscape.cells", [k], [r])
    _grid(cfg, "landscape.two_filter.r", [ls["two_filter"]["k"]], [ls["two_filter"]["r"]])
    algorithm(cfg, ls["trajectories"]["algorithm"], "landscape.trajectories.algorithm")
    es = cfg["escape"]
    for k, r in es["cells"]:
        _grid(cfg, "escape.cells", [k], [r])
    for label in ("pgd", "sgd"):
        spec = algorithm(cfg, {"base": es[label]["base"]}, f"escape.{label}.base")
        if spec["algorithm"] != label:
            raise ConfigError(f"escape.{label}.base: {es[label]['base']!r} is a {spec['algorithm']} algorithm, "
                              f"not {label}")
    if cfg["backend"] == "cuda":
        from .backend import cuda_usable  # imports numba-cuda: only when a GPU is asked for

        ok, why = cuda_usable()
        if not ok:
            raise ConfigError(f"backend: 'cuda' needs a usable GPU, but {why}; use 'auto' or 'cpu'")
