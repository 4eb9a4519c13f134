"""Issue 22, finding 7: the access logs of deploy/ keep no query string (domain.md §9: no personal
data in logs). A NIK in a URL — a search link, a page linked from one (the Referer) — must not
reach gunicorn's or nginx's access log.

Both tests render a log line for a request that carries a NIK, the way each server would, from
the configuration as deployed."""

import datetime as dt
import re
import shlex
import sys
from pathlib import Path
from types import SimpleNamespace

from gunicorn.app.wsgiapp import WSGIApplication
from gunicorn.glogging import Logger

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
NIK = "6402061205800001"
PATH = "/pekerja/"
QUERY = f"nik={NIK}&nama=Budi+Santoso"


def _gunicorn_argv() -> list[str]:
    unit = (DEPLOY / "lindungi-web.service").read_text()
    [line] = [x for x in unit.splitlines() if x.startswith("ExecStart=")]
    argv = shlex.split(line.removeprefix("ExecStart="))
    assert argv[0].endswith("/gunicorn")
    # The unit runs from /srv/lindungi/app, this repository's place on the server.
    return [arg.replace("/srv/lindungi/app/", f"{ROOT}/") for arg in argv]


def test_gunicorn_access_log_has_the_path_without_the_query_string(tmp_path, monkeypatch):
    argv = _gunicorn_argv()
    assert "%" not in " ".join(argv)  # systemd would expand %-specifiers in ExecStart
    monkeypatch.setattr(sys, "argv", argv)
    app = WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]")  # reads the arguments and --config
    cfg = app.cfg
    assert cfg.accesslog == "-"  # the unit does log requests
    log_file = tmp_path / "access.log"
    cfg.set("accesslog", str(log_file))
    logger = Logger(cfg)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"{PATH}?{QUERY}",
        "PATH_INFO": PATH,
        "QUERY_STRING": QUERY,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": f"https://lindungi.example.go.id/pekerja/?{QUERY}",
        "HTTP_USER_AGENT": "Mozilla/5.0",
    }
    request = SimpleNamespace(
        headers=[("REFERER", environ["HTTP_REFERER"]), ("USER-AGENT", "Mozilla/5.0")]
    )
    response = SimpleNamespace(status="200 OK", sent=1234, headers=[])
    logger.access(response, request, environ, dt.timedelta(milliseconds=42))
    for handler in logger.access_log.handlers:
        handler.flush()
    line = log_file.read_text()
    assert f"GET {PATH} HTTP/1.1" in line and " 200 " in line
    assert NIK not in line and "nik=" not in line and "Budi" not in line, line


# nginx variables, as nginx would set them for the request above.
NGINX_VALUES = {
    "remote_addr": "203.0.113.7",
    "remote_user": "-",
    "time_local": "07/Dec/2026:10:00:00 +0800",
    "time_iso8601": "2026-12-07T10:00:00+08:00",
    "request_method": "GET",
    "uri": PATH,
    "server_protocol": "HTTP/1.1",
    "status": "200",
    "body_bytes_sent": "1234",
    "bytes_sent": "1500",
    "request_time": "0.042",
    "upstream_response_time": "0.040",
    "http_user_agent": "Mozilla/5.0",
    "host": "lindungi.example.go.id",
    # the ones that carry the query string
    "request": f"GET {PATH}?{QUERY} HTTP/1.1",
    "request_uri": f"{PATH}?{QUERY}",
    "args": QUERY,
    "query_string": QUERY,
    "is_args": "?",
    "arg_nik": NIK,
    "http_referer": f"https://lindungi.example.go.id/pekerja/?{QUERY}",
}


STRING = re.compile(r"'([^']*)'|\"([^\"]*)\"")
LOG_FORMAT = re.compile(
    r"^\s*log_format\s+(\w+)\s+(?:escape=\w+\s+)?((?:'[^']*'|\"[^\"]*\"|\s)+);", re.M
)


def _nginx_formats(text: str) -> dict[str, str]:
    """log_format NAME 'part' 'part' …; → {NAME: the parts joined}."""
    return {
        m.group(1): "".join(a or b for a, b in STRING.findall(m.group(2)))
        for m in LOG_FORMAT.finditer(text)
    }


def _server_blocks(text: str) -> list[str]:
    blocks, depth, start = [], 0, None
    for match in re.finditer(r"\bserver\s*\{|\{|\}", text):
        token = match.group(0)
        if token.startswith("server") and depth == 0:
            start, depth = match.start(), 1
        elif token == "{" and start is not None:
            depth += 1
        elif token == "}" and start is not None:
            depth -= 1
            if depth == 0:
                blocks.append(text[start : match.end()])
                start = None
    return blocks


def test_nginx_access_log_has_the_path_without_the_query_string():
    text = re.sub(r"#[^\n]*", "", (DEPLOY / "nginx.conf").read_text())
    formats = _nginx_formats(text)
    servers = _server_blocks(text)
    assert len(servers) == 2
    for server in servers:
        # without an access_log of its own a server logs nginx's "combined" format: "$request"
        [(_, fmt)] = re.findall(r"^\s*access_log\s+(\S+)\s+(\w+)\s*;", server, re.M)
        assert fmt in formats, fmt
        line = re.sub(
            r"\$(\w+)|\$\{(\w+)\}",
            lambda m: NGINX_VALUES[m.group(1) or m.group(2)],  # an unknown variable: a KeyError
            formats[fmt],
        )
        assert f"GET {PATH} HTTP/1.1" in line, line
        assert NIK not in line and "nik=" not in line and "Budi" not in line, line
