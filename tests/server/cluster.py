"""Two Rasa servers behind nginx (deploy/nginx.conf) on PostgreSQL and Redis
(deploy/endpoints.production.yml), with the action server as its own process: started
privately by scripts/services.sh on free ports in a folder of their own. Used by
tests/server/test_scale_out*.py and bench/scale_out.py."""
from __future__ import annotations

import contextlib
import glob
import secrets
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Dict, Iterator, Optional

import psycopg2

from tests.bot_servers import REPO, BotServers, free_port

SERVICES = REPO / "scripts" / "services.sh"


def services_installed() -> bool:
    return bool(glob.glob("/usr/lib/postgresql/*/bin/initdb") and Path("/usr/bin/redis-server").exists()
                and Path("/usr/sbin/nginx").exists())


def nginx_config(sample: str, rasa_ports, listen_port: int, rundir: Path) -> str:
    """The sample file inside a minimal main configuration, with this test's ports."""
    replacements = {"server 127.0.0.1:5005": f"server 127.0.0.1:{rasa_ports[0]}",
                    "server 127.0.0.1:5006": f"server 127.0.0.1:{rasa_ports[1]}",
                    "listen 80;": f"listen 127.0.0.1:{listen_port};"}
    for old, new in replacements.items():
        assert old in sample, f"deploy/nginx.conf no longer has '{old}'"
        sample = sample.replace(old, new)
    tmp = rundir / "nginx" / "tmp"
    return f"""worker_processes 1;
events {{ worker_connections 512; }}
http {{
    log_format upstreams '$request_method $uri $status $upstream_addr $msec $request_time';
    access_log {rundir}/nginx/access.log upstreams;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
{sample}
}}
"""


class Cluster:
    def __init__(self, servers: BotServers, lb_url: str, rundir: Path, env: dict) -> None:
        self.servers, self.lb_url, self.rundir, self.env = servers, lb_url, rundir, env

    def events(self, sender: str):
        with psycopg2.connect(host="127.0.0.1", port=self.env["DB_PORT"], dbname="rasa", user="rasa",
                              password=self.env["DB_PASSWORD"]) as db, db.cursor() as cursor:
            cursor.execute("SELECT type_name, action_name, data FROM events WHERE sender_id = %s ORDER BY id",
                           (sender,))
            return cursor.fetchall()

    def access_log(self):
        return [line.split() for line in (self.rundir / "nginx" / "access.log").read_text().splitlines()]


@contextlib.contextmanager
def running_cluster(workdir: Path, extra_env: Optional[Dict[str, str]] = None) -> Iterator[Cluster]:
    workdir.mkdir(parents=True, exist_ok=True)
    rundir = Path(tempfile.mkdtemp(prefix="factcheck-scale-out-", dir="/tmp"))  # the postgres user must reach it
    env = {"DB_HOST": "127.0.0.1", "DB_PORT": str(free_port()), "DB_NAME": "rasa", "DB_USER": "rasa",
           "DB_PASSWORD": secrets.token_urlsafe(16), "REDIS_HOST": "127.0.0.1", "REDIS_PORT": str(free_port()),
           "REDIS_DB": "1", "REDIS_PASSWORD": secrets.token_urlsafe(16), **(extra_env or {})}
    servers = BotServers(workdir, endpoints=REPO / "deploy" / "endpoints.production.yml", rasa_servers=2, env=env,
                         actions="server")
    lb_port = free_port()
    conf = workdir / "nginx.conf"
    conf.write_text(nginx_config((REPO / "deploy" / "nginx.conf").read_text(), servers.rasa_ports, lb_port, rundir))
    service_env = {**servers.env, "PG_PORT": env["DB_PORT"], "NGINX_CONF": str(conf)}
    try:
        subprocess.run([str(SERVICES), "start", str(rundir)], env=service_env, check=True, timeout=300)
        with servers:
            yield Cluster(servers, f"http://127.0.0.1:{lb_port}", rundir, env)
    finally:
        subprocess.run([str(SERVICES), "stop", str(rundir)], env=service_env, timeout=300)
        shutil.rmtree(rundir, ignore_errors=True)


