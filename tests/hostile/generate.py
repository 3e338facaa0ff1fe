#!/usr/bin/python3
"""Hostile-input generator driven by docs/api/openapi.yaml (issue 13).

For every operation of the OpenAPI document x every path, query and header parameter and body field (plus the
body as a whole) x a set of hostile value classes x every role (and anonymous), it sends the request to a real
`haven serve` on loopback and checks that the server never answers 5xx, never drops a connection or hangs, and
never changes another site's data: every request is made by site A's accounts, with site B's ids as one of the
value classes; site B's rows are read from the database before the run and at checkpoints during it, and
compared.

    /usr/bin/python3 tests/hostile/generate.py --haven build/haven [--db sqlite|postgresql] [--budget SECONDS]

PostgreSQL needs HAVEN_TEST_PG_URL (scripts/run-tests sets it); the script makes and drops its own database on
that cluster. Exit status: 0 clean, 1 a finding (5xx, dropped connection, hang, cross-site change, or a route of
src/app/routes.cpp missing from the document), 2 the harness itself failed (set-up, seeding).
Only the standard library and PyYAML (Debian's python3-yaml) are used. Output names operations, fields, value
classes and roles — never a value.
"""
import argparse
import base64
import hashlib
import hmac
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import zlib
import ctypes

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROLES = ["administrator", "coordinator", "volunteer", "legal_adviser", "counsellor", "teacher",
         "studio_technician", "emergency_operator", "prisoner_support", "report_editor", "writer"]
PRINCIPALS = ROLES + ["anonymous"]
PASSWORD = "quiet river lantern 7"
SITES = {"A": ("Hostile-A", "Paris", "France", "Europe/Paris"), "B": ("Hostile-B", "Lyon", "France", "Europe/Paris")}
HANG_SECONDS = 40          # a long poll parks for at most 25 s
# Bodies the document does not describe (operations with no requestBody schema although the handler reads one).
# Listed so they are attacked field by field too; the run prints that they are missing from the document.
BODY_SUPPLEMENT = {
    ("post", "/api/v1/sites"): {"type": "object", "properties": {
        "name": {"type": "string"}, "city": {"type": "string"}, "country": {"type": "string"},
        "time_zone": {"type": "string"}, "require_second_factor": {"type": "boolean"}}},
    ("post", "/api/v1/sites/{site}/accounts"): {"type": "object", "properties": {
        "username": {"type": "string"}, "role": {"type": "string", "enum": ROLES}}},
    ("post", "/api/v1/sites/{site}/accounts/{id}/status"): {"type": "object", "properties": {
        "status": {"type": "string", "enum": ["suspended", "active", "offboarded"]}}},
    ("post", "/api/v1/vault/unseal"): {"type": "object", "properties": {
        "passphrase": {"type": "string"}, "operator_keys": {"type": "array", "items": {"type": "string"}}}},
    ("post", "/api/v1/vault/rotate"): {"type": "object", "properties": {"resume": {"type": "boolean"}}},
    ("post", "/api/v1/test/writes"): {"type": "object", "properties": {"id": {"type": "string"}, "payload": {"type": "string"}}},
}
# Values of fields that a generic schema walk cannot guess.
GOOD_BY_NAME = {
    "pseudonym": "Hostile Probe", "birth_date": "1990-04-01", "arrival_date": "2025-01-15", "country": "FR",
    "language": "fr", "due_date": "2027-03-01", "until": "2027-03-02", "start_date": "2026-09-01",
    "time_zone": "Europe/Paris", "opening_hours": "", "username": "hostile-invitee", "title": "Probe",
    "what": "Accompany to the prefecture", "skill": "accompaniment", "show_names": True, "channel": "email",
    "address": "doorbell@example.org", "email": "probe@example.org", "phone": "+33100000000", "real_name": "Probe",
    "nationality": "FR", "messenger": "@probe", "code": "0000", "count": 1, "capacity": 5, "level": "A2", "kind": "room",
    "status": None,  # per operation below
}
GOOD_FOR_FUNDS = {"currency": "EUR", "value_date": "2026-11-02", "amount_minor": 100, "goal_minor": 100000, "risk": "low",
                  "payee": "Probe lawyer", "donor": "Probe donor", "name": "Probe fund"}
ID_FIELDS = {"person_id": "person", "space_id": "room", "site_id": "site", "teacher_id": "teacher",
             "adviser_id": "legal_adviser", "counsellor_id": "counsellor", "volunteer_id": "volunteer",
             "template_id": "template", "registration_id": "registration", "account_id": "victim",
             "site": "site", "institution_id": "institution", "writer_id": "writer", "writer_ids": "writer", "sites": "site", "funder_id": "funder", "grant_id": "grant"}
# Fields left out of the valid request (one of two alternatives); still attacked one by one.
OMIT = {("POST /api/v1/events/{id}/registrations", "first_name"), ("POST /api/v1/sites/{site}/people/import", "dry_run"), ("POST /api/v1/events/{id}/check-in", "registration_id")}
# Kinds of record that belong to no site: no "another site's id" for them.
GLOBAL_KINDS = {"template", "activation", "locator", "probe"}
# Operations that end or use up the record they name get the site's spare record.
SPARE_PATTERNS = [r"^delete ", r"/close$", r"/done$", r"/status$", r"/leave$", r"/release$", r"/discard$"]


def die_with_parent():
    """In the child before exec: the server gets SIGKILL if this script dies, however it dies."""
    os.setsid()
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def log(*a):
    print(*a, flush=True)


# ---------------------------------------------------------------------------------------------------------------
# HTTP over a raw socket: full control over the bytes (invalid UTF-8 in targets, raw NUL, bad JSON) and a clear
# difference between an answer, a dropped connection and a hang.

class Dropped(Exception):
    pass


class Hang(Exception):
    pass


class Reply:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        try:
            return json.loads(self.body.decode("utf-8"))
        except ValueError:
            return None

    def cookies(self):
        out = {}
        for k, v in self.headers:
            if k == "set-cookie":
                name, _, rest = v.partition("=")
                out[name.strip()] = rest.split(";", 1)[0]
        return out

    def header(self, name):
        for k, v in self.headers:
            if k == name:
                return v
        return None


