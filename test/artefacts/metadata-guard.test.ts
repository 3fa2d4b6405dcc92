import { spawnSync } from "child_process";
import { parse } from "yaml";
import { EXAMPLE_STACKS } from "../../examples";
import { userDataOf } from "../support/artefacts";
import { synthJson } from "../support/stacks";
import { NetnsPair } from "../support/netns-pair";
import { gate } from "../support/tiers";

/**
 * The metadata guard of every Jool node, loaded with the real nft into a network namespace and
 * hit with real packets from another: what would reach instance metadata or link-local addresses
 * (directly, or in a 64:ff9b::/96 or pool6 form Jool would translate into them) is dropped at
 * prerouting before Jool's hook, and nothing else is. The ruleset is the one the example's
 * translators and NAT64 instances write to /etc/nftables.conf.
 */

// Jool's netfilter hooks: NF_INET_PRE_ROUTING at NF_IP_PRI_NAT_DST + 25 = -100 + 25 (NICMx/Jool
// v4.1.9 and v4.1.15, src/mod/common/xlator.c).
const JOOL_PREROUTING_PRIORITY = -75;

const missing = [
  process.getuid?.() !== 0 ? "not root (network namespaces)" : undefined,
  ...["ip", "nft", "python3"].filter((c) => spawnSync("sh", ["-c", `command -v ${c}`]).status !== 0).map((c) => `${c} not found (Debian packages iproute2, nftables, python3)`),
].filter((m): m is string => m !== undefined);
const tier = gate("metadata guard", missing.length ? missing.join("; ") : undefined);

/** The /etc/nftables.conf of every Jool node launch template of the examples (one text: they are identical). */
function nodeRulesets(): string[] {
  const texts = EXAMPLE_STACKS.flatMap((e) => userDataOf(synthJson(e.build)))
    .filter((u) => /^(Edge|Outbound)_/.test(u.template))
    .flatMap((u) => u.parts.filter((p) => p.contentType === "text/cloud-config"))
    .map((p) => (parse(p.content) as { write_files: { path: string; content: string }[] }).write_files.find((f) => f.path === "/etc/nftables.conf")!.content);
  return [...new Set(texts)];
}

test("every translator and NAT64 node writes the same guard", () => {
  const rulesets = nodeRulesets();
  expect(rulesets).toHaveLength(1);
  expect(rulesets[0]).toContain("hook prerouting priority raw");
});

tier("metadata guard: real nft, real packets (root, ip, nft)", () => {
  const pair = new NetnsPair(`sdguard-${process.pid}`);
  const inSender = (...args: string[]) => pair.inSender(...args);
  const inNode = (...args: string[]) => pair.inNode(args);

  beforeAll(() => {
    pair.create();
    // The sender routes everything at the node, as server route tables route /96s to translators.
    pair.routeToNode(["169.254.0.0/16", "203.0.113.0/24", "64:ff9b::/96", "64:ff9b:1::/48", "fd00:ec2::/32"]);
    const [ruleset] = nodeRulesets();
    pair.inNode(["nft", "-f", "-"], ruleset);
  });

  afterAll(() => pair.remove());


  /** Sends one UDP datagram to each address from the sender, then the node's prerouting counters by rule comment. */
  function send(addresses: string[]): Record<string, number> {
    const before = counters();
    const script = [
      "import socket, sys, time",
      "for a in sys.argv[1:]:",
      "    s = socket.socket(socket.AF_INET6 if ':' in a else socket.AF_INET, socket.SOCK_DGRAM)",
      "    s.sendto(b'x', (a, 9))",
      "time.sleep(0.5)",
    ].join("\n");
    inSender("python3", "-c", script, ...addresses);
    const after = counters();
    return Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]));
  }

  function counters(): Record<string, number> {
    const doc = JSON.parse(inNode("nft", "-j", "list", "chain", "inet", "siit_dc", "prerouting")) as { nftables: { rule?: { comment?: string; expr: { counter?: { packets: number } }[] } }[] };
    return Object.fromEntries(doc.nftables.filter((x) => x.rule).map((x) => [x.rule!.comment ?? "", x.rule!.expr.find((e) => e.counter)!.counter!.packets]));
  }

  test("the chain hooks prerouting ahead of Jool", () => {
    const doc = JSON.parse(inNode("nft", "-j", "list", "chain", "inet", "siit_dc", "prerouting")) as { nftables: { chain?: { hook: string; prio: number; policy: string } }[] };
    const chain = doc.nftables.find((x) => x.chain)!.chain!;
    expect(chain).toMatchObject({ hook: "prerouting", policy: "accept" });
    expect(chain.prio).toBeLessThan(JOOL_PREROUTING_PRIORITY);
  });

  test("IPv4 link-local and metadata, IPv6 metadata, and 169.254.0.0/16 inside 64:ff9b::/96 and pool6 /96s are dropped", () => {
    const counted = send(["169.254.169.254", "169.254.0.1", "fd00:ec2::254", "64:ff9b::a9fe:a9fe", "64:ff9b:1::a9fe:a9fe", "64:ff9b:1:1::a9fe:a9fe"]);
    expect(counted).toEqual({
      "link-local and instance metadata (before Jool)": 2,
      "instance metadata over IPv6 (before Jool)": 1,
      "169.254.0.0/16 inside a /96 translation prefix (before Jool)": 3,
    });
  });

  test("everything else passes untouched: other IPv4, other /96 forms, the node's own address", () => {
    const counted = send(["203.0.113.5", "64:ff9b::c000:201", "64:ff9b:1::cb00:7105", "64:ff9b::a9ff:1", "2001:db8:1::2"]);
    expect(Object.values(counted)).toEqual([0, 0, 0]);
  });
});
