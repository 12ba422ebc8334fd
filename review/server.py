"""Run the review application with uvicorn: on loopback by default, elsewhere only with a token.

>>> is_local("127.0.0.1"), is_local("localhost"), is_local("::1"), is_local("0.0.0.0")
(True, True, True, False)
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

from tasksheet.registry.db import sqlite_file
from tasksheet.review.app import TOKEN_ENV, create_app
from tasksheet.schemas.errors import TasksheetError

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8765
LOCAL_NAMES = ("localhost", "127.0.0.1", "::1", "[::1]")


def is_local(host: str) -> bool:
    """Whether `host` is a loopback address (only this machine can connect)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_host(host: str, token: str | None) -> list[str] | None:
    """The Host names to accept, or an error for a non-local address without a token."""
    if is_local(host):
        # A page elsewhere may resolve its own name to 127.0.0.1 (DNS rebinding): only the
        # loopback names reach the application.
        return [*LOCAL_NAMES, host]
    if not token:
        raise TasksheetError(
            f"refusing to serve on {host}, which other machines can reach, without a token: "
            f"set {TOKEN_ENV} (every reviewer then types it once), or keep the default "
            f"--host {DEFAULT_HOST}")
    return None


def serve(registry: str, out: Path | None, host: str = DEFAULT_HOST,
          port: int = DEFAULT_PORT, token: str | None = None) -> None:
    """Serve the review pages until interrupted."""
    import uvicorn

    token = token if token is not None else os.environ.get(TOKEN_ENV) or None
    allowed = check_host(host, token)
    path = sqlite_file(registry)
    if path is not None and not path.exists():
        raise TasksheetError(f"no registry at {path}: run `tasksheet run` first")
    app = create_app(registry, out, token=token, allowed_hosts=allowed)
    print(f"tasksheet review: http://{host}:{port}/ (Ctrl-C to stop)", flush=True)
    uvicorn.run(app, host=host.strip("[]"), port=port, log_level="warning")
