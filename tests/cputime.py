"""`--cpu-durations=N`: the N tests that cost the most CPU seconds (this process and the children it
waited for: builds, PDF workers, chromium), with the suite's total.

Wall times (`--durations`) say little on a loaded or shared machine; CPU seconds are what a test costs
wherever it runs. A session fixture's cost lands on the first test that asks for it. Works under xdist:
each worker measures its own tests and the figures travel back in the test reports.

The figures are also kept in the pytest cache (`scorecard/cpu-seconds`, merged run after run): tests/distribute.py
hands the costliest tests to the xdist workers first. A fresh checkout (CI) has no such record, so the order
falls back on tests/cpu-prior.json, committed: each test file's mean CPU seconds per test and the tests that
cost a second or more. Only the order depends on it, never which tests run; rewrite it from this machine's
record after a whole run with `python -m tests.cputime` (a stale one only orders less well).
"""
from __future__ import annotations

import json
import resource
import sys
from collections.abc import Generator
from pathlib import Path

import pytest

KEY = "cpu_seconds"
RECORD = "scorecard/cpu-seconds"
PRIOR = Path(__file__).resolve().parent / "cpu-prior.json"
PRIOR_TEST = 1.0  # a test costing this many CPU seconds or more is named in the prior; the others by their file


def _cpu() -> float:
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--cpu-durations", type=int, default=None, metavar="N",
                     help="show the N tests with the most CPU seconds (0: all) and the suite's total")
    parser.addoption("--cpu-log", default=None, metavar="PATH",
                     help="append each test's CPU seconds to PATH as it ends (read it during a long run)")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Generator[None, None, None]:
    item.stash[_START] = _cpu()
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, None, None]:
    outcome = yield
    if call.when == "teardown" and _START in item.stash:
        report = outcome.get_result()
        report.user_properties.append((KEY, _cpu() - item.stash[_START]))


_START = pytest.StashKey[float]()


def test_id(nodeid: str) -> str:
    """A node id without the "@group" xdist's loadgroup appends in the workers."""
    return nodeid.rsplit("@", 1)[0] if nodeid.rfind("@") > nodeid.rfind("]") else nodeid


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    path = _LOG.get("path")
    if report.when == "teardown" and "path" in _LOG:  # the controller, or a run without xdist
        for key, value in report.user_properties:
            if key == KEY:
                _MEASURED[test_id(report.nodeid)] = round(float(value), 3)
                if path:
                    with open(path, "a", encoding="utf-8") as log:
                        log.write(f"{value:.2f}\t{report.nodeid}\n")


_LOG: dict[str, str] = {}
_MEASURED: dict[str, float] = {}  # this run's figures, merged into the record at the end


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):  # the controller (or a run without xdist) writes the log
        _LOG["path"] = config.getoption("cpu_log") or ""


def read_record(config: pytest.Config) -> dict[str, float]:
    """The CPU seconds of each test in earlier runs (node id -> seconds), from the pytest cache."""
    cache = getattr(config, "cache", None)
    data = cache.get(RECORD, {}) if cache is not None else {}
    return {k: float(v) for k, v in data.items() if isinstance(v, (int, float))} if isinstance(data, dict) else {}


def pytest_sessionfinish(session: pytest.Session) -> None:
    cache = getattr(session.config, "cache", None)
    if cache is None or not _MEASURED or hasattr(session.config, "workerinput"):
        return
    record = read_record(session.config)
    record.update(_MEASURED)
    cache.set(RECORD, dict(sorted(record.items())))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    count = config.getoption("cpu_durations")
    if count is None:
        return
    costs: list[tuple[float, str]] = []
    for reports in terminalreporter.stats.values():
        for report in reports:
            if getattr(report, "when", None) != "teardown":
                continue
            for key, value in getattr(report, "user_properties", ()):
                if key == KEY:
                    costs.append((float(value), report.nodeid))
    costs.sort(reverse=True)
    total = sum(cost for cost, _ in costs)
    terminalreporter.write_sep("=", f"CPU seconds: {total:.0f} s over {len(costs)} tests")
    by_file: dict[str, float] = {}
    for cost, nodeid in costs:
        path = nodeid.split("::")[0]
        by_file[path] = by_file.get(path, 0.0) + cost
    for path, cost in sorted(by_file.items(), key=lambda kv: -kv[1])[:count or None]:
        terminalreporter.write_line(f"{cost:8.1f} s  {path}")
    terminalreporter.write_sep("-", "slowest tests")
    for cost, nodeid in costs[:count or None]:
        terminalreporter.write_line(f"{cost:8.1f} s  {nodeid}")


def read_prior() -> tuple[dict[str, float], dict[str, float]]:
    """tests/cpu-prior.json: (CPU seconds by test id, mean CPU seconds per test by file); empty if absent."""
    try:
        data = json.loads(PRIOR.read_text(encoding="utf-8"))
        return ({k: float(v) for k, v in data["tests"].items()}, {k: float(v) for k, v in data["files"].items()})
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}, {}


def estimate(nodeid: str, record: dict[str, float], prior: tuple[dict[str, float], dict[str, float]],
             unmeasured: float) -> float:
    """A test's CPU seconds: measured on this machine, else from the prior (the test, else its file's mean)."""
    test = test_id(nodeid)
    if test in record:
        return record[test]
    tests, files = prior
    return tests.get(test, files.get(test.split("::")[0], unmeasured))


def write_prior(record: dict[str, float], path: Path = PRIOR) -> None:
    """The prior from a record of a whole run: the tests over PRIOR_TEST seconds, and per file the mean of the
    rest."""
    tests = {k: round(v, 1) for k, v in sorted(record.items()) if v >= PRIOR_TEST}
    rest: dict[str, list[float]] = {}
    for key, value in record.items():
        if key not in tests:
            rest.setdefault(key.split("::")[0], []).append(value)
    files = {name: round(sum(values) / len(values), 3) for name, values in sorted(rest.items())}
    path.write_text(json.dumps({"files": files, "tests": tests}, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":  # python -m tests.cputime [CACHE_DIR]: the prior from this machine's record
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else ".pytest_cache")
    measured = json.loads((folder / "v" / RECORD).read_text(encoding="utf-8"))
    write_prior({k: float(v) for k, v in measured.items()})
    print(f"{PRIOR}: from {len(measured)} tests")
