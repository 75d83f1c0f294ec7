"""The README's Python quick start runs as a new user would run it, and no warning reaches the screen."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _quick_start() -> str:
    section = (ROOT / "README.md").read_text().split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert len(blocks) == 1, "the quick start has one Python block"
    return blocks[0]


def test_the_quick_start_runs_with_warnings_as_errors():
    # a fresh interpreter, as a new user's: every warning (deprecations included) is an error
    proc = subprocess.run([sys.executable, "-W", "error", "-c", _quick_start()], capture_output=True, text=True,
                          cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert proc.stdout.startswith("sensitivity 0.985 (95% CI 0.957 to 0.995, Wilson)")
