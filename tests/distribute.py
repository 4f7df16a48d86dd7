"""How `pytest -n N` shares the tests among its workers (pyproject's addopts: `--dist loadgroup`).

Groups: tests that share a costly fixture run in one worker, so that it is made once, not once per worker:
- every module that uses the session's `built_site` (the whole site with PDFs): group "built-site";
- a module with a fixture of module scope: the module;
- a test that names its own `xdist_group` keeps it (the format tests: one group per policy, whose text-forms
  and PDF tests share the policy's baseline).

Order: the costliest work units (a group, or one test) are handed out first, by the CPU seconds of earlier
runs (tests/cputime.py keeps them in the pytest cache), so the long ones start at once and the short ones
fill the end: the last to finish decides the wall time. A test not measured on this machine yet counts what
tests/cpu-prior.json (committed) says of it or of its file, so that a fresh checkout (CI) orders by cost too;
else one second. Only where and when tests run changes, never which tests run.

Why not xdist's own loadgroup: with pytest 9 it silently groups nothing (it renames the tests' node ids,
which pytest 9 no longer reads: pytest-dev/pytest-xdist#1386). So the workers write the groups they
collected into a folder the controller names, and the scheduler here reads them: xdist's scope scheduling
with those groups as scopes. The controller hands every worker the same record, so they collect in the same
order.
"""
from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

from .cputime import estimate, read_prior, read_record

UNMEASURED = 1.0  # seconds counted for a test with no figure yet
COSTS = "scorecard_costs"  # workerinput keys
GROUPS = "scorecard_groups"
_STATE: dict[str, Path] = {}


def group_tests(items: list[pytest.Item]) -> None:
    """Mark the groups described above (an xdist_group mark on every test of a grouped module)."""
    modules: dict[str, list[pytest.Item]] = {}
    for item in items:
        modules.setdefault(item.nodeid.split("::")[0], []).append(item)
    for module, members in modules.items():
        fixtures = [d for item in members for d in _fixtures(item)]
        if any(d.argname == "built_site" for d in fixtures):
            group = "built-site"
        elif any(d.scope == "module" for d in fixtures):
            group = module
        else:
            continue
        for item in members:
            if item.get_closest_marker("xdist_group") is None:
                item.add_marker(pytest.mark.xdist_group(group))


def _fixtures(item: pytest.Item) -> list[Any]:
    """The fixtures in force for a test: its own and those they ask for."""
    info = getattr(item, "_fixtureinfo", None)
    return [defs[-1] for defs in info.name2fixturedefs.values() if defs] if info is not None else []


def group_of(item: pytest.Item) -> str | None:
    mark = item.get_closest_marker("xdist_group")
    if mark is None:
        return None
    return str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))


@pytest.hookimpl(tryfirst=True)  # before xdist reads the marks, whatever it does with them
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    group_tests(items)
    workerinput = getattr(config, "workerinput", None)
    if workerinput is None or GROUPS not in workerinput:
        return
    record: dict[str, float] = workerinput.get(COSTS) or {}
    prior = read_prior()
    units = {item.nodeid: f"@{group_of(item)}" if group_of(item) else item.nodeid for item in items}
    costs: dict[str, float] = {}
    for item in items:
        cost = estimate(item.nodeid, record, prior, UNMEASURED)
        costs[units[item.nodeid]] = costs.get(units[item.nodeid], 0.0) + cost
    items.sort(key=lambda item: -costs[units[item.nodeid]])  # stable: same cost, collection order
    groups = {item.nodeid: group for item in items if (group := group_of(item))}
    path = Path(workerinput[GROUPS]) / f"{workerinput['workerid']}.json"
    path.write_text(json.dumps(groups), encoding="utf-8")  # before the worker reports its collection


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """xdist, on the controller: the record every worker orders by, and where it writes its groups."""
    if "groups" not in _STATE:
        _STATE["groups"] = Path(tempfile.mkdtemp(prefix="scorecard-xdist-groups-"))
    node.workerinput[COSTS] = read_record(node.config)
    node.workerinput[GROUPS] = str(_STATE["groups"])


@pytest.hookimpl(optionalhook=True, tryfirst=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    if config.getvalue("dist") != "loadgroup" or "groups" not in _STATE:
        return None
    from xdist.scheduler import LoadScopeScheduling

    folder = _STATE["groups"]

    class GroupScheduling(LoadScopeScheduling):  # type: ignore[misc]
        """xdist's scope scheduling, a scope being a test's group (or the test alone), in collection order."""

        groups: dict[str, str] | None = None

        def _split_scope(self, nodeid: str) -> str:
            if self.groups is None:  # every worker has collected (and written its groups) by now
                self.groups = {}
                for path in sorted(folder.glob("*.json")):
                    self.groups.update(json.loads(path.read_text(encoding="utf-8")))
            group = self.groups.get(nodeid)
            return f"@{group}" if group else nodeid

    config.option.loadscopereorder = False  # the workers ordered the collection by cost
    return GroupScheduling(config, log)


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = _STATE.pop("groups", None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
