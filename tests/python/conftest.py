"""Fixtures for the tests against a real `kansrijk serve`.

One server of each kind is started per test session, on a fresh temporary store (so the
first start loads the embedded default data) and on a free local port.

Environment:
    KANSRIJK_BIN  path to the binary (default: <repo>/target/release/kansrijk)
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT_S = 120


def pytest_configure(config: pytest.Config) -> None:
    # SPARQLWrapper converts RDF/XML and JSON-LD into an rdflib ConjunctiveGraph,
    # which rdflib 7 deprecates; that is not something these tests judge.
    config.addinivalue_line(
        "filterwarnings", "ignore:ConjunctiveGraph is deprecated:DeprecationWarning"
    )
    # rdflib's own N-Quads / TriG parsers still use this deprecated attribute internally.
    config.addinivalue_line(
        "filterwarnings", "ignore:Dataset.default_context is deprecated:DeprecationWarning"
    )


@dataclass(frozen=True)
class Server:
    base_url: str  # http://127.0.0.1:PORT
    endpoint: str  # http://127.0.0.1:PORT/sparql
    log_path: Path  # stdout + stderr of the server process

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def _binary() -> Path:
    binary = Path(os.environ.get("KANSRIJK_BIN", REPO_ROOT / "target/release/kansrijk"))
    if not binary.is_absolute():
        binary = REPO_ROOT / binary
    if not binary.is_file():
        pytest.exit(f"kansrijk binary not found at {binary} (set KANSRIJK_BIN)", returncode=2)
    return binary


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(endpoint: str) -> bool:
    url = endpoint + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


@contextlib.contextmanager
def _serve(extra_args: list[str] | None = None, port: int | None = None) -> Iterator[Server]:
    """Runs `kansrijk serve` on a fresh store until the block ends."""
    binary = _binary()
    data_dir = Path(tempfile.mkdtemp(prefix="kansrijk-pytest-"))
    port = port or _free_port()
    log_path = data_dir.parent / f"{data_dir.name}.log"
    base_url = f"http://127.0.0.1:{port}"
    endpoint = f"{base_url}/sparql"

    with open(log_path, "wb") as log_file:
        process = subprocess.Popen(
            [str(binary), "--data", str(data_dir), "serve", "--bind", f"127.0.0.1:{port}", *(extra_args or [])],
            stdout=log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    srv = Server(base_url=base_url, endpoint=endpoint, log_path=log_path)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not _answers(endpoint):
            if process.poll() is not None:
                pytest.exit(
                    f"kansrijk serve exited with code {process.returncode} before answering:\n{srv.log()}",
                    returncode=3,
                )
            if time.monotonic() > deadline:
                pytest.exit(
                    f"kansrijk serve did not answer on {endpoint} within {STARTUP_TIMEOUT_S} s:\n{srv.log()}",
                    returncode=3,
                )
            time.sleep(0.25)
        yield srv
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(data_dir, ignore_errors=True)
        log_path.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    with _serve() as srv:
        yield srv


@pytest.fixture(scope="session")
def published_server() -> Iterator[Server]:
    """A deployment that publishes its IRIs under its own address (`--base`), so that every
    IRI in its data dereferences to it."""
    port = _free_port()
    with _serve(["--base", f"http://127.0.0.1:{port}/"], port) as srv:
        yield srv


WRITE_TOKEN = "pytest-0123456789abcdef"
WRITABLE_GRAPH = "https://w3id.org/kansrijk/graph/sociale-kaart-pytest"


@pytest.fixture(scope="session")
def writable_server() -> Iterator[Server]:
    """A server with the demo social map that accepts writes to WRITABLE_GRAPH with WRITE_TOKEN."""
    tokens = Path(tempfile.mkdtemp(prefix="kansrijk-pytest-tokens-")) / "tokens"
    tokens.write_text(f"pytest {WRITE_TOKEN} {WRITABLE_GRAPH}\n")
    with _serve(["--write-token-file", str(tokens), "--demo"]) as srv:
        yield srv
    shutil.rmtree(tokens.parent, ignore_errors=True)


@pytest.fixture(scope="session")
def endpoint(server: Server) -> str:
    return server.endpoint
