import { spawnSync } from "child_process";
import { referenceTopology } from "../../examples/reference";
import { NODE_CONFIG_FORMAT, NodeConfigBundle } from "../../lib/plan/jool/bundle";
import { TRANSLATOR_FILTER_TABLE, UNDECLARED_DROP_COMMENT } from "../../lib/plan/siit/translator-filter";
import { resourcesOf, synthJson } from "../support/stacks";
import { NetnsPair } from "../support/netns-pair";
import { gate } from "../support/tiers";

/**
 * The per-address filter a translator receives with its Jool file (DESIGN.md invariant 16),
 * loaded with the real nft into a network namespace and hit with real packets (IPv4 to each
 * published address, IPv6 to the same address in the translator's pool6): each address passes
 * exactly its own service's ports, and the rest of the topology's ports are dropped before Jool.
 * The ruleset is taken from the synthesized S3 object of translator b0 of the reference example,
 * which carries www (tcp/80, tcp/443, echo), api (tcp/443), ntp (udp/123) and mail (tcp/25,
 * outboundIpv4).
 */

const missing = [
  process.getuid?.() !== 0 ? "not root (network namespaces)" : undefined,
  ...["ip", "nft", "python3"].filter((c) => spawnSync("sh", ["-c", `command -v ${c}`]).status !== 0).map((c) => `${c} not found (Debian packages iproute2, nftables, python3)`),
].filter((m): m is string => m !== undefined);
const tier = gate("translator filter", missing.length ? missing.join("; ") : undefined);

const synth = synthJson((s) => referenceTopology(s, { services: ["www", "api", "ntp", "mail"], translatorInstanceType: "c7gn.large" }));
const objects = resourcesOf(synth, "aws_s3_object");
function bundleOf(translator: string): NodeConfigBundle {
  const [, object] = Object.entries(objects).find(([name]) => name.startsWith(`Edge_ConfigStore_Config-net-edge-${translator}_`))!;
  return JSON.parse(String(object.content)) as NodeConfigBundle;
}
const b0 = bundleOf("b0");
const pool6 = b0.jool.global.pool6;
/** Service name -> its private IPv4 on b0, from the EAM table's order (by number: www 1, api 2, ntp 3, mail 4). */
const eam = (b0.jool as { eamt: { "ipv4 prefix": string }[] }).eamt.map((e) => e["ipv4 prefix"].replace("/32", ""));
const address: Record<string, string> = { www: eam[0], api: eam[1], ntp: eam[2], mail: eam[3] };

test("every translator's object is a bundle of its Jool file and its filter", () => {
  for (const id of ["a0", "b0"]) {
    const bundle = bundleOf(id);
    expect(bundle.format).toBe(NODE_CONFIG_FORMAT);
    expect(bundle.jool.instance).toBe("siit-dc");
    expect(bundle.nftables).toContain(`table inet ${TRANSLATOR_FILTER_TABLE} {`);
  }
  expect(eam).toHaveLength(4);
  // The filter names exactly the addresses of its own EAM table.
  expect(bundleOf("a0").nftables).not.toContain(address.ntp);
  for (const a of Object.values(address)) expect(b0.nftables).toContain(a);
});

/** One probe: what to send and where. */
interface Probe {
  readonly kind: "tcp-syn" | "tcp-ack" | "udp" | "echo" | "icmp-unreachable" | "fragment";
  readonly to: string;
  readonly port?: number;
}

