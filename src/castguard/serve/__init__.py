"""``castguard serve``: the agent's desk in a browser, on their own machine (README: "castguard serve").

A local web app (Starlette, served by uvicorn) that does the whole single-deal job: upload a contract, read the
review report, confirm the deal facts, download the addendum and the redline, and add the contract to a batch
run store. :func:`run` binds the address (127.0.0.1 unless told otherwise), starts the warm worker processes
(:mod:`.pool`) and serves until Ctrl-C; :mod:`.app` is the app and its safety checks.
"""

from __future__ import annotations

import atexit
import ipaddress
import os
import shutil
import socket
import sys
import tempfile
from collections.abc import Callable

import python_multipart  # noqa: F401  Starlette reads forms with it (imported lazily there: missing, every upload would fail)
import uvicorn

from ..errors import CastguardError
from .app import Config, create_app

__all__ = ["Config", "bind", "create_app", "is_loopback", "run"]

LOOPBACK_NAMES = ("localhost",)


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port`` (port 0: any free port), or a CastguardError that says what to do."""
    address = "127.0.0.1" if host == "localhost" else host.strip("[]")
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((address, port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        what = "is in use" if exc.errno == 98 else f"cannot be used ({exc.strerror})"
        raise CastguardError(
            f"{address} port {port} {what}; choose another with --port (--port 0: any free port)"
        ) from None
    sock.set_inheritable(True)
    return sock


def run(config: Config, *, open_browser: bool = False, echo: Callable[[str], None] | None = None) -> None:
    """Serve until interrupted; the uploads' private folder is removed on the way out."""
    say = echo or (lambda line: print(line, file=sys.stderr, flush=True))
    sock = bind(config.host, config.port)
    config.port = sock.getsockname()[1]
    shown = config.host if not is_loopback(config.host) else "127.0.0.1"
    url = f"http://{'[' + shown + ']' if ':' in shown else shown}:{config.port}/"
    app, state = create_app(config)
    atexit.register(shutil.rmtree, state.folder, True)
    # every temporary file of this process and its workers goes into the private folder too: an upload over
    # 1 MB that Starlette's form parser spools to disk, a worker's scratch files
    tempfile.tempdir = str(state.folder)
    os.environ["TMPDIR"] = str(state.folder)

    def ready() -> None:
        say(f"castguard serve: {url} (Ctrl-C to stop); uploads stay in {state.folder}, removed on exit")
        if open_browser:
            import webbrowser

            webbrowser.open(url)

    config.on_ready = ready
    server = uvicorn.Server(
        uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on", timeout_graceful_shutdown=5)
    )
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn stops on Ctrl-C, then raises it again: stopping is the normal way out
        pass
    finally:
        state.stop()
        sock.close()
