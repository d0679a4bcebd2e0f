"""Model parameters: m and u per comparison level, thresholds, and their versioned JSON files."""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import re
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from portcullis.errors import PortcullisError

# The levels at which a field agrees well enough for the identity guard to release, strongest
# first. A given name *variant* is the same name in another romanisation (Mohammed, Muhammad);
# a *nickname* is another name the person goes by (Bob for Robert).
GIVEN_AGREES = ("exact", "swapped", "variant", "nickname", "typo")
SURNAME_AGREES = ("exact", "swapped", "former", "token", "fuzzy")
DOB_AGREES = ("exact", "transposed", "slip", "near")
# Levels per field, strongest first; "missing" always carries weight 0.
LEVELS: dict[str, tuple[str, ...]] = {
    "given": (*GIVEN_AGREES, "fuzzy", "initial", "disagree", "missing"),
    "surname": (*SURNAME_AGREES, "disagree", "missing"),
    "middle": ("exact", "initial", "disagree", "missing"),
    "suffix": ("agree", "one_missing", "disagree", "missing"),
    "dob": (*DOB_AGREES, "disagree", "missing"),
    "address": ("exact", "street", "same_street", "zip", "city", "disagree", "missing"),
    "tin": ("agree", "disagree", "missing"),
}
TF_FIELDS = ("given", "surname")
_FILE = re.compile(r"^model-v(\d+)\.json$")


class ParamsUnreadable(PortcullisError):
    """A saved match model file is not valid JSON of the expected shape."""