class Conn:
    def __init__(self, port, timeout=HANG_SECONDS):
        self.port, self.timeout, self.sock, self.buf = port, timeout, None, b""

    def close(self):
        if self.sock:
            try:
                self.sock.close()
            except OSError:
                pass
        self.sock, self.buf = None, b""

    def _connect(self):
        self.close()
        self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _fill(self, deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            raise Hang()
        self.sock.settimeout(left)
        try:
            chunk = self.sock.recv(65536)
        except socket.timeout:
            raise Hang()
        except OSError as e:
            raise Dropped(type(e).__name__)
        if not chunk:
            raise Dropped("closed")
        self.buf += chunk

    def request(self, method, target, headers=(), body=b""):
        """target: bytes, sent as is. Returns a Reply; raises Dropped or Hang."""
        head = [method.encode() + b" " + target + b" HTTP/1.1", b"Host: 127.0.0.1:%d" % self.port]
        for k, v in headers:
            head.append(k.encode() + b": " + (v if isinstance(v, bytes) else v.encode()))
        if body or method in ("POST", "PUT", "DELETE"):
            head.append(b"Content-Length: %d" % len(body))
        raw = b"\r\n".join(head) + b"\r\n\r\n" + body
        for attempt in (0, 1):
            fresh = self.sock is None
            if fresh:
                self._connect()
            try:
                try:
                    self.sock.sendall(raw)
                except OSError:
                    pass  # the server may answer (413, 414…) and close before reading everything: read its answer
                return self._read(method)
            except Dropped:
                self.close()
                if fresh or attempt:  # a kept-alive connection the server had closed is retried once, fresh
                    raise
        raise Dropped("retry")

    def _read(self, method):
        deadline = time.monotonic() + self.timeout
        while b"\r\n\r\n" not in self.buf:
            self._fill(deadline)
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head.split(b"\r\n")
        parts = lines[0].split(b" ", 2)
        status = int(parts[1])
        headers = []
        for line in lines[1:]:
            k, _, v = line.partition(b":")
            headers.append((k.strip().lower().decode("latin-1"), v.strip().decode("latin-1")))
        h = dict(headers)
        body = b""
        if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
            pass
        elif "chunked" in h.get("transfer-encoding", "").lower():
            while True:
                while b"\r\n" not in self.buf:
                    self._fill(deadline)
                size_line, self.buf = self.buf.split(b"\r\n", 1)
                size = int(size_line.split(b";")[0], 16)
                while len(self.buf) < size + 2:
                    self._fill(deadline)
                body += self.buf[:size]
                self.buf = self.buf[size + 2:]
                if size == 0:
                    break
        elif "content-length" in h:
            n = int(h["content-length"])
            while len(self.buf) < n:
                self._fill(deadline)
            body, self.buf = self.buf[:n], self.buf[n:]
        else:
            try:
                while True:
                    self._fill(deadline)
            except Dropped:
                pass
            body, self.buf = self.buf, b""
            self.close()
        if h.get("connection", "").lower() == "close":
            self.close()
        return Reply(status, headers, body)


def api(conn, method, path, token=None, body=None, headers=(), ctype="application/json"):
    hs = list(headers)
    if token:
        hs.append(("Authorization", "Bearer " + token))
    data = b""
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        hs.append(("Content-Type", ctype))
    return conn.request(method, path.encode(), hs, data)


# ---------------------------------------------------------------------------------------------------------------
# RFC 6238

def totp(secret_b32, when=None):
    key = base64.b32decode(secret_b32.strip().replace(" ", "").upper() + "=" * (-len(secret_b32.strip()) % 8))
    counter = int((time.time() if when is None else when) // 30)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    o = mac[19] & 0x0F
    return "%06d" % ((struct.unpack(">I", mac[o:o + 4])[0] & 0x7FFFFFFF) % 1000000)


# ---------------------------------------------------------------------------------------------------------------
# The document and the routes

def load_spec():
    with open(os.path.join(ROOT, "docs/api/openapi.yaml"), encoding="utf-8") as f:
        return yaml.safe_load(f)


def check_routes(spec):
    """Every /api/v1/ route of src/app/routes.cpp must be in the document. Returns the missing ones."""
    text = open(os.path.join(ROOT, "src/app/routes.cpp"), encoding="utf-8").read()
    routes = set()
    for m in re.finditer(r'r\.(get|post)\(\s*"(/api/v1/[^"]*)"', text):
        routes.add((m.group(1), m.group(2)))
    for m in re.finditer(r'r\.add\(\s*"([A-Z]+)"\s*,\s*"(/api/v1/[^"]*)"', text):
        routes.add((m.group(1).lower(), m.group(2)))
    documented = set()
    for path, item in spec["paths"].items():
        for method in item:
            if method in ("get", "put", "post", "delete", "patch"):
                documented.add((method, path))
    missing = sorted(routes - documented)
    stale = sorted(p for p in documented - routes if p[1].startswith("/api/v1/"))
    return routes, missing, stale


def deref(spec, schema):
    seen = 0
    while isinstance(schema, dict) and "$ref" in schema and seen < 20:
        node = spec
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
        seen += 1
    if isinstance(schema, dict) and "allOf" in schema:
        merged = {"type": "object", "properties": {}, "required": []}
        for s in schema["allOf"]:
            s = deref(spec, s)
            merged["properties"].update(s.get("properties", {}))
            merged["required"] += s.get("required", [])
        return merged
    return schema or {}


class Operation:
    def __init__(self, method, path, params, body_schema, body_type, supplemented):
        self.method, self.path, self.params = method, path, params
        self.body_schema, self.body_type, self.supplemented = body_schema, body_type, supplemented
        self.name = method.upper() + " " + path
        self.spare = any(re.search(p, method + " " + path) for p in SPARE_PATTERNS)


def operations(spec):
    ops = []
    for path, item in spec["paths"].items():
        if not path.startswith("/api/v1/"):
            continue
        common = item.get("parameters", [])
        for method, op in item.items():
            if method not in ("get", "put", "post", "delete", "patch"):
                continue
            params = {}
            for p in common + op.get("parameters", []):
                p = deref(spec, p)
                params[(p["in"], p["name"])] = deref(spec, p.get("schema", {}))
            body_schema, body_type, supplemented = None, None, False
            content = (op.get("requestBody") or {}).get("content") or {}
            if content:
                body_type = next(iter(content))
                body_schema = deref(spec, content[body_type].get("schema", {}))
            elif (method, path) in BODY_SUPPLEMENT:
                body_type, body_schema, supplemented = "application/json", BODY_SUPPLEMENT[(method, path)], True
            elif method in ("post", "put"):
                body_type = "application/octet-stream" if "/network/" in path else "application/json"
            ops.append(Operation(method, path, params, body_schema, body_type, supplemented))
    return ops


# ---------------------------------------------------------------------------------------------------------------
# Hostile values. Each class has a name (what is printed) and a way to write it in each place.

LONG = "A" * 100_000
LONG_MB = "Ж" * 50_000  # 100 KB of two-byte characters


def js(s):
    return json.dumps(s, ensure_ascii=False).encode("utf-8")


# Body values: raw JSON bytes (some deliberately not valid JSON), or MISSING.
MISSING = object()
BODY_VALUES = [
    ("missing", lambda f: MISSING),
    ("null", lambda f: b"null"),
    ("true", lambda f: b"true"),
    ("empty_string", lambda f: b'""'),
    ("string_number", lambda f: b'"12"'),
    ("word", lambda f: b'"abc"'),
    ("number", lambda f: b"12345"),
    ("array", lambda f: b"[1,\"x\",null]"),
    ("object", lambda f: b'{"a":1}'),
    ("2^63", lambda f: b"9223372036854775808"),
    ("-2^63-1", lambda f: b"-9223372036854775809"),
    ("2^63-1", lambda f: b"9223372036854775807"),
    ("-2^63", lambda f: b"-9223372036854775808"),
    ("2^53+1", lambda f: b"9007199254740993"),
    ("2^64", lambda f: b"18446744073709551616"),
    ("negative", lambda f: b"-1"),
    ("zero", lambda f: b"0"),
    ("fraction", lambda f: b"1.5"),
    ("1e308", lambda f: b"1e308"),
    ("1e999", lambda f: b"1e999"),
    ("-0", lambda f: b"-0.0"),
    ("NaN_raw", lambda f: b"NaN"),
    ("Infinity_raw", lambda f: b"Infinity"),
    ("-Infinity_raw", lambda f: b"-Infinity"),
    ("NaN_string", lambda f: b'"NaN"'),
    ("Infinity_string", lambda f: b'"Infinity"'),
    ("invalid_utf8", lambda f: b'"\xff\xfe\xc0\xaf\xed\xa0\x80"'),
    ("lone_surrogate", lambda f: b'"\\ud800x\\udfff"'),
    ("nul_escaped", lambda f: b'"a\\u0000b"'),
    ("nul_raw", lambda f: b'"a\x00b"'),
    ("crlf", lambda f: b'"a\\r\\nSet-Cookie: x=1\\r\\n"'),
    ("control_chars", lambda f: b'"\\u0001\\u0007\\u001b[31m\\u007f\\u0085"'),
    ("bidi_override", lambda f: js("\u202eevil\u202c\u2066x\u2069")),
    ("zero_width_bom", lambda f: js("\ufeff\u200b\u200d")),
    ("long_100k", lambda f: js(LONG)),
    ("long_100k_multibyte", lambda f: js(LONG_MB)),
    ("deep_array", lambda f: b"[" * 5000 + b"]" * 5000),
    ("deep_object", lambda f: b'{"a":' * 5000 + b"1" + b"}" * 5000),
    ("big_array", lambda f: b"[" + b",".join([b"1"] * 30000) + b"]"),
    ("sql_and_format", lambda f: js("' OR 1=1; DROP TABLE people;-- %s%n{0}${x}")),
    ("path_traversal", lambda f: js("../../../../etc/passwd")),
    ("bad_date", lambda f: js("2026-02-30")),
    ("far_date", lambda f: js("+275760-09-13T00:00:00Z")),
    ("bad_offset", lambda f: js("2026-01-01T00:00:00+99:99")),
    ("other_enum", lambda f: js("ADMINISTRATOR")),
    ("other_site_id", None),  # filled per field with site B's record of the same kind
]
# Path and query values: already percent-encoded text, or raw bytes.
URL_VALUES = [
    ("missing", MISSING),
    ("empty", b""),
    ("2^63", b"9223372036854775808"),
    ("-2^63-1", b"-9223372036854775809"),
    ("2^63-1", b"9223372036854775807"),
    ("2^64", b"18446744073709551616"),
    ("negative", b"-1"),
    ("zero", b"0"),
    ("fraction", b"1.5"),
    ("exponent", b"1e3"),
    ("NaN", b"NaN"),
    ("Infinity", b"Infinity"),
    ("plus_sign", b"%2B12"),
    ("leading_zeros", b"00012"),
    ("hex", b"0x10"),
    ("word", b"abc"),
    ("arabic_digits", urllib.parse.quote("١٢٣").encode()),
    ("invalid_utf8", b"%FF%FE%C0%AF"),
    ("invalid_utf8_raw", b"\xff\xfe"),
    ("nul", b"%00"),
    ("crlf", b"%0D%0ASet-Cookie:%20x=1"),
    ("control_chars", b"%01%07%1B%7F"),
    ("bidi_override", urllib.parse.quote("\u202eevil").encode()),
    ("encoded_slash", b"..%2F..%2Fetc"),
    ("dot_segment", b".."),
    ("bad_percent", b"%G1%"),
    ("long_7k", b"A" * 7000),
    ("long_100k", b"A" * 100_000),
    ("sql", urllib.parse.quote("1 OR 1=1").encode()),
    ("other_site_id", None),
]
# Header values: what a client can put on the wire in a header.
HEADER_VALUES = [
    ("missing", MISSING), ("empty", b""), ("word", b"abc"), ("long_7k", b"A" * 7000),
    ("invalid_utf8_raw", b"\xff\xfe"), ("control_chars", b"\x01\x7f"), ("bidi_override", "\u202eevil".encode()),
    ("2^63", b"9223372036854775808"),
]
# The body as a whole.
WHOLE_BODY = [
    "empty", "not_json", "truncated", "top_array", "top_string", "top_null", "top_number", "deep_nesting",
    "extra_fields", "duplicate_keys", "bom_prefix", "invalid_utf8_prefix", "text_plain", "form_urlencoded",
    "octet_stream", "no_content_type", "long_100k_body",
]


# ---------------------------------------------------------------------------------------------------------------
# The server

class Server:
    def __init__(self, haven, engine, pg_url, work):
        self.haven, self.engine, self.work = haven, engine, work
        self.data = os.path.join(work, "data")
        self.pf = os.path.join(self.data, "unseal-passphrase")
        self.proc, self.port, self.db_url, self.pg_admin_url, self.pg_db = None, None, None, None, None
        self.log_path = os.path.join(work, "serve.log")
        if engine == "postgresql":
            if not pg_url:
                raise SystemExit("hostile: --db postgresql needs HAVEN_TEST_PG_URL (scripts/run-tests sets it)")
            self.pg_db = "haven_hostile_%d" % os.getpid()
            self.pg_admin_url = pg_url
            self.db_url = re.sub(r"^(postgres(?:ql)?://[^/?]*)(/[^?]*)?", lambda m: m.group(1) + "/" + self.pg_db, pg_url, count=1)
            self.psql(self.pg_admin_url, "CREATE DATABASE %s" % self.pg_db)
        else:
            self.db_url = "sqlite:" + os.path.join(self.data, "haven.db")

    def psql(self, url, sql):
        r = subprocess.run(["psql", url, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql],
                           capture_output=True, timeout=120)
        if r.returncode:
            raise RuntimeError("psql failed: " + r.stderr.decode(errors="replace")[:300])
        return r.stdout.decode("utf-8")

    def cli(self, *args, check=True):
        env = dict(os.environ, HAVEN_DB=self.db_url)
        r = subprocess.run([self.haven, *args, "--data", self.data, "--passphrase-file", self.pf],
                           capture_output=True, env=env, timeout=120)
        if check and r.returncode:
            raise RuntimeError("haven %s failed (%d): %s" % (" ".join(args[:2]), r.returncode,
                                                              r.stderr.decode(errors="replace")[:300]))
        return r.stdout.decode()

    def init(self):
        env = dict(os.environ, HAVEN_DB=self.db_url)
        r = subprocess.run([self.haven, "init", "--data", self.data, "--db", self.db_url], capture_output=True,
                           env=env, timeout=120)
        if r.returncode:  # its standard output holds the passphrase: never print it
            raise RuntimeError("haven init failed (%d): %s" % (r.returncode, r.stderr.decode(errors="replace")[:300]))
        for key, (name, city, country, zone) in SITES.items():
            self.cli("site", "add", "--name", name, "--city", city, "--country", country, "--time-zone", zone)

    def start(self):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.port = s.getsockname()[1]
        s.close()
        env = dict(os.environ, HAVEN_DB=self.db_url)
        self.logf = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [self.haven, "serve", "--data", self.data, "--db", self.db_url, "--listen", "127.0.0.1:%d" % self.port,
             "--secure-cookies", "false", "--passphrase-file", self.pf, "--test-routes", "true"],
            stdout=self.logf, stderr=subprocess.STDOUT, env=env, preexec_fn=die_with_parent)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("haven serve exited with %d at start" % self.proc.returncode)
            try:
                r = Conn(self.port, 5).request("GET", b"/healthz")
                if r.status == 200 and b'"sealed":false' in r.body:
                    return
            except (OSError, Dropped, Hang):
                pass
            time.sleep(0.1)
        raise RuntimeError("haven serve did not become ready")

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        if self.proc and self.proc.poll() is None:
            try:
                self.proc.send_signal(signal.SIGTERM)
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def drop(self):
        if self.pg_db:
            try:
                self.psql(self.pg_admin_url, "DROP DATABASE IF EXISTS %s WITH (FORCE)" % self.pg_db)
            except Exception as e:  # noqa: BLE001 — cleanup goes on
                log("hostile: could not drop the test database:", e)

    # -- site B's rows -------------------------------------------------------------------------------------------
    EXCLUDED = {"audit_log", "audit_head", "schema_migrations", "write_probe", "login_throttle"}

    def dump(self):
        """Every table's rows (as dicts) and the foreign keys [(table, column, parent table, parent column)]."""
        tables, fks = {}, []
        if self.engine == "sqlite":
            db = sqlite3.connect("file:%s?mode=ro" % self.db_url[len("sqlite:"):], uri=True, timeout=30)
            try:
                names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
                for t in names:
                    for row in db.execute('PRAGMA foreign_key_list("%s")' % t):
                        fks.append((t, row[3], row[2], row[4] or "id"))
                    cur = db.execute('SELECT * FROM "%s"' % t)
                    cols = [d[0] for d in cur.description]
                    tables[t] = [dict(zip(cols, (v.hex() if isinstance(v, bytes) else v for v in r))) for r in cur]
            finally:
                db.close()
        else:
            names = self.psql(self.db_url, "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()").split()
            for line in self.psql(self.db_url, """
                SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, af.attname
                FROM pg_constraint c, unnest(c.conkey, c.confkey) AS k(ck, fk), pg_attribute a, pg_attribute af
                WHERE c.contype = 'f' AND a.attrelid = c.conrelid AND a.attnum = k.ck
                  AND af.attrelid = c.confrelid AND af.attnum = k.fk""").splitlines():
                if line:
                    fks.append(tuple(line.split("|")))
            tables = {t: [] for t in names}
            sql = " UNION ALL ".join("SELECT '%s', row_to_json(x)::text FROM \"%s\" x" % (t, t) for t in names)
            for line in self.psql(self.db_url, sql).split("\n"):  # not splitlines: U+0085, U+2028 are in values
                if line:
                    t, _, row = line.partition("|")
                    tables[t].append(json.loads(row))
        return tables, fks


def site_b_rows(tables, fks, site_b):
    """The rows that are site B's: the site, rows naming it, its accounts (a role at B and at no other site),
    and every row that refers to one of those, transitively (declared foreign keys, and record_id)."""
    owned = {t: set() for t in tables}           # indexes of rows
    keys = {}                                     # (table, column) -> set of values owned
    def own(t, i):
        if i in owned[t]:
            return False
        owned[t].add(i)
        return True
    for i, r in enumerate(tables.get("sites", [])):
        if r.get("id") == site_b:
            own("sites", i)
    roles = {}
    for r in tables.get("account_roles", []):
        roles.setdefault(r["account_id"], set()).add(r["site_id"])
    for i, r in enumerate(tables.get("accounts", [])):
        if roles.get(r["id"]) == {site_b}:
            own("accounts", i)
    by_parent = {}
    for t, c, pt, pc in fks:
        by_parent.setdefault(pt, []).append((t, c, pc))
    changed = True
    while changed:
        changed = False
        values = {}
        for t, idx in owned.items():
            for i in idx:
                row = tables[t][i]
                for col, v in row.items():
                    values.setdefault((t, col), set()).add(v)
        all_ids = set()
        for (t, col), vs in values.items():
            if col == "id":
                all_ids |= {v for v in vs if isinstance(v, int) and v > 1_000_000}
        for t, rows in tables.items():
            if t in Server.EXCLUDED:
                continue
            refs = [(c, pt, pc) for (tt, c, pt, pc) in fks if tt == t]
            for i, r in enumerate(rows):
                if i in owned[t]:
                    continue
                hit = r.get("site_id") == site_b
                for c, pt, pc in refs:
                    if not hit and r.get(c) is not None and r.get(c) in values.get((pt, pc), ()):
                        hit = True
                if not hit and r.get("record_id") in all_ids:
                    hit = True
                if hit and own(t, i):
                    changed = True
    result = {}
    for t, idx in owned.items():
        if t in Server.EXCLUDED or not idx:
            continue
        result[t] = sorted(json.dumps(tables[t][i], sort_keys=True, default=str) for i in idx)
    return result


def compare(before, after):
    """Per table: (rows gone or changed, rows new or changed)."""
    out = {}
    for t in sorted(set(before) | set(after)):
        b, a = before.get(t, []), after.get(t, [])
        if b != a:
            sb, sa = {}, {}
            for x in b:
                sb[x] = sb.get(x, 0) + 1
            for x in a:
                sa[x] = sa.get(x, 0) + 1
            gone = sum(max(0, n - sa.get(x, 0)) for x, n in sb.items())
            new = sum(max(0, n - sb.get(x, 0)) for x, n in sa.items())
            out[t] = (gone, new)
    return out


# ---------------------------------------------------------------------------------------------------------------
# Accounts and seed data

def enrol(port, link_token):
    """Password, then the second factor when asked, through the pages as a person would. Returns recovery codes."""
    c = Conn(port, 30)
    path = "/enrol/" + link_token
    r = c.request("GET", path.encode())
    if r.status != 200:
        raise RuntimeError("enrolment page answered %d" % r.status)
    csrf = r.cookies().get("haven_csrf") or ""
    m = re.search(rb'name="_csrf" value="([^"]+)"', r.body)
    form_token = m.group(1).decode() if m else csrf
    hs = [("Cookie", "haven_csrf=" + csrf), ("Content-Type", "application/x-www-form-urlencoded")]
    r = c.request("POST", path.encode(), hs, urllib.parse.urlencode({"password": PASSWORD, "_csrf": form_token}).encode())
    if r.status != 200:
        raise RuntimeError("enrolment password answered %d" % r.status)
    m = re.search(rb'id="totp-secret"[^>]*>([A-Z2-7 =]+)<', r.body)
    if not m:
        return []
    secret = m.group(1).decode()
    r = c.request("POST", (path + "/code").encode(), hs,
                  urllib.parse.urlencode({"code": totp(secret), "_csrf": form_token}).encode())
    if r.status != 200:
        raise RuntimeError("enrolment code answered %d" % r.status)
    return re.findall(rb"<code>([^<]+)</code>", r.body)


class Seed:
    def __init__(self):
        self.tokens = {"A": {}, "B": {}}        # site -> role -> bearer token
        self.ids = {"A": {}, "B": {}}           # site -> kind -> [main, spare]
        self.site = {}
        self.problems = []
        self.codes = {"A": {}, "B": {}}         # site -> role -> recovery codes
        self.sessions = {"A": {}, "B": {}}      # site -> role -> (session cookie, csrf token)

    def put(self, site, kind, value):
        if value is not None:
            self.ids[site].setdefault(kind, []).append(value)

    def get(self, site, kind, spare=False):
        v = self.ids[site].get(kind) or []
        if not v:
            return None
        return v[1] if spare and len(v) > 1 else v[0]


def seed(server, s):
    c = Conn(server.port, 60)
    ok = lambda r, what: r.status < 300 or s.problems.append("%s answered %d" % (what, r.status))
    for key, (name, *_rest) in SITES.items():
        out = server.cli("user", "add", "--name", "adm-" + key.lower(), "--role", "administrator", "--site", name,
                         "--base-url", "http://127.0.0.1:%d" % server.port)
        enrol(server.port, re.search(r"/enrol/(\S+)", out).group(1))
        s.tokens[key]["administrator"] = server.cli("token", "create", "--user", "adm-" + key.lower(), "--scope", "write",
                                                    "--label", "hostile").strip()
    for key in SITES:
        adm = s.tokens[key]["administrator"]
        sites = api(c, "GET", "/api/v1/sites", adm).json()["sites"]
        s.site[key] = next(x["id"] for x in sites if x["name"] == SITES[key][0])
        s.put(key, "site", s.site[key])
        for role in ROLES[1:]:
            r = api(c, "POST", "/api/v1/sites/%d/accounts" % s.site[key], adm, {"username": "%s-%s" % (role, key.lower()), "role": role})
            if r.status != 201:
                raise RuntimeError("invite %s answered %d" % (role, r.status))
            s.put(key, role, r.json()["id"])
            s.codes[key][role] = [x.decode() for x in enrol(server.port, r.json()["enrolment_token"])]
            s.tokens[key][role] = server.cli("token", "create", "--user", "%s-%s" % (role, key.lower()), "--scope", "write",
                                             "--label", "hostile").strip()
        # The counsellor signs in (a session, with its CSRF token): their personal key is opened, so a person can
        # be assigned to them, and the attacks reach their notes.
        r = api(c, "POST", "/api/v1/auth/login", None, {"username": "counsellor-" + key.lower(), "password": PASSWORD,
                                                        "totp": s.codes[key]["counsellor"][0]})
        if r.status == 200:
            s.sessions[key]["counsellor"] = (r.cookies().get("haven_session", ""),
                                             r.cookies().get("haven_csrf") or base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("="))
        else:
            s.problems.append("counsellor login answered %d" % r.status)
        r = api(c, "GET", "/api/v1/sites/%d/accounts" % s.site[key], adm).json()
        for a in r["accounts"]:
            if a["username"] == "adm-" + key.lower():
                s.put(key, "administrator", a["id"])
        for n in range(2):  # never enrolled: the account whose status is changed
            r = api(c, "POST", "/api/v1/sites/%d/accounts" % s.site[key], adm, {"username": "victim%d-%s" % (n, key.lower()), "role": "coordinator"})
            ok(r, "invite victim") and s.put(key, "victim", r.json()["id"])
        if key == "B":  # the strongest cross-site target for the status route: B's administrator
            s.ids["B"]["victim"].insert(0, s.get("B", "administrator"))

        site = s.site[key]
        for n in range(4):
            r = api(c, "POST", "/api/v1/people", adm, {
                "site_id": site, "pseudonym": "Probe %s%d" % (key, n), "legal_names": ["Probe Person %s%d" % (key, n)],
                "birth_date": "1990-01-0%d" % (n + 1), "languages": ["ru"], "phone": "+3300000000%d" % n,
                "needs": ["legal", "desk"], "circumstances": ["journalist_at_risk"], "notes": "seed"})
            ok(r, "person") and s.put(key, "person", r.json()["id"])
        p0, p1 = s.get(key, "person"), s.get(key, "person", True)
        ok(api(c, "POST", "/api/v1/people/%d/consents" % p0, adm, {"purposes": ["data_processing"], "note": "seed"}), "consent")
        templates = (api(c, "GET", "/api/v1/templates", adm).json() or {}).get("items") or \
            (api(c, "GET", "/api/v1/templates", adm).json() or {}).get("templates") or []
        if templates:
            s.ids[key]["template"] = [templates[0]["id"]]
        for p in (p0, p1):
            r = api(c, "POST", "/api/v1/people/%d/cases" % p, adm, {"template_id": s.get(key, "template"), "adviser_id": s.get(key, "legal_adviser")})
            ok(r, "case") and s.put(key, "case", r.json()["id"])
        r = api(c, "GET", "/api/v1/cases/%d" % (s.get(key, "case") or 0), adm)
        if r.status == 200:
            case = r.json()
            for st in case.get("steps", [])[:2]:
                s.put(key, "step", st["id"])
            for d in case.get("documents", [])[:2]:
                s.put(key, "doc", d["id"])
        for p in (p0, p1):
            r = api(c, "POST", "/api/v1/people/%d/counselling" % p, adm, {"counsellor_id": s.get(key, "counsellor")})
            ok(r, "counselling") and s.put(key, "compartment", (r.json() or {}).get("compartment_id"))
        vol = s.tokens[key]["volunteer"]
        ok(api(c, "PUT", "/api/v1/me/volunteer", vol, {"site_id": site, "skills": ["accompaniment"], "languages": ["fr", "ru"],
                                                       "days": ["mon", "tue", "wed", "thu", "fri"], "note": "seed"}), "volunteer profile")
        for p in (p0, p1):
            r = api(c, "POST", "/api/v1/people/%d/requests" % p, adm, {"what": "Accompany", "skill": "accompaniment", "language": "fr",
                                                                       "due_date": "2027-03-01", "fields": ["pseudonym", "phone"]})
            if ok(r, "help request"):
                s.put(key, "request", r.json()["id"])
                ok(api(c, "POST", "/api/v1/requests/%d/assign" % r.json()["id"], adm, {"volunteer_id": s.get(key, "volunteer")}), "assign")
        ps = s.tokens[key]["prisoner_support"]
        r = api(c, "POST", "/api/v1/sites/%d/funds" % site, ps, {"name": "Lawyers " + key, "currency": "EUR", "goal_minor": 100000})
        if ok(r, "fund"):
            fund = r.json()["id"]
            s.put(key, "fund", fund)
            for body in ({"amount_minor": 50000, "currency": "EUR", "channel": "online", "value_date": "2026-11-01", "donor": "Seed donor"},
                         {"amount_minor": 5000, "currency": "EUR", "channel": "cash", "value_date": "2026-11-02"}):
                r = api(c, "POST", "/api/v1/funds/%d/donations" % fund, ps, body)
                ok(r, "donation") and s.put(key, "entry", r.json()["number"])
            r = api(c, "POST", "/api/v1/funds/%d/disbursements" % fund, ps, {"amount_minor": 1000, "currency": "EUR", "risk": "low",
                                                                          "value_date": "2026-11-03", "payee": "Seed lawyer"})
            ok(r, "disbursement") and s.put(key, "entry", r.json()["number"])
        # Prisoner support's registry and a writer's letters: institutions, prisoners (the first moved in), a pen name,
        # a letter given, written and handed in, one more sent.
        for kind, label in (("sizo", "SIZO"), ("colony", "IK")):
            r = api(c, "POST", "/api/v1/sites/%d/institutions" % site, ps, {"kind": kind, "name": "%s %s" % (label, key), "address": "Seed"})
            ok(r, "institution") and s.put(key, "institution", r.json()["id"])
        for n in range(3):
            r = api(c, "POST", "/api/v1/sites/%d/prisoners" % site, ps, {"names": ["Seed Prisoner %s%d" % (key, n)], "birth_date": "1980-05-05"})
            if ok(r, "prisoner"):
                s.put(key, "prisoner", r.json()["id"])
                ok(api(c, "POST", "/api/v1/prisoners/%d/transfer" % r.json()["id"], ps, {"institution_id": s.get(key, "institution")}), "transfer")
        wr = s.tokens[key]["writer"]
        if ok(api(c, "PUT", "/api/v1/sites/%d/writer" % site, wr, {"pen_name": "Seed pen " + key, "languages": ["ru"]}), "pen name"):
            s.put(key, "writer", (api(c, "GET", "/api/v1/sites/%d/writers" % site, ps).json() or {"items": [{}]})["items"][0].get("id"))
            for n in range(2):
                r = api(c, "POST", "/api/v1/sites/%d/letters/ask" % site, wr, {})
                if ok(r, "letter"):
                    letter = r.json()["id"]
                    s.put(key, "letter", letter)
                    ok(api(c, "PUT", "/api/v1/letters/%d" % letter, wr, {"body": "Seed letter"}), "letter text")
                    ok(api(c, "POST", "/api/v1/letters/%d/hand-in" % letter, wr, {}), "hand in")
            ok(api(c, "POST", "/api/v1/letters/%d/send" % s.get(key, "letter"), ps, {"channel": "post"}), "send")
        # Reports for funders: two prepared by the site's report editor (the second is the spare a release uses up).
        ed = s.tokens[key]["report_editor"]
        for n in range(2):
            r = api(c, "POST", "/api/v1/reports", ed, {"title": "Seed report %s%d" % (key, n), "sites": [site], "from": "2026-07", "to": "2026-09",
                                                        "grain": "quarter", "indicators": ["people_new", "people_returning", "letters_sent"],
                                                        "breakdown": ["age", "nationality"][n]})
            ok(r, "report") and s.put(key, "report", r.json()["id"])
        r = api(c, "POST", "/api/v1/sites/%d/funders" % site, ed, {"name": "Seed funder " + key, "contact_name": "Seed contact"})
        if ok(r, "funder"):
            s.put(key, "funder", r.json()["id"])
            r = api(c, "POST", "/api/v1/sites/%d/grants" % site, ed, {"funder_id": r.json()["id"], "title": "Seed grant " + key, "status": "active",
                                                                     "tranches": [{"due": "2026-12-01", "amount_minor": 100}],
                                                                     "deadlines": [{"due": "2026-12-15", "what": "Seed report"}]})
            ok(r, "grant") and s.put(key, "grant", r.json()["id"])
        for kind, label in (("room", "Room"), ("room", "Room 2"), ("desk", "Desk"), ("desk", "Desk 2"), ("studio", "Studio")):
            r = api(c, "POST", "/api/v1/spaces", adm, {"site_id": site, "name": "%s %s" % (label, key), "kind": kind})
            ok(r, "space") and s.put(key, kind, r.json()["id"])
        for day in (3, 4):
            r = api(c, "POST", "/api/v1/bookings", adm, {"space_id": s.get(key, "room"), "start": "2027-02-0%dT10:00:00+01:00" % day,
                                                         "end": "2027-02-0%dT11:00:00+01:00" % day, "note": "seed"})
            ok(r, "booking") and s.put(key, "booking", r.json()["id"])
        for n, p in enumerate((p0, p1)):
            r = api(c, "POST", "/api/v1/desks/%d/allocations" % s.ids[key]["desk"][n], adm, {"person_id": p, "from": "2027-01-04", "to": "2027-01-29"})
            ok(r, "desk allocation") and s.put(key, "desk_allocation", r.json()["id"])
        for p in s.ids[key]["person"][2:4]:
            r = api(c, "POST", "/api/v1/desk-waitlist", adm, {"person_id": p})
            ok(r, "desk waitlist") and s.put(key, "waitlist", r.json()["id"])
        r = api(c, "POST", "/api/v1/courses", adm, {"site_id": site, "title": "French A2 " + key, "language": "fr", "level": "A2",
                                                    "capacity": 2, "teacher_id": s.get(key, "teacher"), "space_id": s.get(key, "room", True)})
        if ok(r, "course"):
            course = r.json()["id"]
            s.put(key, "course", course)
            r = api(c, "POST", "/api/v1/courses/%d/sessions" % course, adm, {"start": "2027-02-10T14:00:00+01:00", "end": "2027-02-10T16:00:00+01:00",
                                                                             "recurrence": {"freq": "weekly", "count": 2}})
            if ok(r, "sessions"):
                for i in r.json().get("ids", []):
                    s.put(key, "session", i)
            for p in s.ids[key]["person"][:3]:
                r = api(c, "POST", "/api/v1/courses/%d/enrolments" % course, adm, {"person_id": p})
                ok(r, "course enrolment") and s.put(key, "enrolment", r.json()["id"])
        r = api(c, "POST", "/api/v1/events", adm, {"site_id": site, "title": "Evening " + key, "start": "2027-02-12T18:00:00+01:00",
                                                   "end": "2027-02-12T21:00:00+01:00", "capacity": 10})
        if ok(r, "event"):
            ev = r.json()["id"]
            s.put(key, "event", ev)
            for body in ({"person_id": p0}, {"first_name": "Visitor"}, {"person_id": p1}):
                r = api(c, "POST", "/api/v1/events/%d/registrations" % ev, adm, body)
                if ok(r, "registration"):
                    s.put(key, "registration", r.json()["id"])
                    s.put(key, "ticket", r.json().get("code"))
        ok(api(c, "GET", "/api/v1/account/feed", adm), "feed")
        ok(api(c, "POST", "/api/v1/me/contact", adm, {"real_name": "Seed Admin", "email": "seed@example.org", "phone": "+33000"}), "contact")
    # The emergency network is one for the installation (no site): site A's operator makes an activation, so a
    # member's poll finds one at once instead of parking.
    op = s.tokens["A"]["emergency_operator"]
    r = api(c, "POST", "/api/v1/network/enrolments", op, None)
    ok(r, "network enrolment")
    act = bytes([1]) + os.urandom(16 + 32 + 24) + os.urandom(1024 + 16)
    r = api(c, "POST", "/api/v1/network/activations?expires_at=%d" % (int(time.time() * 1000) + 86_400_000), op, act,
            ctype="application/octet-stream")
    if ok(r, "activation"):
        aid = r.json()["id"]
        locator = os.urandom(16)
        ok(api(c, "POST", "/api/v1/network/activations/%s/wraps" % aid, op, locator + os.urandom(48) + os.urandom(16), ctype="application/octet-stream"), "wraps")  # locator, wrap, ack tag
        ok(api(c, "POST", "/api/v1/network/activations/%s/publish" % aid, op, None), "publish")
        s.ids["A"]["activation"] = [aid]
        s.ids["A"]["locator"] = [locator.hex()]
    r = api(c, "POST", "/api/v1/test/writes", None, {"id": "hostile-probe", "payload": "x"})
    if ok(r, "test write"):
        s.ids["A"]["probe"] = ["hostile-probe"]
    c.close()


# ---------------------------------------------------------------------------------------------------------------
# Requests

PATH_KINDS = [
    (r"^/api/v1/people/\{id\}", "person"), (r"^/api/v1/cases/\{id\}", "case"), (r"^/api/v1/counselling/\{id\}", "compartment"),
    (r"^/api/v1/requests/\{id\}", "request"), (r"^/api/v1/tasks/\{id\}", "request"), (r"^/api/v1/spaces/\{id\}", "room"),
    (r"^/api/v1/desks/\{id\}", "desk"), (r"^/api/v1/bookings/\{id\}", "booking"), (r"^/api/v1/desk-allocations/\{id\}", "desk_allocation"),
    (r"^/api/v1/desk-waitlist/\{id\}", "waitlist"), (r"^/api/v1/courses/\{id\}", "course"), (r"^/api/v1/course-enrolments/\{id\}", "enrolment"),
    (r"^/api/v1/course-sessions/\{id\}", "session"), (r"^/api/v1/events/\{id\}", "event"), (r"^/api/v1/registrations/\{id\}", "registration"),
    (r"^/api/v1/sites/\{site\}/accounts/\{id\}", "victim"), (r"^/api/v1/templates/\{id\}", "template"),
    (r"^/api/v1/network/activations/\{id\}", "activation"), (r"^/api/v1/test/writes/\{id\}", "probe"), (r"^/api/v1/funds/\{id\}", "fund"),
    (r"^/api/v1/prisoners/\{id\}", "prisoner"), (r"^/api/v1/letters/\{id\}", "letter"), (r"^/api/v1/reports/\{id\}", "report"),
    (r"^/api/v1/grants/\{id\}", "grant"),
]


def kind_of(op, where, name):
    if where == "path":
        if name == "site":
            return "site"
        if name in ("step", "doc", "locator"):
            return name
        if name == "number":
            return "entry"
        for pattern, kind in PATH_KINDS:
            if re.search(pattern, op.path):
                return kind
        return None
    if name == "present":
        return "enrolment"
    return ID_FIELDS.get(name)


class Builder:
    """Builds the baseline request of an operation (every field valid, ids of site A) and its hostile variants."""

    def __init__(self, spec, seed_):
        self.spec, self.s = spec, seed_

    def good_id(self, kind, spare, site="A"):
        if kind == "compartment":
            spare = True  # the main person's counsellor is re-assigned by the attacks, which closes that compartment
        v = self.s.get(site, kind, spare)
        if v is None:
            v = self.s.get(site, kind) or 4242424242
        return v

    def good(self, op, name, schema, depth=0):
        schema = deref(self.spec, schema)
        kind = kind_of(op, "body", name)
        if kind:
            v = self.good_id(kind, op.spare)
            return [v] if schema.get("type") == "array" else v
        if name == "status":
            return {"POST /api/v1/sites/{site}/accounts/{id}/status": "suspended"}.get(op.name, (schema.get("enum") or ["applicant"])[0])
        if name == "channel" and "/funds/" in op.path:
            return "online"
        if name == "channel" and "/letters/" in op.path:
            return "post"
        if name == "kind" and "/institutions" in op.path:
            return "colony"
        if name == "rules" and "/censor" in op.path:
            return "war: войн, мобилиз, сво$"
        if name == "currency":
            return "EUR"
        if "/funds" in op.path and name in GOOD_FOR_FUNDS:
            return GOOD_FOR_FUNDS[name]
        if name in ("start", "from") and schema.get("format") == "date-time":
            return "2027-03-%02dT10:00:00+01:00" % (1 + zlib.crc32(op.path.encode()) % 28)
        if name in ("end", "to") and schema.get("format") == "date-time":
            return "2027-03-%02dT11:00:00+01:00" % (1 + zlib.crc32(op.path.encode()) % 28)
        if name in ("from", "to") and op.path == "/api/v1/reports":
            return "2026-07" if name == "from" else "2026-09"
        if name == "indicators" and op.path == "/api/v1/reports":
            return ["people_new", "cases_opened"]
        if name == "indicator" and "grants" in op.path:
            return "people_new"
        if name == "from":
            return "2027-06-01"
        if name == "to":
            return "2027-06-05"
        if name == "role":
            return "volunteer"
        if name == "code" and "check-in" in op.path:
            return self.s.get("A", "ticket") or "0000"
        if name in GOOD_BY_NAME and GOOD_BY_NAME[name] is not None:
            return GOOD_BY_NAME[name]
        if "enum" in schema:
            return schema["enum"][0]
        t = schema.get("type")
        if schema.get("pattern", "").startswith("^\\d{4}"):
            return "2027-01-15"
        if t == "integer":
            return max(schema.get("minimum", 1), 1) if schema.get("maximum", 10) >= 1 else schema.get("minimum", 0)
        if t == "number":
            return 1
        if t == "boolean":
            return True
        if t == "array":
            return [self.good(op, name[:-1] if name.endswith("s") else name, schema.get("items", {}), depth + 1)] if depth < 3 else []
        if t == "object" or "properties" in schema:
            if name == "recurrence":
                return {"freq": "weekly", "count": 2}
            props = schema.get("properties", {})
            return {k: self.good(op, k, v, depth + 1) for k, v in props.items()} if depth < 3 else {}
        if schema.get("format") == "date-time":
            return "2027-03-01T10:00:00+01:00"
        if schema.get("format") == "date":
            return "2026-11-02"
        if schema.get("pattern") == "^[a-z]{2,3}$" or name in ("languages", "language"):
            return "fr"
        if name == "month":
            return "2027-02"
        return "probe"

    def fields(self, op):
        """[(where, name, schema)] — path, query and header parameters, body properties, and the body itself."""
        out = [(where, name, schema) for (where, name), schema in op.params.items() if where in ("path", "query", "header")]
        if op.body_schema is not None and op.body_type == "application/json":
            for name, schema in deref(self.spec, op.body_schema).get("properties", {}).items():
                out.append(("body", name, schema))
        if op.body_type:
            out.append(("body", "<whole body>", None))
        if any(kind_of(op, w, n) for w, n, _ in out if w in ("path", "query", "body")):
            out.append(("request", "<every id>", None))
        if not out:
            out.append(("request", "<no fields>", None))
        return out

    def values(self, op, where, name):
        names = self._values(where, name)
        if "other_site_id" in names and kind_of(op, where, name) in (None, *GLOBAL_KINDS):
            names = [n for n in names if n != "other_site_id"]
        if where == "path":
            names = [n for n in names if n != "missing"]
        return names

    def _values(self, where, name):
        if where == "body" and name == "<whole body>":
            return WHOLE_BODY
        if where == "request" and name == "<every id>":
            return ["other_site_ids"]
        if where == "request":
            return ["as_documented", "extra_query", "body_on_get"]
        if where == "body":
            return [n for n, _ in BODY_VALUES]
        if where == "header":
            return [n for n, _ in HEADER_VALUES]
        return [n for n, _ in URL_VALUES]

    def baseline(self, op):
        path = {}
        query = {}
        headers = {}
        for (where, name), schema in op.params.items():
            if where == "path":
                kind = kind_of(op, "path", name)
                v = self.good_id(kind, op.spare) if kind else "probe"
                if name == "id" and op.path.startswith("/api/v1/network/members/"):
                    v = "00" * 16
                path[name] = str(v)
            elif where == "query":
                if (op.name, name) in OMIT:
                    continue
                if name == "columns":
                    query[name] = "pseudonym,birth_date"
                elif name == "expires_at":
                    query[name] = str(int(time.time() * 1000) + 86_400_000)
                elif name in ("after", "wait"):
                    query[name] = "0"
                elif name == "q":
                    query[name] = "Probe"
                elif name in ("from", "to") and schema.get("format") == "date-time":
                    query[name] = "2027-02-01T00:00:00%2B01:00" if name == "from" else "2027-02-20T00:00:00%2B01:00"
                else:
                    query[name] = urllib.parse.quote(str(self.good(op, name, schema)).lower() if isinstance(self.good(op, name, schema), bool)
                                                     else str(self.good(op, name, schema)), safe="")
            elif where == "header":
                headers[name] = "0" * 32
        body = None
        if op.body_schema is not None and op.body_type == "application/json":
            sch = deref(self.spec, op.body_schema)
            body = {k: self.good(op, k, v) for k, v in sch.get("properties", {}).items() if (op.name, k) not in OMIT}
        return path, query, headers, body

    def build(self, op, where, name, vclass):
        """Returns (method, target bytes, [(header, value)], body bytes)."""
        path, query, headers, body = self.baseline(op)
        raw_body = None
        ctype = op.body_type
        if op.body_type == "application/json":
            good = json.dumps(body if body is not None else {}).encode()
        elif op.body_type == "text/csv":
            good = "pseudonym;birth_date\nImport Probe;1991-02-03\n".encode()
        elif op.body_type == "application/octet-stream":
            good = os.urandom(80) if op.path.endswith("/wraps") else os.urandom(200) if op.path.endswith("/acks") else \
                bytes([1]) + os.urandom(72) + os.urandom(1040)
        else:
            good = None
        extra_query = b""
        if where in ("path", "query", "header"):
            table = dict(URL_VALUES if where != "header" else HEADER_VALUES)
            v = table.get(vclass)
            if vclass == "other_site_id":
                kind = kind_of(op, where, name) or ID_FIELDS.get(name)
                v = str(self.good_id(kind, False, "B") if kind else 4242424243).encode()
            target = path if where == "path" else query if where == "query" else headers
            if v is MISSING:
                target.pop(name, None)
            else:
                target[name] = v
        elif where == "body" and name != "<whole body>":
            sentinel = "\u0000HOSTILE\u0000"
            vf = dict(BODY_VALUES)[vclass]
            if vclass == "other_site_id":
                kind = kind_of(op, "body", name)
                bid = self.good_id(kind, False, "B") if kind else 4242424243
                schema = deref(self.spec, deref(self.spec, op.body_schema).get("properties", {}).get(name, {}))
                val = json.dumps([bid] if schema.get("type") == "array" else bid).encode()
            else:
                val = vf(name)
            if val is MISSING:
                body.pop(name, None)
            else:
                body[name] = sentinel
                raw_body = json.dumps(body, ensure_ascii=False).encode().replace(json.dumps(sentinel).encode(), val)
        elif where == "body":
            if vclass == "empty":
                raw_body = b""
            elif vclass == "not_json":
                raw_body = b"{'single': quotes,}"
            elif vclass == "truncated":
                raw_body = good[: max(1, len(good) // 2)]
            elif vclass == "top_array":
                raw_body = b"[" + good + b"]"
            elif vclass == "top_string":
                raw_body = b'"x"'
            elif vclass == "top_null":
                raw_body = b"null"
            elif vclass == "top_number":
                raw_body = b"9223372036854775808"
            elif vclass == "deep_nesting":
                raw_body = b"[" * 100_000 + b"]" * 100_000
            elif vclass == "extra_fields":
                extra = dict(body or {})
                extra.update({"zz_unknown": 1, "__proto__": {"admin": True}, "id": self.good_id("person", False, "B"),
                              "site_id": self.s.site["B"], "role": "administrator", "account_id": self.good_id("administrator", False, "B")})
                raw_body = json.dumps(extra).encode() if op.body_type == "application/json" else good + b"\nzz,extra\n"
            elif vclass == "duplicate_keys":
                if op.body_type == "application/json" and body:
                    first = next(iter(body))
                    raw_body = good[:-1] + (b", " if len(good) > 2 else b"") + json.dumps(first).encode() + b": " + \
                        json.dumps(self.good_id(kind_of(op, "body", first) or "site", False, "B")).encode() + b"}"
                else:
                    raw_body = b'{"a":1,"a":2}'
            elif vclass == "bom_prefix":
                raw_body = b"\xef\xbb\xbf" + good
            elif vclass == "invalid_utf8_prefix":
                raw_body = b"\xff\xfe" + good
            elif vclass == "text_plain":
                raw_body, ctype = good, "text/plain"
            elif vclass == "form_urlencoded":
                raw_body, ctype = b"a=1&b=%FF&c", "application/x-www-form-urlencoded"
            elif vclass == "octet_stream":
                raw_body, ctype = good, "application/octet-stream"
            elif vclass == "no_content_type":
                raw_body, ctype = good, None
            elif vclass == "long_100k_body":
                raw_body = (good or b"") + b" " * 100_000
        elif where == "request":
            if vclass == "other_site_ids":
                for (w, n) in list(op.params):
                    k = kind_of(op, w, n)
                    if k and w == "path":
                        path[n] = str(self.good_id(k, False, "B"))
                    elif k and w == "query":
                        query[n] = str(self.good_id(k, False, "B"))
                for n in list(body or {}):
                    k = kind_of(op, "body", n)
                    if k:
                        body[n] = [self.good_id(k, False, "B")] if isinstance(body[n], list) else self.good_id(k, False, "B")
            elif vclass == "extra_query":
                extra_query = b"zz=1&site=%d&id=%d" % (self.s.site["B"], self.good_id("person", False, "B"))
            elif vclass == "body_on_get":
                raw_body, ctype = json.dumps({"site_id": self.s.site["B"]}).encode(), "application/json"
        if raw_body is None and body is not None:
            raw_body = json.dumps(body).encode()
        if raw_body is None and good is not None and not (where == "request" and vclass == "body_on_get"):
            raw_body = good
        # Assemble the target.
        t = op.path
        for name_, v in path.items():
            v = v if isinstance(v, bytes) else urllib.parse.quote(str(v), safe="").encode()
            t = t.replace("{%s}" % name_, v.decode("latin-1"))
        target = t.encode("latin-1")
        qs = []
        for k, v in query.items():
            v = v if isinstance(v, bytes) else str(v).encode()
            qs.append(k.encode() + b"=" + v)
        if extra_query:
            qs.append(extra_query)
        if qs:
            target += b"?" + b"&".join(qs)
        hs = []
        for k, v in headers.items():
            hs.append((k, v if isinstance(v, bytes) else str(v).encode()))
        if raw_body is not None and ctype:
            hs.append(("Content-Type", ctype))
        return op.method.upper(), target, hs, raw_body or b""


# ---------------------------------------------------------------------------------------------------------------
# The run

def plan(ops, builder, seed_value):
    """Every (operation, field, value class) with the roles in a seeded order: pass k gives each combination its
    k-th role, so a cut-short run has tried every combination with at least as many roles as passes completed.
    The first role is one the route lets through (deepest code), the rest follow."""
    rng = random.Random(seed_value)
    combos = []
    for op in ops:
        for where, name, _schema in builder.fields(op):
            for v in builder.values(op, where, name):
                combos.append((op, where, name, v))
    passes = []
    for c in combos:
        roles = PRINCIPALS[:]
        rng.shuffle(roles)
        preferred = preferred_role(c[0])
        roles.remove(preferred)
        roles.insert(0, preferred)
        passes.append(roles)
    order = []
    for k in range(len(PRINCIPALS)):
        batch = [(c, passes[i][k]) for i, c in enumerate(combos)]
        rng.shuffle(batch)
        order.append(batch)
    return combos, order


def preferred_role(op):
    p = op.path
    if "/network/" in p:
        return "emergency_operator"
    if "/counselling" in p and "/people/" not in p:
        return "counsellor"
    if p.startswith("/api/v1/tasks") or p.startswith("/api/v1/me/volunteer"):
        return "volunteer"
    if "/course-sessions/" in p:
        return "teacher"
    if "/funds" in p:
        return "prisoner_support"
    if "/grants" in p or "/funders" in p or p.endswith("/due"):
        return "report_editor"
    if p.startswith("/api/v1/reports"):
        return "administrator" if p.endswith("/release") else "report_editor"
    if (p.endswith("/writer") or p.endswith("/letters/ask") or p.endswith("/letters/mine") or p.endswith("/hand-in")
            or (p == "/api/v1/letters/{id}" and op.method == "put") or (p.endswith("/replies") and op.method == "get")):
        return "writer"
    if any(x in p for x in ("/prisoners", "/institutions", "/letters", "/writers", "/censor")):
        return "prisoner_support"
    if p in ("/api/v1/auth/login", "/api/v1/vault/unseal", "/api/v1/test/writes", "/api/v1/test/writes/{id}"):
        return "anonymous"
    return "administrator"


class Runner:
    def __init__(self, server, builder, seed_, workers):
        self.server, self.b, self.s, self.workers = server, builder, seed_, workers
        self.sent = 0
        self.findings = []            # (kind, op, where, field, vclass, role, status)
        self.statuses = {}
        self.lock = threading.Lock()
        self.suspects = []            # 2xx requests of the current window that used site B's values
        self.tried = set()
        self.replay = []              # the items that failed, sent again alone at the end

    def again(self):
        """Each failing request once more, alone: tells a bug of the input from one of concurrency."""
        out = {}
        conn = Conn(self.server.port)
        for item in self.replay[:50]:
            (op, where, name, vclass), role = item
            method, target, hs, body = self.b.build(op, where, name, vclass)
            try:
                st = conn.request(method, target, hs + self.auth(role, op), body).status
            except (Dropped, Hang) as e:
                st = type(e).__name__
                conn.close()
            out[(op.name, where, name, vclass, role)] = st
        conn.close()
        return out

    def one(self, conn, item):
        (op, where, name, vclass), role = item
        method, target, hs, body = self.b.build(op, where, name, vclass)
        hs = hs + self.auth(role, op)
        try:
            r = conn.request(method, target, hs, body)
            status = r.status
        except Hang:
            status = "hang"
            conn.close()
        except Dropped:
            status = "dropped"
            conn.close()
        with self.lock:
            self.sent += 1
            self.tried.add((op.name, where, name, vclass, role))
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if status in ("hang", "dropped") or (isinstance(status, int) and status >= 500):
                self.findings.append(("5xx" if isinstance(status, int) else status, op.name, where, name, vclass, role, status))
                self.replay.append(item)
            elif isinstance(status, int) and status < 300 and op.method != "get" and (vclass in ("other_site_id", "other_site_ids", "extra_fields", "duplicate_keys", "extra_query", "body_on_get")):
                self.suspects.append((op.name, where, name, vclass, role, status))

    def auth(self, role, op):
        """The counsellor acts through a session (cookie and CSRF token), except for logout, which would end it;
        every other role through its API token; anonymous with neither."""
        session = self.s.sessions["A"].get(role)
        if session and op.name != "POST /api/v1/auth/logout":
            cookie, csrf = session
            return [("Cookie", "haven_session=%s; haven_csrf=%s" % (cookie, csrf)), ("X-CSRF-Token", csrf)]
        token = self.s.tokens["A"].get(role)
        return [("Authorization", "Bearer " + token)] if token else []

    def probe(self, ops):
        """Each operation once, every field valid, with the role the route lets through: shows how deep the
        hostile variants get. Operations that use up their record are left out."""
        conn = Conn(self.server.port)
        out = []
        for op in ops:
            if op.spare:
                continue
            method, target, hs, body = self.b.build(op, "request", "<no fields>", "as_documented")
            role = preferred_role(op)
            try:
                r = conn.request(method, target, hs + self.auth(role, op), body)
                status = r.status
                j = r.json() if status >= 300 else None
                if isinstance(j, dict) and isinstance(j.get("error"), dict):
                    fields = j.get("fields") or j["error"].get("fields") or {}
                    status = "%d %s%s" % (r.status, j["error"].get("code"), " " + ",".join(sorted(fields)) if isinstance(fields, dict) and fields else "")
            except (Dropped, Hang) as e:
                status = type(e).__name__
            out.append((op.name, role, status))
        conn.close()
        return out

    def run_batch(self, items, deadline):
        it = iter(items)
        it_lock = threading.Lock()
        stop = [False]

        def work():
            conn = Conn(self.server.port)
            while not stop[0]:
                if time.monotonic() > deadline:
                    stop[0] = True
                    break
                with it_lock:
                    item = next(it, None)
                if item is None:
                    break
                self.one(conn, item)
                if not self.server.alive():
                    stop[0] = True
            conn.close()
        threads = [threading.Thread(target=work, daemon=True) for _ in range(self.workers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return not stop[0]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--haven", default=os.path.join(ROOT, "build/haven"))
    ap.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    ap.add_argument("--pg-url", default=os.environ.get("HAVEN_TEST_PG_URL"))
    ap.add_argument("--budget", type=float, default=float(os.environ.get("HAVEN_HOSTILE_SECONDS", 225)),
                    help="seconds for the whole run of this engine, set-up included (default 225); the product of "
                         "values and roles is sampled, seeded, when it does not fit; 0 = no limit")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--batch", type=int, default=5000, help="requests between two reads of site B's rows")
    ap.add_argument("--keep", action="store_true", help="keep the data directory (for debugging)")
    ap.add_argument("--self-check", action="store_true",
                    help="also change one of site B's rows (as B's administrator) during the run: the run must report it")
    args = ap.parse_args()
    started = time.monotonic()
    budget_end = started + args.budget if args.budget > 0 else float("inf")

    spec = load_spec()
    routes, missing, stale = check_routes(spec)
    log("hostile: %d /api/v1 routes in src/app/routes.cpp, %d missing from docs/api/openapi.yaml%s" %
        (len(routes), len(missing), "".join("\n  MISSING FROM THE DOCUMENT: %s %s" % (m.upper(), p) for m, p in missing)))
    for m, p in stale:
        log("  documented but not routed: %s %s" % (m.upper(), p))
    ops = operations(spec)
    for op in ops:
        if op.supplemented:
            log("  body not described by the document, attacked from the handler's fields: %s" % op.name)

    work = tempfile.mkdtemp(prefix="haven-hostile.")
    server = None
    rc = 0
    try:
        server = Server(args.haven, args.db, args.pg_url, work)
        server.init()
        server.start()
        t0 = time.monotonic()
        s = Seed()
        seed(server, s)
        for p in s.problems:
            log("  seed: " + p)
        log("hostile: %s, 2 sites, %d accounts enrolled with tokens, seed data made in %.1f s" %
            (args.db, sum(len(v) for v in s.tokens.values()), time.monotonic() - t0))
        builder = Builder(spec, s)
        combos, order = plan(ops, builder, args.seed)
        product = len(combos) * len(PRINCIPALS)
        baseline = site_b_rows(*server.dump(), s.site["B"])
        log("hostile: site B holds %d rows in %d tables before the run" % (sum(len(v) for v in baseline.values()), len(baseline)))
        runner = Runner(server, builder, s, args.workers)
        probe = runner.probe(ops)
        shallow = [(n, r, st) for n, r, st in probe if not (isinstance(st, int) and st < 300)]
        log("hostile: every field valid, %d of %d operations succeed with the role the route lets through; the others "
            "(their hostile variants stop at what refuses the valid request):" % (len(probe) - len(shallow), len(probe)))
        for n, r, st in shallow:
            log("  %s as %s: %s" % (n, r, st))
        if args.self_check:
            c = Conn(server.port)
            r = api(c, "PUT", "/api/v1/people/%d" % s.get("B", "person"), s.tokens["B"]["administrator"], {"pseudonym": "Self check"})
            log("hostile: self-check: site B's administrator changed a person of B (%d); this run must report it" % r.status)
            c.close()
        cross = {}
        cross_windows = []
        reserve = 15
        done_passes = 0
        complete = True
        for k, batch in enumerate(order):
            for i in range(0, len(batch), args.batch):
                chunk = batch[i:i + args.batch]
                finished = runner.run_batch(chunk, budget_end - reserve)
                now = site_b_rows(*server.dump(), s.site["B"])
                diff = compare(baseline, now)
                if diff:
                    cross_windows.append((diff, list(runner.suspects)))
                    for t, (g, n) in diff.items():
                        cg, cn = cross.get(t, (0, 0))
                        cross[t] = (cg + g, cn + n)
                    baseline = now
                runner.suspects.clear()
                if not server.alive():
                    log("hostile: THE SERVER DIED (exit %s) — see the findings" % server.proc.returncode)
                    runner.findings.append(("server_died", "-", "-", "-", "-", "-", server.proc.returncode))
                    complete = False
                    break
                if not finished:
                    complete = False
                    break
            if not complete:
                break
            done_passes = k + 1
        # Is the server still answering?
        try:
            h = Conn(server.port, 10).request("GET", b"/healthz")
            if h.status != 200:
                runner.findings.append(("health", "GET /healthz", "-", "-", "-", "-", h.status))
        except (Dropped, Hang, OSError) as e:
            runner.findings.append(("health", "GET /healthz", "-", "-", "-", "-", type(e).__name__))
        elapsed = time.monotonic() - started

        ops_n = len(ops)
        fields_n = sum(len(builder.fields(op)) for op in ops)
        values_n = len({v for (_op, _w, _n, v) in combos})
        tried_combos = len({(a, b, c, d) for (a, b, c, d, _r) in runner.tried})
        log("")
        log("hostile: figures (%s)" % args.db)
        log("  operations %d x fields %d (path, query, header, body fields and whole bodies) x value classes %d x roles %d"
            % (ops_n, fields_n, values_n, len(PRINCIPALS)))
        log("  product: %d combinations of operation, field and value x %d roles = %d requests" % (len(combos), len(PRINCIPALS), product))
        log("  tried: %d of %d (%.1f%%): every combination with %d role(s)%s; %d of %d combinations tried with at least one role"
            % (len(runner.tried), product, 100.0 * len(runner.tried) / product, done_passes,
               "" if complete else " and part of the next (time budget)", tried_combos, len(combos)))
        log("  requests sent %d, statuses %s" % (runner.sent, ", ".join("%s: %d" % (k, v) for k, v in sorted(runner.statuses.items(), key=lambda kv: str(kv[0])))))
        bad = [f for f in runner.findings]
        n5 = sum(1 for f in bad if f[0] == "5xx")
        nd = sum(1 for f in bad if f[0] in ("dropped", "hang", "server_died", "health"))
        ncross = sum(g + n for g, n in cross.values())
        log("  5xx: %d; dropped connections or hangs: %d; cross-site changes (site B rows): %d; seconds: %.0f" % (n5, nd, ncross, elapsed))
        if bad:
            log("hostile: FINDINGS (operation | field | value class | role | status)")
            seen = {}
            for f in bad:
                key = (f[0], f[1], f[2], f[3], f[4], f[5], str(f[6]))
                seen[key] = seen.get(key, 0) + 1
            alone = runner.again() if server.alive() else {}
            for (kind, opn, where, name, vclass, role, status), n in sorted(seen.items()):
                a = alone.get((opn, where, name, vclass, role))
                log("  %s: %s | %s %s | %s | %s | %s%s%s" % (kind, opn, where, name, vclass, role, status, "" if n == 1 else " (x%d)" % n,
                                                         "" if a is None else "; sent again alone: %s%s" % (a, " (so: under concurrency)" if isinstance(a, int) and a < 500 else "")))
        if cross_windows:
            log("hostile: CROSS-SITE CHANGES to site B's rows (table: rows gone, rows new)")
            for diff, suspects in cross_windows:
                log("  " + ", ".join("%s: -%d +%d" % (t, g, n) for t, (g, n) in diff.items()))
                log("    requests of that window that succeeded with site B's ids (operation | field | value class | role | status):")
                for sp in sorted(set(suspects)):
                    log("      %s | %s %s | %s | %s | %s" % sp)
        if missing:
            log("hostile: %d /api/v1 route(s) missing from docs/api/openapi.yaml (above)" % len(missing))
        if bad or cross or missing:
            rc = 1
            log("hostile: FAILED")
        else:
            log("hostile: passed")
    except Exception as e:  # noqa: BLE001
        import traceback
        traceback.print_exc()
        log("hostile: the harness failed: %s" % e)
        if server and os.path.exists(server.log_path):
            tail = open(server.log_path, "rb").read()[-3000:].decode(errors="replace")
            log("hostile: server log tail:\n" + tail)
        rc = 2
    finally:
        if server:
            server.stop()
            server.drop()
        if args.keep:
            log("hostile: kept " + work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return rc


if __name__ == "__main__":
    def _term(signum, frame):
        raise KeyboardInterrupt()
    signal.signal(signal.SIGTERM, _term)
    sys.exit(main())
