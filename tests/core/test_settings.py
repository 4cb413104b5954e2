"""Settings come from the environment, strictly: a malformed value stops the
app at start-up, and production values pass `check --deploy` cleanly."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parents[2]


# --- The helpers -----------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["maybe", "2", "tru", "enabled"])
def test_env_bool_refuses_a_malformed_value(monkeypatch, raw):
    monkeypatch.setenv("X", raw)
    with pytest.raises(ImproperlyConfigured, match="X must be a boolean"):
        env_bool("X", False)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("true", True),
        ("TRUE", True),
        (" yes ", True),
        ("1", True),
        ("on", True),
        ("false", False),
        ("0", False),
        ("no", False),
        ("off", False),
        ("", False),
    ],
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("X", raw)
    assert env_bool("X", not expected) is expected


def test_env_bool_default_when_unset(monkeypatch):
    monkeypatch.delenv("X", raising=False)
    assert env_bool("X", True) is True
    assert env_bool("X", False) is False


@pytest.mark.parametrize("raw", ["ten", "1.5", "10s", "0x10"])
def test_env_int_refuses_a_malformed_value(monkeypatch, raw):
    monkeypatch.setenv("X", raw)
    with pytest.raises(ImproperlyConfigured, match="X must be an integer"):
        env_int("X", 1)


def test_env_int_reads_a_number_or_falls_back(monkeypatch):
    monkeypatch.setenv("X", "42")
    assert env_int("X", 1) == 42
    monkeypatch.setenv("X", "")
    assert env_int("X", 7) == 7
    monkeypatch.delenv("X")
    assert env_int("X", 7) == 7


def test_the_settings_read_the_variables_the_readme_lists():
    readme = (ROOT / "README.md").read_text()
    missing = sorted(name for name in _settings_variables() if f"`{name}`" not in readme)
    assert missing == [], f"README.md does not document {missing}"


def test_env_list_and_str(monkeypatch):
    monkeypatch.setenv("X", " a.example.org, b.example.org ,,")
    assert env_list("X", []) == ["a.example.org", "b.example.org"]
    monkeypatch.delenv("X")
    assert env_list("X", ["localhost"]) == ["localhost"]
    assert env_str("X", "fallback") == "fallback"


# --- The settings module in a fresh process --------------------------------------------


def _settings_variables() -> set[str]:
    """Every environment variable config/settings.py reads."""
    source = (ROOT / "config" / "settings.py").read_text()
    return set(re.findall(r'env_(?:str|bool|int|list)\(\s*"([A-Z0-9_]+)"', source))


def _clean_env(tmp_path: Path, **values: str) -> dict[str, str]:
    """This process's environment minus every setting the app reads (but
    DATABASE_URL) and any DJANGO_* variable the test run set, plus `values`."""
    drop = _settings_variables() - {"DATABASE_URL"}
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in drop and not k.startswith(("DJANGO_", "PYTEST"))
    }
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    env["VAR_DIR"] = str(tmp_path / "var")
    env.update(values)
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The production values README.md lists (DATABASE_URL as in this run)."""
    values = {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(45),  # 60 characters
        "ALLOWED_HOSTS": "secretariat.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://secretariat.example.org",
        "SITE_URL": "https://secretariat.example.org",
        "BEHIND_TLS_PROXY": "true",
    }
    values.update(extra)
    assert len(values["SECRET_KEY"]) == 60
    return _clean_env(tmp_path, **values)


def test_check_deploy_is_clean_with_production_values(tmp_path):
    env = production_env(tmp_path)

    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output


def test_check_deploy_flags_the_fallback_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["SECRET_KEY"]

    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)

    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_collectstatic_builds_the_manifest_production_serves(tmp_path):
    """Without DEBUG, static files are hashed and compressed (WhiteNoise's
    manifest storage): `collectstatic` must succeed, and pages must find them."""
    env = production_env(tmp_path, STATIC_ROOT=str(tmp_path / "static"))

    result = _run(["manage.py", "collectstatic", "--noinput", "--verbosity", "0"], env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "static" / "staticfiles.json").is_file()

    code = (
        "import django; django.setup(); from django.templatetags.static import static; "
        "print(static('css/app.css'))"
    )
    result = _run(["-c", code], env)
    assert result.returncode == 0, result.stderr[-2000:]
    hashed = result.stdout.strip().splitlines()[-1]
    assert hashed.startswith("/static/css/app.") and hashed != "/static/css/app.css"


def test_production_values_give_secure_settings(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_PRELOAD, s.SECURE_PROXY_SSL_HEADER, "
        "s.STORAGES['staticfiles']['BACKEND'])"
    )
    result = _run(["-c", code], production_env(tmp_path))

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == (
        "False True True True 31536000 True ('HTTP_X_FORWARDED_PROTO', 'https') "
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


def test_embedded_default_with_nothing_set(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.EMAIL_BACKEND, "
        "s.EMAIL_FILE_PATH)"
    )
    env = _clean_env(tmp_path)
    env.pop("DATABASE_URL", None)

    result = _run(["-c", code], env)

    assert result.returncode == 0, result.stderr
    engine, broker, backend, mail_dir = result.stdout.strip().splitlines()[-1].split(" ")
    assert engine == "django.db.backends.sqlite3"
    assert broker == "filesystem://"
    assert backend == "django.core.mail.backends.filebased.EmailBackend"
    assert mail_dir == str(tmp_path / "var" / "mail")


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("REDIS_URL", "http://x", "REDIS_URL must be a redis:// URL"),
        ("DEBUG", "maybe", "DEBUG must be a boolean"),
        ("EMAIL_PORT", "twenty-five", "EMAIL_PORT must be an integer"),
    ],
)
def test_malformed_environment_stops_the_app_at_start_up(tmp_path, name, value, message):
    env = _clean_env(tmp_path, **{name: value})

    result = _run(["-c", "import django; django.setup()"], env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr
