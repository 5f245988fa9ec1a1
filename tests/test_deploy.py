"""deploy/ as an operator installs it: the systemd units verified by ``systemd-analyze`` (where
the tool exists), the nginx site checked by ``nginx -t`` and then run in front of the real web
app (where Debian's nginx is installed): HTTPS reaches it with the scheme forwarded, so the
cookies are Secure; the forwarded headers are trusted from the configured addresses only."""

from __future__ import annotations

import asyncio
import re
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from bot.config import Settings
from bot.service import ChatService
from tests.conftest import ROOT
from tests.web_visitor import PAGE_HEADERS, serving

DEPLOY = ROOT / "deploy"
UNITS = ("biaogan.service", "biaogan-backup.service", "biaogan-backup.timer")
INSTALLED_BIAOGAN = "/opt/biaogan/venv/bin/biaogan"
SYSTEMD_ANALYZE = shutil.which("systemd-analyze")
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
OPENSSL = shutil.which("openssl")


def installed_units(tmp_path: Path) -> list[Path]:
    """The units as installed, the program's path the one of this checkout (systemd-analyze
    checks that the ExecStart program exists)."""
    here = str(Path(sys.executable).parent / "biaogan")
    paths = []
    for name in UNITS:
        text = (DEPLOY / name).read_text(encoding="utf-8")
        (tmp_path / name).write_text(text.replace(INSTALLED_BIAOGAN, here), encoding="utf-8")
        paths.append(tmp_path / name)
    return paths


def test_the_units_say_what_the_issue_asks():
    service = (DEPLOY / "biaogan.service").read_text(encoding="utf-8")
    for line in ("User=biaogan", "Restart=on-failure", "EnvironmentFile=/etc/biaogan/biaogan.env",
                 "StateDirectory=biaogan", "ProtectSystem=strict", "NoNewPrivileges=yes",
                 f"ExecStart={INSTALLED_BIAOGAN} run", "RestartPreventExitStatus=2"):  # fmt: skip
        assert line in service.splitlines(), line
    backup = (DEPLOY / "biaogan-backup.service").read_text(encoding="utf-8")
    assert f"ExecStart={INSTALLED_BIAOGAN} backup /var/backups/biaogan --keep 14" in backup
    timer = (DEPLOY / "biaogan-backup.timer").read_text(encoding="utf-8")
    assert "OnCalendar=*-*-* 03:30:00 Asia/Shanghai" in timer and "Persistent=true" in timer


