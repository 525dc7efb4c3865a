"""The README's reverse proxy: nginx with deploy/nginx.conf in front of a running dashboard.

The test makes a self-signed certificate, copies deploy/nginx.conf into a temporary prefix with
only the marked lines changed (ports, certificate paths, log and pid files, the app's address),
starts nginx in the foreground, and checks what a browser would get: TLS, the security headers
on pages and on the health check, the HTTP-to-HTTPS redirect, and the app itself working through
the proxy (its websocket included) without a single Content Security Policy violation.
"""

from __future__ import annotations

import http.client
import re
import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.support.browser import (
    DEMO_LOGINS,
    SETTLE_TIMEOUT_MS,
    VIEWPORT,
    free_port,
    sign_in,
    wait_for_app,
)
from tests.support.paths import ROOT

CONFIG = ROOT / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

EXPECTED_HEADERS = {
    "strict-transport-security": re.compile(r"max-age=\d{8,}"),
    "content-security-policy": re.compile(
        r"default-src 'self'.*img-src 'self' data: blob: https://fonts\.gstatic\.com;"
        r".*frame-ancestors 'self'.*object-src 'none'"
    ),
    "x-frame-options": re.compile("^SAMEORIGIN$"),
    "x-content-type-options": re.compile("^nosniff$"),
    "referrer-policy": re.compile("^no-referrer$"),
}


@dataclass(frozen=True)
class Proxy:
    https_port: int
    http_port: int

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"


def _replace_once(text: str, pattern: str, replacement: str) -> str:
    new, count = re.subn(pattern, replacement, text, flags=re.MULTILINE)
    assert count >= 1, f"deploy/nginx.conf no longer has a line matching {pattern!r}"
    return new


def _local_config(prefix: Path, app_port: int, https_port: int, http_port: int) -> str:
    """deploy/nginx.conf with only the deployment-specific lines pointed at the test's files."""
    text = CONFIG.read_text()
    text = _replace_once(text, r"^pid .*;$", f"pid {prefix}/nginx.pid;")
    text = _replace_once(text, r"^error_log .*;$", f"error_log {prefix}/error.log warn;")
    text = _replace_once(
        text, r"^(\s*)access_log /var/log/nginx/access.log;", rf"\1access_log {prefix}/access.log;"
    )
    text = _replace_once(text, r"server 127\.0\.0\.1:8501;", f"server 127.0.0.1:{app_port};")
    text = _replace_once(text, r"listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;")
    text = _replace_once(text, r"listen 80;", f"listen 127.0.0.1:{http_port};")
    text = _replace_once(text, r"ssl_certificate +\S+;", f"ssl_certificate {prefix}/cert.pem;")
    text = _replace_once(
        text, r"ssl_certificate_key +\S+;", f"ssl_certificate_key {prefix}/key.pem;"
    )
    # Running as root in CI: keep worker processes able to use the temporary prefix.
    return "user root;\n" + text


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited with {process.returncode}:\n{log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nginx did not listen on {port}:\n{log.read_text()}")


@pytest.fixture(scope="module")
def proxy(live_server, tmp_path_factory) -> Iterator[Proxy]:
    if not Path(NGINX).is_file():
        pytest.skip("nginx is not installed (apt-get install -y nginx): proxy test skipped")
    prefix = tmp_path_factory.mktemp("nginx")
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-keyout",
            str(prefix / "key.pem"),
            "-out",
            str(prefix / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )
    https_port, http_port = free_port(), free_port()
    app_port = urlparse(live_server.url).port
    conf = prefix / "nginx.conf"
    conf.write_text(_local_config(prefix, app_port, https_port, http_port))
    log = prefix / "nginx-stdout.log"
    command = [
        NGINX,
        "-p",
        str(prefix),
        "-c",
        str(conf),
        "-e",
        str(prefix / "error.log"),
        "-g",
        "daemon off;",
    ]
    check = subprocess.run([*command[:-2], "-t"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_for_port(https_port, process, prefix / "error.log")
        yield Proxy(https_port=https_port, http_port=http_port)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


def _get(port: int, path: str, *, tls: bool = True) -> http.client.HTTPResponse:
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # the test's own self-signed certificate
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(
            "127.0.0.1", port, context=context, timeout=15
        )
    else:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    connection.request("GET", path, headers={"Host": "qa.example.org"})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


@pytest.mark.parametrize("path", ["/", "/_stcore/health", "/no-such-page"])
def test_every_response_through_the_proxy_carries_the_security_headers(proxy, path):
    response = _get(proxy.https_port, path)
    assert response.status == 200  # Streamlit answers unknown paths with the app shell too
    for name, pattern in EXPECTED_HEADERS.items():
        value = response.getheader(name)
        assert value is not None, f"{name} missing on {path}"
        assert pattern.search(value), f"{name}: {value!r}"
    assert "nginx/" not in (response.getheader("server") or "")  # no version on show


def test_the_health_check_answers_ok_through_the_proxy(proxy):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    connection = http.client.HTTPSConnection(
        "127.0.0.1", proxy.https_port, context=context, timeout=15
    )
    connection.request("GET", "/_stcore/health")
    assert connection.getresponse().read() == b"ok"
    connection.close()


def test_plain_http_is_redirected_to_https(proxy):
    response = _get(proxy.http_port, "/audit-log", tls=False)
    assert response.status == 301
    assert response.getheader("location") == "https://qa.example.org/audit-log"


def test_the_app_works_through_the_proxy_without_csp_violations(proxy, browser, ui):
    context = browser.new_context(viewport=VIEWPORT, ignore_https_errors=True)
    violations: list[str] = []
    try:
        page = context.new_page()
        page.on(
            "console",
            lambda message: (
                violations.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        page.goto(proxy.url)
        wait_for_app(page)  # the websocket connected through the proxy
        expect(page.get_by_role("button", name="Sign in")).to_be_visible()
        username, password = DEMO_LOGINS["qa_officer"]
        sign_in(page, username, password)
        page.get_by_role("heading", name="Overview", exact=True).first.wait_for()
        page.goto(f"{proxy.url}/mash")
        wait_for_app(page)
        page.locator('[data-testid="stVegaLiteChart"]').first.wait_for(timeout=SETTLE_TIMEOUT_MS)
        ui.screenshot(page, "through-nginx-mash")
    finally:
        context.close()
    assert violations == []


def test_the_proxy_pins_a_browser_to_one_process_with_a_route_cookie(proxy):
    """Sticky sessions for several processes: a first visit gets a random route id, and a browser
    that sends it back keeps it (so its websocket, uploads and downloads reach one process)."""
    first = _get(proxy.https_port, "/")
    cookies = [v for k, v in first.getheaders() if k.lower() == "set-cookie"]
    route = next((c for c in cookies if c.startswith("lscp_route=")), None)
    assert route is not None, cookies
    assert "HttpOnly" in route and "Secure" in route and "SameSite=Strict" in route
    value = route.split(";", 1)[0].split("=", 1)[1]
    assert len(value) >= 16

    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    connection = http.client.HTTPSConnection(
        "127.0.0.1", proxy.https_port, context=context, timeout=15
    )
    connection.request(
        "GET", "/", headers={"Host": "qa.example.org", "Cookie": f"lscp_route={value}"}
    )
    again = connection.getresponse()
    again.read()
    connection.close()
    kept = [
        v
        for k, v in again.getheaders()
        if k.lower() == "set-cookie" and v.startswith("lscp_route=")
    ]
    assert kept and kept[0].split(";", 1)[0] == f"lscp_route={value}"
