/**
 * The lab's small servers and clients: one Node process per namespace, run with `node -e`
 * (no build step, no socat needed). Its spec comes in the LAB_AGENT environment variable:
 * `{ "listen": [{ "protocol": "tcp" | "udp", "host", "port" }] }`.
 *
 * - TCP: answers every connection with one JSON line, `{"peer": <address it sees>, "port": n}`.
 * - UDP: echoes every datagram as `{"peer", "port", "echo"}`.
 * - Prints `{"ready": true}` once every listener is bound (or `{"error": ...}`).
 * - Reads JSON lines `{"id", "probes": [{id, protocol, destination, port, timeoutMs, size?}]}` on stdin
 *   (`size`: UDP payload padding, for datagrams larger than a link),
 *   runs the probes concurrently, each bounded by its timeout (UDP resends every 250 ms), and
 *   prints `{"id", "results": [{id, outcome: answer|refused|timeout|error, peer?, text?, ms}]}`.
 * - Exits when stdin closes.
 */
export const AGENT_SOURCE = String.raw`
"use strict";
const net = require("net");
const dgram = require("dgram");
const readline = require("readline");
const spec = JSON.parse(process.env.LAB_AGENT || "{}");
const out = (o) => process.stdout.write(JSON.stringify(o) + "\n");
const listen = spec.listen || [];
let pending = listen.length;
const bound = () => { if (--pending === 0) out({ ready: true }); };
for (const l of listen) {
  const fail = (e) => out({ error: l.protocol + " " + l.host + " port " + l.port + ": " + e.message });
  if (l.protocol === "tcp") {
    const server = net.createServer((sock) => {
      sock.on("error", () => {});
      sock.end(JSON.stringify({ peer: sock.remoteAddress, port: l.port }) + "\n");
    });
    server.on("error", fail);
    server.listen({ host: l.host, port: l.port }, bound);
  } else {
    const sock = dgram.createSocket(l.host.includes(":") ? "udp6" : "udp4");
    sock.on("error", fail);
    sock.on("message", (msg, rinfo) => {
      sock.send(JSON.stringify({ peer: rinfo.address, port: l.port, echo: msg.toString() }), rinfo.port, rinfo.address);
    });
    sock.bind(l.port, l.host, bound);
  }
}
if (listen.length === 0) out({ ready: true });

function probe(p) {
  const started = Date.now();
  return new Promise((resolve) => {
    let done = false;
    let cleanup = () => {};
    const finish = (r) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      cleanup();
      resolve(Object.assign({ id: p.id, ms: Date.now() - started }, r));
    };
    const timer = setTimeout(() => finish({ outcome: "timeout" }), p.timeoutMs);
    const parse = (text) => {
      try {
        const j = JSON.parse(text);
        return { outcome: "answer", peer: j.peer, text: text.trim() };
      } catch (e) {
        return { outcome: "answer", text: text.trim() };
      }
    };
    if (p.protocol === "tcp") {
      let data = "";
      const sock = net.connect({ host: p.destination, port: p.port });
      cleanup = () => sock.destroy();
      sock.on("data", (d) => { data += d; });
      sock.on("end", () => finish(parse(data)));
      sock.on("error", (e) => finish({ outcome: e.code === "ECONNREFUSED" ? "refused" : "error", text: e.code || e.message }));
    } else if (p.protocol === "udp") {
      const sock = dgram.createSocket(p.destination.includes(":") ? "udp6" : "udp4");
      let resend;
      cleanup = () => { clearInterval(resend); sock.close(); };
      sock.on("message", (msg) => finish(parse(msg.toString())));
      sock.on("error", (e) => finish({ outcome: e.code === "ECONNREFUSED" ? "refused" : "error", text: e.code || e.message }));
      const payload = "lab probe " + p.id + (p.size ? " " + "x".repeat(p.size) : "");
      const send = () => sock.send(payload, p.port, p.destination, (e) => { if (e) finish({ outcome: "error", text: e.code || e.message }); });
      send();
      resend = setInterval(send, 250);
    } else {
      finish({ outcome: "error", text: "unknown protocol " + p.protocol });
    }
  });
}

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  let request;
  try { request = JSON.parse(line); } catch (e) { return out({ error: "bad request: " + line }); }
  Promise.all(request.probes.map(probe)).then((results) => out({ id: request.id, results }));
}).on("close", () => process.exit(0));
`;

/**
 * ICMP echo for hosts without iputils `ping` (Debian's python3 comes with cloud-init, which CI
 * installs): one echo request on a raw socket, exit 0 on the matching reply, 1 on timeout.
 * Usage: python3 -c SOURCE <destination> <timeout seconds>.
 */
export const PYTHON_PING_SOURCE = String.raw`
import os, select, socket, struct, sys, time
dst, timeout = sys.argv[1], float(sys.argv[2])
v6 = ":" in dst
s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMPV6 if v6 else socket.IPPROTO_ICMP)
ident, payload = os.getpid() & 0xFFFF, b"siit-dc packet lab"
def checksum(b):
    b += b"\0" * (len(b) % 2)
    t = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    t = (t >> 16) + (t & 0xFFFF)
    return ~(t + (t >> 16)) & 0xFFFF
request = 128 if v6 else 8
packet = struct.pack("!BBHHH", request, 0, 0, ident, 1) + payload
if not v6:
    packet = struct.pack("!BBHHH", request, 0, checksum(packet), ident, 1) + payload
s.sendto(packet, (dst, 0))
deadline = time.time() + timeout
while True:
    left = deadline - time.time()
    if left <= 0:
        print("no reply from %s" % dst)
        sys.exit(1)
    if not select.select([s], [], [], left)[0]:
        continue
    data, peer = s.recvfrom(4096)
    if not v6:
        data = data[(data[0] & 0x0F) * 4:]
    kind, _, _, rid, _ = struct.unpack("!BBHHH", data[:8])
    if kind == (129 if v6 else 0) and rid == ident:
        print("%d bytes from %s: icmp echo reply" % (len(data), peer[0]))
        sys.exit(0)
`;
