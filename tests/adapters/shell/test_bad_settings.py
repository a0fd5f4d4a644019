"""Settings that only go wrong together, or that name a file or an address: each stops every
command with one line naming the variable and exit status 2, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from joserfc.jwk import ECKey

from tests.adapters.shell.test_startup_problems import circlebot

TWILIO = {"TWILIO_ACCOUNT_SID": "AC" + "0" * 32, "TWILIO_FROM_NUMBER": "+15005550006"}


@pytest.mark.parametrize(
    ("environment", "line"),
    [
        (
            {"CREDENTIAL_KEY_FILE": "{tmp}/nokey.pem"},
            "CREDENTIAL_KEY_FILE cannot be read: {tmp}/nokey.pem: no such file or directory",
        ),
        (
            {"CREDENTIAL_KEY_FILE": "{tmp}/key.jwk"},
            "CREDENTIAL_KEY_FILE needs PUBLIC_BASE_URL: the address where credentials are checked",
        ),
        (
            {"CREDENTIAL_KEY_FILE": "{tmp}/notakey.txt", "PUBLIC_BASE_URL": "https://bot.example"},
            "CREDENTIAL_KEY_FILE holds no signing key: {tmp}/notakey.txt: not a private EC "
            "P-256 key",
        ),
        (
            {"TRUSTED_PROXIES": "10.0.0.0/8, banana"},
            "TRUSTED_PROXIES must be addresses or networks, comma-separated, e.g. 10.0.0.0/8 "
            "(got banana)",
        ),
        (
            TWILIO,
            "TWILIO_ACCOUNT_SID is set but TWILIO_AUTH_TOKEN is not",
        ),
        (
            {**TWILIO, "TWILIO_AUTH_TOKEN": "secret", "TWILIO_FROM_NUMBER": ""},
            "TWILIO_ACCOUNT_SID needs TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID",
        ),
        (
            {"AT_USERNAME": "sandbox"},
            "AT_USERNAME is set but AT_API_KEY is not",
        ),
    ],
)
def test_a_bad_setting_is_one_line_naming_it(
    tmp_path: Path, environment: dict[str, str], line: str
) -> None:
    (tmp_path / "key.jwk").write_text(json.dumps(ECKey.generate_key("P-256").as_dict(private=True)))
    (tmp_path / "notakey.txt").write_text("hello")
    values = {name: value.format(tmp=tmp_path) for name, value in environment.items()}

    result = circlebot("run", DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}", **values)  # type: ignore[arg-type]

    assert result.returncode == 2, result.stderr
    [shown] = result.stderr.splitlines()
    assert shown.startswith("circlebot: " + line.format(tmp=tmp_path))
    assert not (tmp_path / "bot.db").exists()  # stopped before touching anything
