"""scripts/dev: the links in e-mails point at the port it serves on.

The script runs for real, in a copy of itself beside a stand-in virtualenv
whose `python` and `celery` only note how they were called: no install, no
database, no server."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "dev"

STUB_PYTHON = """#!/usr/bin/env bash
# A here-document on standard input: read it and do nothing.
if [ "$1" = "-" ]; then cat >/dev/null; exit 0; fi
echo "$* SITE_URL=${SITE_URL:-}" >>"$STUB_LOG"
"""


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "project"
    (root / "scripts").mkdir(parents=True)
    shutil.copy(SCRIPT, root / "scripts" / "dev")
    bin_dir = root / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "activate").write_text(f'export PATH="{bin_dir}:$PATH"\n')
    for name, text in {
        "python": STUB_PYTHON,
        "celery": "#!/usr/bin/env bash\nexec sleep 30\n",
    }.items():
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)
    return root


def _run(project: Path, **env: str) -> list[str]:
    log = project / "calls.log"
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SITE_URL", "PORT", "DATABASE_URL", "REDIS_URL", "DEBUG")
    }
    result = subprocess.run(
        ["bash", str(project / "scripts" / "dev")],
        env={**base, "STUB_LOG": str(log), "VAR_DIR": str(project / "var"), **env},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return log.read_text().splitlines()


def _runserver(calls: list[str]) -> str:
    return next(c for c in calls if "manage.py runserver" in c)


def test_site_url_follows_the_port(project):
    """Issue 9: on port 8123 the e-mails link to http://localhost:8123, from
    the demo data on (seed_demo) to the server."""
    calls = _run(project, PORT="8123")

    assert _runserver(calls) == "manage.py runserver 0.0.0.0:8123 SITE_URL=http://localhost:8123"
    seed = next(c for c in calls if "manage.py seed_demo" in c)
    assert seed.endswith("SITE_URL=http://localhost:8123")


def test_site_url_defaults_to_port_8000(project):
    calls = _run(project)

    assert _runserver(calls) == "manage.py runserver 0.0.0.0:8000 SITE_URL=http://localhost:8000"


def test_a_site_url_given_is_kept(project):
    calls = _run(project, PORT="8123", SITE_URL="https://secretariat.example.org")

    assert _runserver(calls) == (
        "manage.py runserver 0.0.0.0:8123 SITE_URL=https://secretariat.example.org"
    )