class ModelStale(PortcullisError):
    """No saved match model was trained on the master as it is loaded now."""


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Match-weight cut-offs (in bits) that turn a score into a verdict."""

    release: float = 12.0
    review: float = 0.0
    margin: float = 10.0
    # The precision a request's release set must reach by estimate: the mean posterior
    # probability of error over the items it releases may not exceed 1 - precision.
    precision: float = 0.9999


@dataclass(frozen=True, slots=True)
class MatchParams:
    """A versioned Fellegi-Sunter model: prior, m and u per field level, and thresholds."""

    version: str
    trained_at: str
    data_fingerprint: str
    prior_weight: float
    m: dict[str, dict[str, float]]
    u: dict[str, dict[str, float]]
    thresholds: Thresholds = field(default_factory=Thresholds)
    tf_cap: float = 6.0
    notes: str = ""
    program: str = ""

    def weight(self, field_name: str, level: str) -> float:
        """Return log2(m/u) for one level of one field (0 for a missing value)."""
        if level == "missing":
            return 0.0
        return math.log2(self.m[field_name][level] / self.u[field_name][level])

    def to_json(self) -> str:
        """Return the parameters as stable, indented JSON."""
        return json.dumps(asdict(self), indent=2, sort_keys=True)


def default_params() -> MatchParams:
    """Return hand-set parameters so that a fresh workspace matches sensibly before training."""
    m = {
        "given": {
            "exact": 0.85,
            "swapped": 0.01,
            "variant": 0.01,
            "nickname": 0.05,
            "typo": 0.03,
            "fuzzy": 0.02,
            "initial": 0.01,
            "disagree": 0.02,
        },
        "surname": {
            "exact": 0.8,
            "swapped": 0.01,
            "former": 0.02,
            "token": 0.08,
            "fuzzy": 0.06,
            "disagree": 0.03,
        },
        "middle": {"exact": 0.85, "initial": 0.12, "disagree": 0.03},
        "suffix": {"agree": 0.9, "one_missing": 0.09, "disagree": 0.01},
        "dob": {"exact": 0.88, "transposed": 0.03, "slip": 0.04, "near": 0.02, "disagree": 0.03},
        "address": {
            "exact": 0.6,
            "street": 0.08,
            "same_street": 0.02,
            "zip": 0.1,
            "city": 0.05,
            "disagree": 0.15,
        },
        "tin": {"agree": 0.97, "disagree": 0.03},
    }
    u = {
        "given": {
            "exact": 0.01,
            "swapped": 1e-5,
            "variant": 2.5e-4,
            "nickname": 0.002,
            "typo": 0.0005,
            "fuzzy": 0.01,
            "initial": 0.004,
            "disagree": 0.974,
        },
        "surname": {
            "exact": 0.002,
            "swapped": 1e-5,
            "former": 2e-4,
            "token": 0.001,
            "fuzzy": 0.005,
            "disagree": 0.99179,
        },
        "middle": {"exact": 0.03, "initial": 0.05, "disagree": 0.92},
        "suffix": {"agree": 0.3, "one_missing": 0.5, "disagree": 0.2},
        "dob": {
            "exact": 5e-5,
            "transposed": 1e-5,
            "slip": 5e-4,
            "near": 0.0015,
            "disagree": 0.99795,
        },
        "address": {
            "exact": 1e-6,
            "street": 1e-6,
            "same_street": 2e-5,
            "zip": 3e-4,
            "city": 3e-3,
            "disagree": 0.996678,
        },
        "tin": {"agree": 1e-9, "disagree": 0.999999999},
    }
    return MatchParams(
        version="default-1",
        trained_at="",
        data_fingerprint="",
        prior_weight=-20.0,
        m=m,
        u=u,
        notes="hand-set defaults; run 'portcullis match train' to estimate from the master",
    )


def save_params(params: MatchParams, match_dir: Path) -> MatchParams:
    """Write `params` as the next model-v<N>.json in `match_dir`; return it as saved.

    The file is created exclusively, so two processes saving at once never overwrite each
    other: the one that loses the race takes the next number, and its version says so.
    """
    match_dir.mkdir(parents=True, exist_ok=True)
    while True:
        number = _latest_number(match_dir) + 1
        saved = replace(params, version=f"v{number}")
        try:
            with (match_dir / f"model-v{number}.json").open("x", encoding="utf-8") as out:
                out.write(saved.to_json() + "\n")
        except FileExistsError:
            continue
        return saved


def next_version(match_dir: Path) -> str:
    """Return the version id the next saved model in `match_dir` will carry."""
    return f"v{_latest_number(match_dir) + 1}"


def load_current_params(
    match_dir: Path, program: str = "", fingerprint: str | None = None
) -> MatchParams:
    """Return the model to decide with: `program`'s newest, else the newest base model.

    A program's model is one learned from that program's own requests; the base model is the
    one `train` estimated from the master. With `fingerprint` (the loaded index's), a model
    trained on another load of the master is passed over, and when no saved model fits the
    load the workspace refuses to decide (`ModelStale`) rather than use the wrong one. A
    workspace that was never trained decides with the hand-set defaults, named as such.
    """
    numbers = _model_numbers(match_dir)
    if not numbers:
        return default_params()
    models = [_read_cached(match_dir / f"model-v{n}.json") for n in sorted(numbers, reverse=True)]
    fitting = [
        p
        for p in models
        if covers_levels(p) and (fingerprint is None or p.data_fingerprint == fingerprint)
    ]
    for wanted in (program, ""):
        found = next((p for p in fitting if p.program == wanted), None)
        if found is not None:
            return found
    raise ModelStale(
        f"no match model in {match_dir} was trained on the master as loaded now, "
        "with this version's comparison levels "
        f"(newest: {models[0].version}): run 'portcullis match train'"
    )


def covers_levels(params: MatchParams) -> bool:
    """Return whether a model weighs every comparison level this engine produces.

    A model saved before a level was added cannot weigh it, so it never decides: it is passed
    over like a model of another master load, and the operator trains again.
    """
    return all(
        level in rates.get(name, {})
        for rates in (params.m, params.u)
        for name, levels in LEVELS.items()
        for level in levels
        if level != "missing"
    )


def read_params(path: Path) -> MatchParams:
    """Return the parameters stored in one model file."""
    try:
        raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        raw["thresholds"] = Thresholds(**raw["thresholds"])
        return MatchParams(**raw)
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise ParamsUnreadable(f"match model {path} is unreadable: {exc}") from exc


def _latest_number(match_dir: Path) -> int:
    return max(_model_numbers(match_dir), default=0)


def _model_numbers(match_dir: Path) -> list[int]:
    if not match_dir.is_dir():
        return []
    return [int(m.group(1)) for p in match_dir.iterdir() if (m := _FILE.match(p.name))]


def _read_cached(path: Path) -> MatchParams:
    # Models are written once and never edited; the stat stamp guards against a replaced file.
    stat = path.stat()
    return _read_stamped(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=256)
def _read_stamped(path: Path, mtime_ns: int, size: int) -> MatchParams:
    return read_params(path)


def training_date() -> str:
    """Return the current UTC time in ISO form, the stamp a newly trained model carries."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
