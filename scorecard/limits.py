"""Limits on what scorecard reads, checked before any work, so a huge file is a clear refusal, not a hang."""
from __future__ import annotations

import os
from pathlib import Path

from .errors import PolicyError

DEFAULT_MAX_POLICY_MB = 20  # real policies are well under 1 MB; a PDF with images may be a few MB
MAX_POLICY_MB_ENV = "SCORECARD_MAX_POLICY_MB"


def max_policy_mb(option: float | None = None) -> float:
    """The limit in MB: the command-line option, else $SCORECARD_MAX_POLICY_MB, else the default."""
    if option is not None:
        return option
    raw = os.environ.get(MAX_POLICY_MB_ENV, "").strip()
    if not raw:
        return DEFAULT_MAX_POLICY_MB
    try:
        value = float(raw)
    except ValueError:
        raise PolicyError(f"{MAX_POLICY_MB_ENV}={raw!r} is not a number of megabytes") from None
    if value <= 0:
        raise PolicyError(f"{MAX_POLICY_MB_ENV} must be above 0")
    return value


def check_policy_file(path: Path, limit_mb: float | None = None) -> None:
    """A PolicyError unless `path` is a readable file no bigger than the limit."""
    path = Path(path)
    limit = max_policy_mb(limit_mb)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise PolicyError("policy file not found", path) from None
    except OSError as exc:
        raise PolicyError(f"cannot read the policy file: {exc.strerror}", path) from None
    if not path.is_file():
        raise PolicyError("policy is not a regular file", path)
    if not os.access(path, os.R_OK):
        raise PolicyError("cannot read the policy file: permission denied", path)
    if size > limit * 1_000_000:
        need = int(size / 1_000_000) + 1
        raise PolicyError(f"policy file is {size / 1_000_000:.1f} MB, over the {limit:g} MB limit; if it really"
                          f" is the policy, raise the limit with --max-policy-mb {need}", path)
