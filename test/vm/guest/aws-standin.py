#!/usr/bin/env python3
"""Stand-ins for the AWS endpoints a Jool node talks to, served inside the VM tier's guest.

- Instance metadata (IMDSv2) on [fd00:ec2::254]:80: PUT /latest/api/token, then GET
  /latest/meta-data/<path> with the token; values from /mnt/host/imds/<path>.
- An "AWS API" on [fd00:ec2::254]:8080 for the guest's `aws` stand-in: GET /s3/<bucket>/<key>
  serves /mnt/host/s3/<bucket>/<key> (404 when absent); GET /s3-list/<bucket>/<prefix>/ lists the
  files directly in /mnt/host/s3/<bucket>/<prefix>/, one name a line (nothing when absent); POST /cloudwatch/<namespace> stores the
  body as /mnt/host/out/cloudwatch/<n>.json.
Every request is logged to /mnt/host/out/aws-standin.log.
"""
import http.server
import os
import socket
import sys
import threading

SHARE = "/mnt/host"
TOKEN = "sdvm-token"
lock = threading.Lock()


def log(line):
    with lock, open(f"{SHARE}/out/aws-standin.log", "a") as f:
        f.write(line + "\n")


class Handler(http.server.BaseHTTPRequestHandler):
    def reply(self, status, body=b""):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        log(f"{self.server.server_port} {self.command} {self.path} -> {status}")

    def log_message(self, *args):
        pass

    def do_PUT(self):
        if self.server.server_port == 80 and self.path == "/latest/api/token" and self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"):
            return self.reply(200, TOKEN.encode())
        self.reply(403)

    def do_GET(self):
        if self.server.server_port == 80:
            if self.headers.get("X-aws-ec2-metadata-token") != TOKEN:
                return self.reply(401)
            path = self.path.removeprefix("/latest/meta-data/")
            file = os.path.join(SHARE, "imds", path)
            if path != self.path and ".." not in path and os.path.isfile(file):
                return self.reply(200, open(file, "rb").read())
            return self.reply(404)
        if self.path.startswith("/s3-list/") and ".." not in self.path:
            folder = os.path.join(SHARE, "s3", self.path.removeprefix("/s3-list/"))
            names = sorted(n for n in os.listdir(folder) if os.path.isfile(os.path.join(folder, n))) if os.path.isdir(folder) else []
            return self.reply(200, "".join(n + "\n" for n in names).encode())
        if self.path.startswith("/s3/") and ".." not in self.path:
            file = os.path.join(SHARE, "s3", self.path.removeprefix("/s3/"))
            if os.path.isfile(file):
                return self.reply(200, open(file, "rb").read())
        self.reply(404)

    def do_POST(self):
        if self.server.server_port == 8080 and self.path.startswith("/cloudwatch/"):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with lock:
                folder = f"{SHARE}/out/cloudwatch"
                os.makedirs(folder, exist_ok=True)
                n = len(os.listdir(folder)) + 1
                with open(f"{folder}/{n}.json", "wb") as f:
                    f.write(body)
            return self.reply(200)
        self.reply(404)


class Server(http.server.ThreadingHTTPServer):
    address_family = socket.AF_INET6


for port in (80, 8080):
    server = Server((sys.argv[1], port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
log("ready")
threading.Event().wait()