@pytest.mark.skipif(SYSTEMD_ANALYZE is None, reason="systemd-analyze is not installed here")
def test_systemd_analyze_verifies_the_units_and_rates_the_hardening(tmp_path):
    units = installed_units(tmp_path)
    done = subprocess.run([SYSTEMD_ANALYZE, "verify", *map(str, units)], capture_output=True,
                          text=True, cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr
    for unit, ceiling in ((units[0], 2.0), (units[1], 1.0)):
        rated = subprocess.run([SYSTEMD_ANALYZE, "security", "--offline=true", str(unit)],
                               capture_output=True, text=True, cwd=tmp_path)  # fmt: skip
        level = re.search(r"Overall exposure level for \S+: ([\d.]+)", rated.stdout)
        assert level is not None, rated.stdout + rated.stderr
        assert float(level[1]) <= ceiling, (unit.name, level[1])
    calendar = subprocess.run([SYSTEMD_ANALYZE, "calendar", "*-*-* 03:30:00 Asia/Shanghai"],
                              capture_output=True, text=True)  # fmt: skip
    assert calendar.returncode == 0, calendar.stderr


# ---- nginx ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def certificate(tmp_path):
    if OPENSSL is None:
        pytest.skip("openssl is not installed here")
    key, cert = tmp_path / "privkey.pem", tmp_path / "fullchain.pem"
    subprocess.run([OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=biaogan.example.cn", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)  # fmt: skip
    return key, cert


def nginx_prefix(tmp_path: Path, site: str) -> Path:
    """A prefix of nginx's own (pid, logs, temp folders) that includes ``site``."""
    prefix = tmp_path / "nginx"
    prefix.mkdir()
    (prefix / "site.conf").write_text(site, encoding="utf-8")
    temp = " ".join(f"{kind}_temp_path {prefix}/{kind};" for kind in
                    ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))  # fmt: skip
    (prefix / "nginx.conf").write_text(
        f"worker_processes 1;\npid {prefix}/nginx.pid;\nerror_log {prefix}/error.log;\n"
        "events { worker_connections 64; }\n"
        f"http {{ access_log off; {temp} include {prefix}/site.conf; }}\n",
        encoding="utf-8",
    )
    return prefix


def site_with_certificate(certificate) -> str:
    key, cert = certificate
    site = (DEPLOY / "nginx-biaogan.conf").read_text(encoding="utf-8")
    site = site.replace("/etc/ssl/biaogan/fullchain.pem", str(cert))
    return site.replace("/etc/ssl/biaogan/privkey.pem", str(key))


@pytest.mark.skipif(NGINX is None, reason="nginx is not installed here (apt-get install nginx)")
def test_nginx_accepts_the_site(tmp_path, certificate):
    prefix = nginx_prefix(tmp_path, site_with_certificate(certificate))
    done = subprocess.run([NGINX, "-t", "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "test is successful" in done.stderr


@pytest.mark.skipif(NGINX is None, reason="nginx is not installed here (apt-get install nginx)")
async def test_through_nginx_the_cookies_are_secure_and_metrics_stay_inside(tmp_path, certificate):
    web_port, http_port, https_port = free_port(), free_port(), free_port()
    site = site_with_certificate(certificate)
    site = site.replace("    listen [::]:80;\n", "").replace("    listen [::]:443 ssl http2;\n", "")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
    site = site.replace("http://127.0.0.1:8080", f"http://127.0.0.1:{web_port}")
    prefix = nginx_prefix(tmp_path, site)
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", web_port=web_port)
    service = ChatService.open(settings)
    nginx = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"),
                              "-g", "daemon off;"], stderr=subprocess.PIPE)  # fmt: skip
    try:
        async with serving(settings, service) as direct:
            https = f"https://127.0.0.1:{https_port}"
            async with httpx.AsyncClient(verify=False) as client:
                for _ in range(200):  # nginx starting
                    try:
                        secure = await client.get(f"{https}/api/session", headers=PAGE_HEADERS)
                        break
                    except httpx.ConnectError:
                        await asyncio.sleep(0.05)
                assert secure.status_code == 200, secure.text
                assert "; secure" in secure.headers["set-cookie"].lower()
                assert "strict-transport-security" in secure.headers
                plain = await client.get(f"http://127.0.0.1:{http_port}/x?y=1")
                assert plain.status_code == 301
                assert plain.headers["location"] == "https://127.0.0.1/x?y=1"
                assert (await client.get(f"{https}/metrics")).status_code == 404
                health = await client.get(f"{https}/healthz")
                assert health.status_code in (200, 503) and "database" in health.json()
                assert (await client.get(f"{direct}/metrics")).status_code == 200
                unproxied = await client.get(f"{direct}/api/session", headers=PAGE_HEADERS)
                assert "secure" not in unproxied.headers["set-cookie"].lower()
    finally:
        nginx.send_signal(signal.SIGTERM)
        nginx.wait(timeout=10)
        service.close()


async def test_forwarded_headers_count_only_from_the_allowed_addresses(tmp_path):
    """uvicorn's proxy headers as configured: trusted from BIAOGAN_FORWARDED_ALLOW_IPS only."""
    forged = {**PAGE_HEADERS, "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    for allowed, secure in (("127.0.0.1", True), ("10.1.2.3", False)):
        settings = Settings(_env_file=None, data_dir=tmp_path / allowed, web_port=0,
                            forwarded_allow_ips=allowed)  # fmt: skip
        service = ChatService.open(settings)
        try:
            async with serving(settings, service) as url, httpx.AsyncClient() as client:
                answer = await client.get(f"{url}/api/session", headers=forged)
                assert ("; secure" in answer.headers["set-cookie"].lower()) is secure, allowed
                metrics = await client.get(f"{url}/metrics")
                assert metrics.status_code == 200  # loopback and not forwarded
        finally:
            service.close()


def test_the_servers_settings_file_names_only_settings_and_loads(monkeypatch, tmp_path):
    from bot.config import Settings as Loaded

    names = set()
    for line in (DEPLOY / "biaogan.env").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            names.add(name)
            monkeypatch.setenv(name, value)
    assert {f"BIAOGAN_{f.upper()}" for f in Loaded.model_fields} >= names
    monkeypatch.chdir(tmp_path)
    settings = Loaded()
    assert settings.log_format == "json" and str(settings.data_dir) == "/var/lib/biaogan"
    assert settings.public_url == "https://biaogan.example.cn" and settings.smtp_port is None
