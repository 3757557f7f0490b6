"""Loading and checking the workflow configuration.

The JSON schema (``workflow/schemas/config.schema.yaml``) checks types, ranges and
names; :func:`check` adds the cross-field rules a schema cannot express.  Both name
the offending key, and both run before any job (the Snakefile calls them at parse
time).
"""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

from .simulate import Algorithm, Problem

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "workflow" / "schemas" / "config.schema.yaml"
DEFAULT = ROOT / "config" / "config.yaml"


class ConfigError(ValueError):
    """A configuration error; the message starts with the offending key."""


def deep_merge(base: dict, override: dict) -> dict:
    """Nested dict update, as Snakemake merges ``--configfile`` over the default."""
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def load(*overrides: str | Path, base: str | Path = DEFAULT) -> dict:
    """The default config with each override file merged over it, validated."""
    with open(base) as fh:
        cfg = yaml.safe_load(fh)
    for path in overrides:
        with open(path) as fh:
            cfg = deep_merge(cfg, yaml.safe_load(fh) or {})
    validate(cfg)
    return cfg


def validate(cfg: dict) -> None:
    """JSON-schema validation (fills schema defaults) followed by :func:`check`."""
    import jsonschema

    with open(SCHEMA) as fh:
        schema = yaml.safe_load(fh)
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(cfg), key=lambda e: list(e.absolute_path))
    if errors:
        e = errors[0]
        key = ".".join(str(x) for x in e.absolute_path) or "<top level>"
        raise ConfigError(f"{key}: {e.message}")
    check(cfg)


def _algorithms(cfg: dict, key: str) -> dict[str, Algorithm]:
    out = {}
    for name, spec in cfg.items():
        try:
            out[name] = Algorithm.from_dict(spec)
        except ValueError as exc:
            raise ConfigError(f"{key}.{name}: {exc}") from None
    return out


def _problem(key: str, **kw) -> Problem:
    try:
        return Problem(**kw)
    except ValueError as exc:
        raise ConfigError(f"{key}: {exc}") from None


def check(cfg: dict) -> None:
    """Cross-field rules; raises :class:`ConfigError` naming the key."""
    p, s = cfg["p"], cfg["teacher_scale"]
    _algorithms(cfg["paper_algorithms"], "paper_algorithms")
    t1 = cfg["table1"]
    _algorithms(t1["algorithms"], "table1.algorithms")
    for k in t1["k"]:
        for r in t1["r"]:
            if r > k:
                raise ConfigError(f"table1.r: r = {r} exceeds k = {k} (need 0 <= r <= k)")
            _problem("table1", k=k, r=r, p=p, scale=s)
    f3 = cfg["figure3"]
    _algorithms(f3["algorithms"], "figure3.algorithms")
    _problem("figure3.k", k=f3["k"], r=0, p=p, scale=s, teacher="pm")
    from .experiments import overparam, sensitivity  # noqa: PLC0415 (import cycle: they use ConfigError)

    sensitivity.check(cfg)
    overparam.check(cfg)
    for key in ("cells",):
        for k, r in cfg["landscape"][key]:
            if r > k:
                raise ConfigError(f"landscape.{key}: r = {r} exceeds k = {k}")
    tf = cfg["landscape"]["two_filter"]
    if tf["r"] > tf["k"]:
        raise ConfigError(f"landscape.two_filter.r: r = {tf['r']} exceeds k = {tf['k']}")


def algorithms(section: dict) -> dict[str, Algorithm]:
    """The ``algorithms`` mapping of a config section as Algorithm objects."""
    return _algorithms(section["algorithms"], "algorithms")
