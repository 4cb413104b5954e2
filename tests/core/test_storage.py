"""Files go through Django's storage API: FILE_STORAGE picks the local folder
(the default) or an S3-compatible bucket, and nothing else is accepted."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import django, json
django.setup()
from django.conf import settings
from django.core.files.storage import storages
default = settings.STORAGES["default"]
print(json.dumps({"backend": default["BACKEND"], "options": default.get("OPTIONS", {}),
                  "class": type(storages["default"]).__name__}))
"""


def _settings_with(**env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("S3_", "FILE_STORAGE"))}
    environment.update(DJANGO_SETTINGS_MODULE="config.settings", **env)
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_local_folder_is_the_default():
    import json

    run = _settings_with()
    assert run.returncode == 0, run.stderr
    probe = json.loads(run.stdout.strip().splitlines()[-1])
    assert probe["backend"] == "django.core.files.storage.FileSystemStorage"
    assert probe["class"] == "FileSystemStorage"


def test_s3_is_configured_from_the_environment_with_private_objects():
    import json

    run = _settings_with(
        FILE_STORAGE="s3",
        S3_BUCKET="network-files",
        S3_ENDPOINT_URL="https://s3.example.org",
        S3_REGION="eu-west-1",
        S3_ACCESS_KEY_ID="key",
        S3_SECRET_ACCESS_KEY="secret",
        S3_PREFIX="secretariat",
    )
    assert run.returncode == 0, run.stderr
    probe = json.loads(run.stdout.strip().splitlines()[-1])
    assert probe["backend"] == "storages.backends.s3.S3Storage"
    assert probe["class"] == "S3Storage"  # django-storages and boto3 are installed
    options = probe["options"]
    assert options["bucket_name"] == "network-files"
    assert options["endpoint_url"] == "https://s3.example.org"
    assert options["location"] == "secretariat"
    assert options["default_acl"] == "private"
    assert options["file_overwrite"] is False


def test_an_unknown_storage_is_refused_at_start():
    run = _settings_with(FILE_STORAGE="ftp")
    assert run.returncode != 0
    assert "FILE_STORAGE must be local or s3" in run.stderr
