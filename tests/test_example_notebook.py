"""The example notebook runs from top to bottom (so the Jupyter path cannot silently break)."""

import os
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "analyses" / "example.ipynb"


def test_example_notebook_executes_and_displays_the_report(monkeypatch):
    # the kernel runs in analyses/, as when a user opens the notebook there; it imports this checkout's diagstats
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(notebook, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert not [o["text"] for o in outputs if o.output_type == "stream" and o["name"] == "stderr"]  # no warnings
    html = [o["data"]["text/html"] for o in outputs if o.output_type == "execute_result" and "text/html" in o["data"]]
    assert any("Accuracy of percutaneous image-guided needle biopsy" in h and "<svg" in h for h in html)
    printed = "".join(o["text"] for o in outputs if o.output_type == "stream" and o["name"] == "stdout")
    assert printed.startswith("biopsy accuracy 0.")