// Raw sockets craft exactly the packet each probe needs; nft checks no checksums.
const SENDER = String.raw`
import json, socket, struct, sys
for p in json.loads(sys.argv[1]):
    v6 = ":" in p["to"]
    fam = socket.AF_INET6 if v6 else socket.AF_INET
    kind, port = p["kind"], p.get("port", 0)
    if kind in ("tcp-syn", "tcp-ack"):
        flags = 0x02 if kind == "tcp-syn" else 0x10
        s = socket.socket(fam, socket.SOCK_RAW, socket.IPPROTO_TCP)
        s.sendto(struct.pack("!HHIIBBHHH", 40000, port, 1, 0, 5 << 4, flags, 65535, 0, 0), (p["to"], 0))
    elif kind == "udp":
        socket.socket(fam, socket.SOCK_DGRAM).sendto(b"x", (p["to"], port))
    elif kind in ("echo", "icmp-unreachable"):
        proto = socket.IPPROTO_ICMPV6 if v6 else socket.IPPROTO_ICMP
        t = {("echo", False): 8, ("echo", True): 128, ("icmp-unreachable", False): 3, ("icmp-unreachable", True): 1}[(kind, v6)]
        socket.socket(fam, socket.SOCK_RAW, proto).sendto(struct.pack("!BBHI", t, 0, 0, 0) + b"\0" * 28, (p["to"], 0))
    elif kind == "fragment":
        # A non-first IPv4 fragment of a UDP datagram: offset 8 x 8 bytes, no transport header.
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
        src = socket.inet_aton(p["from"]); dst = socket.inet_aton(p["to"])
        s.sendto(struct.pack("!BBHHHBBH4s4s", 0x45, 0, 28, 7, 8, 64, 17, 0, src, dst) + b"\0" * 8, (p["to"], 0))
`;

