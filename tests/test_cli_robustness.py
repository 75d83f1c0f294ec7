"""The command line under bad output options, failures while writing, Ctrl-C and kills mid-write.

Every user cause is one line ``diagstats: error: ...`` (or ``diagstats: interrupted; ...``) on stderr,
with no traceback, and the previous report stays in place. The analyses here are tiny scripts in a
temporary folder, so nothing real is computed.
"""

import errno
import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from diagstats import cli
from diagstats.report import Report, writer

ROOT = Path(__file__).resolve().parent.parent

TINY = """
from pathlib import Path

from diagstats.report.model import Report


def run(config):
    Path({ran!r}).touch()           # proves whether the analysis ran
    return Report(name="tiny", title="Tiny", question="?", sections=(), key_numbers={{"version": "new"}})
"""

SLOW_WORKER = """
import os
import time
from pathlib import Path


def sleepy(scenario, rng):
    Path({started!r}, str(os.getpid())).touch()
    time.sleep(60)
    return {{"u": 1.0}}
"""

SLOW = """
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))   # the workers import sleepy from _slow_worker.py
import diagstats as ds
from _slow_worker import sleepy
from diagstats.report.model import Report


def run(config):
    ds.simulate.study(sleepy, n_replicates=6, seed=1, executor=None, progress=False)
    return Report(name="tiny", title="Tiny", question="?", sections=(), key_numbers={"version": "new"})
"""


def _listing(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _version(folder: Path) -> str:
    return json.loads((folder / "key_numbers.json").read_text())["version"]


@pytest.fixture
def project(tmp_path):
    """A folder of one tiny analysis, and an output folder that holds its previous report."""
    analyses = tmp_path / "analyses"
    analyses.mkdir()
    ran = tmp_path / "analysis_ran"
    (analyses / "tiny.py").write_text(TINY.format(ran=str(ran)))
    out = tmp_path / "out"
    writer.write(Report(name="tiny", title="Old", question="?", sections=(), key_numbers={"version": "old"}), out)
    return analyses, out, ran


def _fails_in_one_line(capsys, argv, *messages):
    assert cli.main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("diagstats: error: ") and captured.err.count("\n") == 1, captured.err
    for message in messages:
        assert message in captured.err
    return captured.err


def _unwritable(tmp_path: Path) -> Path:
    """A folder in which this process cannot create anything (as root, a chmod is not enough)."""
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    for folder in (locked, Path("/sys")):
        try:
            os.rmdir(tempfile.mkdtemp(dir=folder))
        except OSError:
            return folder
    pytest.skip("no folder on this machine refuses writing")


# -- output options, checked before any analysis runs ----------------------------------------------

def test_out_naming_an_existing_file(capsys, project, tmp_path):
    analyses, _, ran = project
    (tmp_path / "notes.txt").write_text("mine")
    _fails_in_one_line(capsys, ["report", "--analyses", str(analyses), "--out", str(tmp_path / "notes.txt")],
                       f"--out {tmp_path / 'notes.txt'} is a file, not a folder", "give a folder")
    assert (tmp_path / "notes.txt").read_text() == "mine" and not ran.exists()


def test_out_below_a_file(capsys, project, tmp_path):
    analyses, _, ran = project
    (tmp_path / "notes.txt").write_text("mine")
    _fails_in_one_line(capsys, ["report", "--analyses", str(analyses), "--out", str(tmp_path / "notes.txt" / "r")],
                       "--out ", "lies inside", "which is a file; give a folder")
    assert (tmp_path / "notes.txt").read_text() == "mine" and not ran.exists()


def test_out_in_an_unwritable_folder(capsys, project, tmp_path):
    analyses, _, ran = project
    locked = _unwritable(tmp_path)
    _fails_in_one_line(capsys, ["report", "--analyses", str(analyses), "--out", str(locked / "reports")],
                       f"--out {locked / 'reports'}: cannot create anything in", "choose a folder you can write to")
    assert not ran.exists() and not (locked / "reports").exists()


def test_a_file_where_the_report_folder_would_go_is_refused_not_deleted(capsys, project, tmp_path):
    analyses, _, ran = project
    out = tmp_path / "other"
    out.mkdir()
    (out / "tiny").write_text("a file of the user's")
    _fails_in_one_line(capsys, ["report", "--analyses", str(analyses), "--out", str(out)],
                       "holds a file 'tiny' where the report folder tiny/ would go", "move or rename that file")
    assert (out / "tiny").read_text() == "a file of the user's" and not ran.exists()
    with pytest.raises(ValueError, match="out_dir=.* holds a file 'tiny'"):    # ds.report.write refuses it too
        writer.write(Report(name="tiny", title="T", question="?", sections=()), out)
    assert (out / "tiny").read_text() == "a file of the user's"
    (out / "tiny").unlink()
    (out / "tiny").symlink_to(tmp_path / "out" / "tiny")
    _fails_in_one_line(capsys, ["report", "--analyses", str(analyses), "--out", str(out)],
                       "holds a symbolic link 'tiny'", "remove the link, or give the folder it points to")
    assert (out / "tiny").is_symlink() and _version(tmp_path / "out" / "tiny") == "old"


def test_a_bad_format_is_refused_before_the_analyses_run(capsys, project):
    analyses, out, ran = project
    _fails_in_one_line(capsys, ["report", "--analyses", str(analyses), "--out", str(out), "--format", "html,pdf"],
                       "--format='pdf' is not a valid choice; use one of 'html', 'md'")
    assert not ran.exists() and _version(out / "tiny") == "old"


def test_an_os_error_while_writing_is_one_line_and_keeps_the_old_report(capsys, project, monkeypatch):
    analyses, out, ran = project
    before = _listing(out)

    def disk_full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(self))

    monkeypatch.setattr(Path, "write_text", disk_full)
    err = _fails_in_one_line(capsys, ["report", "--analyses", str(analyses), "--out", str(out), "--quiet"],
                             "No space left on device", f"check --out {out}")
    assert ran.exists() and "Traceback" not in err
    monkeypatch.undo()
    assert _listing(out) == before and sorted(p.name for p in out.iterdir()) == ["tiny"]


