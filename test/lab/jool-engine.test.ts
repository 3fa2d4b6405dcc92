import { labBuild } from "../../lib/lab/model/build";
import { labChecks } from "../../lib/lab/model/checks";
import { evaluate } from "../../lib/lab/model/evaluate";
import { referenceInput, referenceLab } from "./support";

/**
 * The lab's real-Jool engine as data (the VM tier runs it in its guest): every node applies its
 * rendered file as it is, nothing of tayga is left, security groups sit on the VPC router's links,
 * the VPC's links have AWS's MTU, and the checks Jool adds over tayga are there with their
 * expectations taken from the plan.
 */

// www's server may start IPv4 (outboundIpv4): hairpinning and the packet-too-big probe are traffic
// a server starts, which invariant 17 keeps off otherwise (the VM tier runs this same lab).
const input = referenceInput({ wwwOutboundIpv4: true });
const jool = referenceLab({ engine: "jool" }, input);
const tayga = referenceLab({}, input);
const checks = labChecks(jool.topology, jool.layout);
const build = labBuild(jool.layout, checks, { prefix: "sdlab-test1", runDir: "/tmp/lab-run" });

describe("the packet lab on real Jool", () => {
  test("translators keep their deployed /96s (no tayga substitution); the Jool files are the rendered ones", () => {
    expect(jool.topology.translators.map((t) => [t.key, t.prefix.toString()])).toEqual([
      ["a0", "64:ff9b:1::/96"],
      ["b0", "64:ff9b:1:1::/96"],
    ]);
    expect(jool.topology.translators.map((t) => t.joolFile)).toEqual(tayga.topology.translators.map((t) => t.joolFile));
    expect(jool.topology.substitution.entries.filter((e) => e.kind === "translation-home" || e.kind === "translator-prefix")).toEqual([]);
  });

  test("each translator and NAT64 node applies exactly its file with `file handle`; a phase stops one by removing its instance", () => {
    expect(build.daemons.map((d) => (d.kind === "command" ? [d.role, d.start.slice(4).join(" "), d.stop.slice(4).join(" ")] : d.kind))).toEqual([
      ["x0", "jool_siit file handle /tmp/lab-run/x0.jool.json", "jool_siit instance remove siit-dc"],
      ["x1", "jool_siit file handle /tmp/lab-run/x1.jool.json", "jool_siit instance remove siit-dc"],
      ["n0", "jool file handle /tmp/lab-run/n0.jool.json", "jool instance remove nat64"],
      ["n1", "jool file handle /tmp/lab-run/n1.jool.json", "jool instance remove nat64"],
    ]);
    expect(build.files.get("x0.jool.json")).toBe(jool.topology.translators[0].joolFile);
    expect(build.files.get("n0.jool.json")).toBe(input.nat64!.devices[0].joolFile);
    expect([...build.files.keys()].filter((f) => f.includes("tayga"))).toEqual([]);
    expect(build.networkScript).not.toMatch(/tayga|dev siit|dev nat64/);
  });

  test("security groups of translators and NAT64 nodes filter on the VPC router's link to them; the VPC's links are 9001 bytes, the internet's 1500", () => {
    const vpc = build.files.get("vpc.nft")!;
    expect(vpc).toContain('table inet sg_x0 {');
    expect(vpc).toContain('oifname "x0" jump ingress');
    expect(vpc).toContain('oifname "n0" jump ingress');
    expect(build.files.get("x0.nft")).not.toContain("table inet sg");
    const links = build.networkScript.split("\n").filter((l) => l.startsWith("ip link add"));
    expect(links.filter((l) => !l.includes(" mtu 9001 "))).toEqual([expect.stringMatching(/^ip link add igw index \d+ netns sdlab-test1-inet type veth peer name inet /)]);
  });

  test("the checks of the tayga lab, plus hairpinning on both translators, packet too big and lowest-ipv6-mtu in phases of their own", () => {
    const taygaChecks = labChecks(tayga.topology, tayga.layout);
    expect(checks.checks.filter((c) => !taygaChecks.checks.some((t) => t.title === c.title)).map((c) => [checks.phases[c.phase].name, c.kind, c.title])).toEqual([
      ["all translators up", "hairpin", "hairpinning on translator a0: www's server to api at 64:ff9b:1::a00:42 tcp/443"],
      ["all translators up", "hairpin", "hairpinning on translator b0: www's server to api at 64:ff9b:1:1::a00:1042 tcp/443"],
      ["path MTU: packet too big", "packet-too-big", "packet too big: server Web[0]'s 1648-byte IPv6 echo to 64:ff9b:1::c633:6407 (the IPv4 client via translator a0) gets ICMPv6 packet too big, MTU 1520"],
      ["path MTU: lowest-ipv6-mtu", "lowest-ipv6-mtu", "lowest-ipv6-mtu: ntp via EIP 203.0.113.5 (translator b0) udp/123: a 3000-byte datagram without DF crosses as IPv6 fragments of at most 1500 bytes"],
    ]);
    expect(taygaChecks.checks.filter((t) => !checks.checks.some((c) => c.title === t.title))).toEqual([]);
    const hairpin = checks.checks.find((c) => c.kind === "hairpin")!;
    expect(hairpin.expect).toEqual({ answer: true, peer: { address: "64:ff9b:1::a00:41", what: "www's private IPv4 10.0.0.65 in translator a0's pool6 (eam-hairpin-mode intrinsic)" } });
  });

  test("servers of the reference example start nothing through translators, so it has no hairpinning and no packet-too-big probe", () => {
    const plain = referenceLab({ engine: "jool" });
    const na = labChecks(plain.topology, plain.layout).checks.filter((c) => c.kind === "hairpin" || c.kind === "packet-too-big");
    expect(na.map((c) => [c.title, { notApplicable: c.notApplicable }])).toEqual([
      ["hairpinning on translator a0", { notApplicable: "no service carried by a0 sets outboundIpv4: servers cannot start traffic through a translator, hairpinning included (invariant 17)" }],
      ["hairpinning on translator b0", { notApplicable: "no service carried by b0 sets outboundIpv4: servers cannot start traffic through a translator, hairpinning included (invariant 17)" }],
      ["path MTU", { notApplicable: "no service both declares ICMP echo and sets outboundIpv4, which the packet-too-big probe (an echo the server starts) needs" }],
    ]);
  });

  test("lowest-ipv6-mtu is judged on the fragments the translator sent, and its limit comes from the plan, not from a broken file", () => {
    const broken = referenceLab({ engine: "jool", faults: [{ kind: "jool-global", translator: "b0", name: "lowest-ipv6-mtu", value: 9000 }] }, input);
    expect(JSON.parse(broken.topology.translators[1].joolFile).global["lowest-ipv6-mtu"]).toBe(9000);
    const lim = labChecks(broken.topology, broken.layout).checks.find((c) => c.kind === "lowest-ipv6-mtu")!;
    expect(lim.forbidden!.map((h) => h.match)).toEqual(['iifname "x1" ip6 saddr 64:ff9b:1:1::c633:6407 ip6 daddr 2001:db8:100:10::11 meta length > 1500']);
    const answered = { outcome: "answer" as const, peer: "64:ff9b:1:1::c633:6407", ms: 5 };
    const counts = (big: number) => (h: { match: string }) => (h.match.includes("meta length") ? big : 1);
    expect(evaluate(lim, answered, counts(0)).status).toBe("pass");
    expect(evaluate(lim, answered, counts(4)).message).toMatch(/answered, but translator b0 sent IPv6 packets over lowest-ipv6-mtu 1500 to 2001:db8:100:10::11 \(4 packet\(s\)\)$/);
  });

  test("packet too big passes only on the ICMP error it names (a service with echo and outboundIpv4)", () => {
    const withMail = referenceLab({ engine: "jool" }, referenceInput({ services: ["www", "api", "ntp", "mail"], translatorInstanceType: "c7gn.large", wwwOutboundIpv4: true }));
    const ptb = labChecks(withMail.topology, withMail.layout).checks.find((c) => c.kind === "packet-too-big")!;
    const all = () => 1;
    expect(evaluate(ptb, { outcome: "refused", text: "From 64:ff9b:1::a9fe:2 icmp_seq=1 Packet too big: mtu=1520" }, all).status).toBe("pass");
    expect(evaluate(ptb, { outcome: "refused", text: "From 64:ff9b:1::a9fe:2 icmp_seq=1 Packet too big: mtu=1280" }, all).status).toBe("fail");
    expect(evaluate(ptb, { outcome: "timeout" }, all).status).toBe("fail");
  });
});
