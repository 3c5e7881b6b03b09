"""The per-install token and the service's own folder.

The folder is ``~/.juesuan`` (``JUESUAN_HOME`` overrides it, for tests and portable installs).
The token — 32 random bytes, URL-safe — is created once in ``<folder>/token`` with mode 0600 and
read back on every start; everything the service writes goes under ``<folder>/service``.
"""

from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path

from juesuan.errors import InputError, Location

TOKEN_FILE = "token"
MIN_LENGTH = 32


def home() -> Path:
    """The user's juesuan folder (``JUESUAN_HOME`` or ``~/.juesuan``)."""
    override = os.environ.get("JUESUAN_HOME")
    return Path(override) if override else Path.home() / ".juesuan"


def service_dir() -> Path:
    """Where the service writes (work copies, results, LibreOffice's profile): nowhere else."""
    return home() / "service"


def token_path() -> Path:
    return home() / TOKEN_FILE


def load_or_create() -> str:
    """The install's token, created on first use (mode 0600, folder 0700)."""
    path = token_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            token = path.read_text(encoding="ascii").strip()
            if len(token) >= MIN_LENGTH and token.replace("-", "").replace("_", "").isalnum():
                _tighten(path)
                return token
        token = secrets.token_urlsafe(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(token + "\n")
        _tighten(path)
        return token
    except OSError as exc:
        raise InputError(f"无法读写令牌文件：{exc.strerror or exc}", f"cannot read or write the token file: {exc}",
                         Location(file=str(path))) from None


def _tighten(path: Path) -> None:
    """Owner-only permissions where the system has them (POSIX); a no-op elsewhere."""
    if os.name == "posix":
        os.chmod(path, 0o600)
        os.chmod(path.parent, 0o700)


def matches(given: str | None, token: str) -> bool:
    """Constant-time comparison of a presented token with the install's."""
    return given is not None and hmac.compare_digest(given.encode("utf-8", "replace"), token.encode("ascii"))