def test_a_real_process_prints_no_traceback(project, tmp_path):
    analyses, _, ran = project
    (tmp_path / "notes.txt").write_text("mine")
    proc = subprocess.run([sys.executable, "-m", "diagstats.cli", "report", "--analyses", str(analyses),
                           "--out", str(tmp_path / "notes.txt")], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith("diagstats: error: --out ") and proc.stderr.count("\n") == 1
    assert not ran.exists()


# -- Ctrl-C ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("whom", ["process group", "parent only"])
def test_ctrl_c_stops_within_two_seconds_with_one_line_and_writes_nothing(project, tmp_path, whom):
    """A terminal's Ctrl-C reaches the whole process group; `kill -INT` only the parent: both stop the pool."""
    analyses, out, _ = project
    started = tmp_path / "started"
    started.mkdir()
    (analyses / "_slow_worker.py").write_text(SLOW_WORKER.format(started=str(started)))
    (analyses / "tiny.py").write_text(SLOW)
    before = _listing(out)
    proc = subprocess.Popen([sys.executable, "-m", "diagstats.cli", "report", "--analyses", str(analyses),
                             "--out", str(out), "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=ROOT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while not any(started.iterdir()) and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        assert any(started.iterdir()), proc.communicate()[1]
        time.sleep(0.2)                                       # let every worker pick up a batch
        sent = time.monotonic()
        if whom == "process group":
            os.killpg(proc.pid, signal.SIGINT)
        else:
            proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=10)
        elapsed = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert elapsed < 2, elapsed
    assert proc.returncode == 130 and stdout == ""
    assert stderr == "diagstats: interrupted; nothing written\n"
    assert _listing(out) == before and sorted(p.name for p in out.iterdir()) == ["tiny"]
    for pid in (int(p.name) for p in started.iterdir()):     # the workers were stopped, not left running
        stat = Path(f"/proc/{pid}/stat")
        assert not stat.exists() or stat.read_text().split(") ")[1][0] == "Z", pid


def test_ctrl_c_while_writing_takes_effect_once_the_report_is_complete(capsys, project, monkeypatch):
    analyses, out, _ = project
    original = os.chmod

    def interrupted(*args, **kwargs):               # Ctrl-C halfway through writing the report folder
        os.kill(os.getpid(), signal.SIGINT)
        return original(*args, **kwargs)

    monkeypatch.setattr(os, "chmod", interrupted)
    assert cli.main(["report", "--analyses", str(analyses), "--out", str(out), "--quiet"]) == 130
    monkeypatch.undo()
    assert capsys.readouterr().err == f"diagstats: interrupted after writing {out / 'tiny'}; the other reports are " \
                                      "unchanged\n"
    assert _version(out / "tiny") == "new" and sorted(p.name for p in out.iterdir()) == ["tiny"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


# -- replacing a report folder -------------------------------------------------------------------------

OLD = Report(name="tiny", title="Old", question="?", sections=(), key_numbers={"version": "old"})
NEW = Report(name="tiny", title="New", question="?", sections=(), key_numbers={"version": "new"})
BROKEN = Report(name="tiny", title="Broken", question="?", sections=(), key_numbers={"version": float("nan")})


def _write_killed_at(step: int, out: Path, exchange: bool) -> bool:
    """Write NEW in a child process killed (os._exit: no cleanup runs) before its ``step``-th file system move.

    The moves are the chmod that ends staging, the exchange or the renames, and the deletion of the old
    folder. Returns whether the write finished before reaching ``step``.
    """
    pid = os.fork()
    if pid == 0:                                              # pragma: no cover (child)
        calls = itertools.count()

        def killed_before(fn):
            def move(*args, **kwargs):
                if next(calls) == step:
                    os._exit(9)
                return fn(*args, **kwargs)
            return move

        os.chmod, os.replace, shutil.rmtree = (killed_before(f) for f in (os.chmod, os.replace, shutil.rmtree))
        writer._exchange = killed_before(writer._exchange) if exchange else (lambda a, b: False)
        writer.write(NEW, out)
        os._exit(0)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0


@pytest.mark.skipif(not hasattr(os, "fork"), reason="simulates kills with os.fork")
@pytest.mark.parametrize("exchange", [True, False], ids=["atomic exchange", "two renames"])
def test_a_kill_at_any_step_leaves_a_report_that_the_next_write_repairs(tmp_path, exchange):
    if exchange and not sys.platform.startswith("linux"):
        pytest.skip("the atomic exchange is Linux's renameat2")
    for step in itertools.count():
        out = tmp_path / str(step)
        writer.write(OLD, out)
        finished = _write_killed_at(step, out, exchange)
        target = out / "tiny"
        if exchange or step != 2:              # kill after the first of the two renames: no out/tiny, until ...
            assert _version(target) in {"old", "new"}, step
        else:
            assert not target.exists()
        with pytest.raises(ValueError):          # ... a later write (one that fails, even) puts it back
            writer.write(BROKEN, out)
        assert _version(target) == ("new" if finished or step > (1 if exchange else 2) else "old"), step
        assert sorted(p.name for p in out.iterdir()) == ["tiny"], step
        if finished:
            assert step == (3 if exchange else 4)
            break


@pytest.mark.parametrize("exchange", [True, False], ids=["atomic exchange", "two renames"])
@pytest.mark.parametrize("failing", ["os.replace", "_exchange", "shutil.rmtree"])
def test_a_failing_move_keeps_the_old_or_the_new_report_and_no_hidden_folder(tmp_path, monkeypatch, exchange,
                                                                              failing):
    writer.write(OLD, tmp_path)
    if not exchange:
        monkeypatch.setattr(writer, "_exchange", lambda a, b: False)
    module, name = {"os.replace": (os, "replace"), "_exchange": (writer, "_exchange"),
                    "shutil.rmtree": (shutil, "rmtree")}[failing]
    original = getattr(module, name)
    calls = itertools.count()

    def fails_once(*args, **kwargs):   # the second os.replace of the renames: after the old one moved aside
        if next(calls) == (1 if failing == "os.replace" else 0):
            raise OSError(errno.EIO, "Input/output error")
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, fails_once)
    try:
        writer.write(NEW, tmp_path)
    except OSError:
        pass
    monkeypatch.undo()
    assert _version(tmp_path / "tiny") in {"old", "new"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tiny"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the atomic exchange is Linux's renameat2")
def test_on_linux_the_old_folder_is_never_renamed_aside(tmp_path, monkeypatch):
    writer.write(OLD, tmp_path)

    def no_rename_over_a_report(src, dst):
        raise AssertionError(f"renamed {src} -> {dst}: the exchange should have been used")

    monkeypatch.setattr(os, "replace", no_rename_over_a_report)
    writer.write(NEW, tmp_path)
    assert _version(tmp_path / "tiny") == "new" and [p.name for p in tmp_path.iterdir()] == ["tiny"]


def test_stale_folders_of_a_killed_run_are_cleaned_and_a_retired_report_is_put_back(tmp_path):
    writer.write(OLD, tmp_path)
    retired = tmp_path / ".tiny-old-k1ll3d_x"
    retired.mkdir()
    (tmp_path / "tiny").rename(retired / "tiny")              # killed between the two renames
    (tmp_path / ".tiny-abcd1234").mkdir()                    # a staging folder of a killed run
    (tmp_path / ".tiny-abcd1234" / "index.html").write_text("half")
    (tmp_path / ".tiny-x-abcd1234").mkdir()                  # not ours: another report's staging folder
    (tmp_path / "tiny-x").mkdir()
    with pytest.raises(ValueError):
        writer.write(BROKEN, tmp_path)
    assert _version(tmp_path / "tiny") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".tiny-x-abcd1234", "tiny", "tiny-x"]
    (tmp_path / ".tiny-9zzzzzzz").mkdir()
    writer.write(NEW, tmp_path)
    assert _version(tmp_path / "tiny") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".tiny-x-abcd1234", "tiny", "tiny-x"]