tier("translator filter: real nft, real packets (root, ip, nft, python3)", () => {
  const pair = new NetnsPair(`sdfilter-${process.pid}`);
  const inSender = (...args: string[]) => pair.inSender(...args);
  const inNode = (...args: string[]) => pair.inNode(args);

  beforeAll(() => {
    pair.create();
    // As the internet gateway (IPv4) and the server route tables (the /96) send them to b0.
    pair.routeToNode(["10.0.0.0/8", pool6]);
    pair.inNode(["nft", "-f", "-"], b0.nftables);
    // What passed the filter (a later prerouting hook, as Jool's is).
    pair.inNode(["nft", "-f", "-"], `table inet observer {\n chain pre {\n  type filter hook prerouting priority -75; policy accept;\n  iifname "n0" ip daddr 10.0.0.0/8 counter\n  iifname "n0" ip6 daddr ${pool6} counter\n }\n}\n`);
  });

  afterAll(() => pair.remove());


  /** The drop counters of the filter and the observer's pass counters, in one read of the ruleset. */
  function counts(): { dropped: number; passed: number } {
    const doc = JSON.parse(inNode("nft", "-j", "list", "ruleset")) as { nftables: { rule?: { table: string; chain: string; expr: { counter?: { packets: number } }[] } }[] };
    const counters = (table: string, chain: string) =>
      doc.nftables.flatMap((x) => (x.rule && x.rule.table === table && x.rule.chain === chain ? x.rule.expr.filter((e) => e.counter).map((e) => e.counter!.packets) : []));
    return {
      dropped: counters(TRANSLATOR_FILTER_TABLE, "published4")[0] + counters(TRANSLATOR_FILTER_TABLE, "published6")[0],
      passed: counters("observer", "pre").reduce((a, b) => a + b, 0),
    };
  }

  /** Sends each probe alone and says whether the filter passed or dropped it (the counts after one probe are those before the next). */
  function verdicts(probes: Probe[]): string[] {
    let before = counts();
    return probes.map((p) => {
      inSender("python3", "-c", SENDER, JSON.stringify([{ ...p, from: "192.0.2.1" }]));
      // Wait for the probe to be counted (at most 2 s), then a little longer for a second count.
      const deadline = Date.now() + 2000;
      let after = counts();
      while (after.dropped + after.passed === before.dropped + before.passed && Date.now() < deadline) after = counts();
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
      after = counts();
      const [d, q] = [after.dropped - before.dropped, after.passed - before.passed];
      before = after;
      const verdict = d === 1 && q === 0 ? "dropped" : d === 0 && q === 1 ? "passed" : `dropped ${d}, passed ${q}`;
      return `${p.kind}${p.port ? `/${p.port}` : ""} to ${p.to}: ${verdict}`;
    });
  }

  const pool6Form = (v4: string) => `${pool6.replace("/96", "").replace(/::$/, "::")}${v4}`;
  /** Every port the topology declares anywhere, probed at one address (in one family). */
  const topologyPorts = (to: string): Probe[] => [
    { kind: "tcp-syn", to, port: 80 },
    { kind: "tcp-syn", to, port: 443 },
    { kind: "tcp-syn", to, port: 25 },
    { kind: "udp", to, port: 123 },
    { kind: "echo", to },
  ];
  const declared: Record<string, string[]> = { www: ["tcp-syn/80", "tcp-syn/443", "echo"], api: ["tcp-syn/443"], ntp: ["udp/123"], mail: ["tcp-syn/25"] };

  for (const family of ["IPv4", "IPv6 (pool6 form, the hairpin path)"] as const) {
    test(`${family}: each address answers only its own service's ports`, () => {
      for (const [service, v4] of Object.entries(address)) {
        const to = family === "IPv4" ? v4 : pool6Form(v4);
        const got = verdicts(topologyPorts(to));
        const want = topologyPorts(to).map((p) => {
          const key = `${p.kind}${p.port ? `/${p.port}` : ""}`;
          return `${key} to ${to}: ${declared[service].includes(key) ? "passed" : "dropped"}`;
        });
        expect({ service, got }).toEqual({ service, got: want });
      }
    });
  }

  test("ICMP errors and non-first fragments pass to every published address (path MTU discovery, fragmented replies)", () => {
    expect(verdicts([{ kind: "icmp-unreachable", to: address.api }, { kind: "icmp-unreachable", to: pool6Form(address.ntp) }, { kind: "fragment", to: address.api }])).toEqual([
      `icmp-unreachable to ${address.api}: passed`,
      `icmp-unreachable to ${pool6Form(address.ntp)}: passed`,
      `fragment to ${address.api}: passed`,
    ]);
  });

  test("only a service with outboundIpv4 (mail) receives replies on undeclared ports: non-SYN TCP and UDP to its ephemeral ports", () => {
    expect(verdicts([
      { kind: "tcp-ack", to: address.mail, port: 40001 },
      { kind: "udp", to: address.mail, port: 40001 },
      { kind: "tcp-syn", to: address.mail, port: 40001 },
      { kind: "tcp-ack", to: address.mail, port: 80 },
      { kind: "udp", to: pool6Form(address.mail), port: 60999 },
      { kind: "tcp-ack", to: address.api, port: 40001 },
      { kind: "udp", to: address.api, port: 40001 },
    ])).toEqual([
      `tcp-ack/40001 to ${address.mail}: passed`,
      `udp/40001 to ${address.mail}: passed`,
      `tcp-syn/40001 to ${address.mail}: dropped`,
      `tcp-ack/80 to ${address.mail}: dropped`,
      `udp/60999 to ${pool6Form(address.mail)}: passed`,
      `tcp-ack/40001 to ${address.api}: dropped`,
      `udp/40001 to ${address.api}: dropped`,
    ]);
  });

  test("addresses that are not published on this translator are not the filter's business", () => {
    expect(verdicts([{ kind: "udp", to: "10.0.16.200", port: 9 }, { kind: "tcp-syn", to: "10.0.99.1", port: 80 }])).toEqual([
      "udp/9 to 10.0.16.200: passed",
      "tcp-syn/80 to 10.0.99.1: passed",
    ]);
  });

  test("a reload replaces the table in one transaction (the agent loads it again on every publication)", () => {
    pair.inNode(["nft", "-f", "-"], b0.nftables);
    const tables = inNode("nft", "list", "tables");
    expect(tables.match(new RegExp(`inet ${TRANSLATOR_FILTER_TABLE}`, "g"))).toHaveLength(1);
    expect(inNode("nft", "list", "table", "inet", TRANSLATOR_FILTER_TABLE)).toContain(UNDECLARED_DROP_COMMENT);
  });
});
