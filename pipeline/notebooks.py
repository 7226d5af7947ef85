"""Run the analyst notebooks headless over a folder of tables and write each as an HTML report."""

from __future__ import annotations

import os
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def run_notebooks(tables: Path, out: Path, timeout: int = 600) -> list[Path]:
    """Execute every notebook in notebooks/ against TABLES; write OUT/<name>.html for each.

    An error in any cell fails the run (nbclient raises), so a schema change that breaks a notebook breaks
    the build.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    os.environ["VNEXTRACT_TABLES"] = str(tables.resolve())
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        NotebookClient(
            notebook, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}
        ).execute()
        html, _ = HTMLExporter().from_notebook_node(notebook)
        target = out / f"{path.stem}.html"
        target.write_text(html, encoding="utf-8")
        written.append(target)
    return written
