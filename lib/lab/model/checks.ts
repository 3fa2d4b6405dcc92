import { Ipv4Prefix, Ipv6Address, Ipv6Prefix } from "../../plan/address/ip";
import { Port } from "../../plan/ports";
import { IFACE, LabLayout } from "./layout";
import { admittingRule, LabSecurityGroup, TraceChain } from "./nftables";
import { LAB_INTERNET } from "./substitution";
import { describeTarget, LabServer, LabService, LabServiceAddress, LabTopology, LabTranslator, routeFor } from "./topology";

/**
 * The lab's checks, as data. Each probe check says what to send from where, what to expect, and
 * the hops its packets take, each with an nftables match (a counter in that namespace) and what
 * it means when the packets stop before it. The runner sends the probes, reads the counters, and
 * names the first hop the packets did not reach.
 */

/** Answers within milliseconds in the lab; this only bounds a failing probe. */
export const ANSWER_TIMEOUT_MS = 2000;
/** How long a probe that must not be answered waits for an answer. */
export const SILENCE_TIMEOUT_MS = 600;

export interface LabProbe {
  /** Role of the namespace that sends it. */
  readonly from: string;
  readonly protocol: "tcp" | "udp" | "icmp";
  readonly destination: string;
  readonly port?: number;
  readonly timeoutMs: number;
  /** Payload bytes (ICMP: `ping -s`; UDP: padding); ICMP only: DF (`ping -M do|dont`), echoes sent (one answer suffices). */
  readonly size?: number;
  readonly fragment?: "do" | "dont";
  readonly count?: number;
}

export type LabExpectation =
  | { readonly answer: true; readonly peer?: { readonly address: string; readonly what: string } }
  | { readonly answer: false; readonly because?: string; readonly icmpError?: string };

export interface LabHop {
  readonly role: string;
  readonly chain: TraceChain;
  readonly match: string;
  /** What it means when the packets stop before this hop: the hop named in a failure message. */
  readonly blocked: string;
}

/** A filter hop that must not let an undeclared port through, and what it means if it does. */
export interface LabGuard {
  readonly hop: LabHop;
  readonly admitted: string;
}

export type LabCheckKind =
  | "ipv4-via-eip"
  | "ipv4-undeclared"
  | "ipv6-direct"
  | "ipv6-undeclared"
  | "symmetric-return"
  | "failover"
  | "stopped"
  | "nat64"
  | "hairpin"
  | "packet-too-big"
  | "lowest-ipv6-mtu"
  | "ipv4-outbound";

export interface LabCheck {
  readonly id: string;
  /** Index into `LabChecks.phases`. */
  readonly phase: number;
  readonly kind: LabCheckKind;
  readonly title: string;
  readonly probe?: LabProbe;
  readonly expect: LabExpectation;
  /** The path of the probe's packets, request then reply. */
  readonly hops: readonly LabHop[];
  readonly guards?: readonly LabGuard[];
  /** Hops that must count packets, and hops that must not (symmetric return; with a probe, judged once it is answered). */
  readonly required?: readonly LabHop[];
  readonly forbidden?: readonly LabHop[];
  /** Why the check does not apply (shown as n/a). */
  readonly notApplicable?: string;
}

export interface LabPhase {
  readonly name: string;
  /** The translator stopped for this phase. */
  readonly stop?: string;
}

export interface LabChecks {
  readonly phases: readonly LabPhase[];
  readonly checks: readonly LabCheck[];
}

interface Flow {
  readonly protocol: "tcp" | "udp" | "icmp";
  readonly port?: number;
}

const l4 = {
  request4: (f: Flow) => (f.protocol === "icmp" ? "icmp type echo-request" : `${f.protocol} dport ${f.port}`),
  reply4: (f: Flow) => (f.protocol === "icmp" ? "icmp type echo-reply" : `${f.protocol} sport ${f.port}`),
  request6: (f: Flow) => (f.protocol === "icmp" ? "icmpv6 type echo-request" : `${f.protocol} dport ${f.port}`),
  reply6: (f: Flow) => (f.protocol === "icmp" ? "icmpv6 type echo-reply" : `${f.protocol} sport ${f.port}`),
};

function flowName(f: Flow): string {
  return f.protocol === "icmp" ? "icmp/echo" : `${f.protocol}/${f.port}`;
}

function flowsOf(port: Port): Flow[] {
  if (port.protocol === "icmp") return [{ protocol: "icmp" }];
  const protocol = port.protocol as "tcp" | "udp";
  return [...new Set([port.fromPort, port.toPort])].map((p) => ({ protocol, port: p }));
}

export function labChecks(topology: LabTopology, layout: LabLayout = new LabLayout(topology)): LabChecks {
  const b = new CheckBuilder(topology, layout);
  const phases: LabPhase[] = [{ name: "all translators up" }];
  const carrying = topology.translators.filter((t) => topology.services.some((s) => s.addresses.some((a) => a.translator === t.key)));
  phases.push(...carrying.map((t) => ({ name: `translator ${t.key} stopped`, stop: t.key })));

  const key = (f: Flow) => `${f.protocol}/${f.port ?? ""}`;
  const declaredAnywhere = [...new Map(topology.services.flatMap((s) => s.ports.flatMap(flowsOf)).map((f) => [key(f), f])).values()];
  for (const service of topology.services) {
    const server = b.server(service.server);
    // Declared equals exposed (invariant 16): a port no service declares, and every port another
    // service declares but this one does not, gets no answer at this service's addresses.
    const own = new Set(server.services.flatMap((k) => topology.services.find((s) => s.key === k)!.ports.flatMap(flowsOf)).map(key));
    const undeclared: Flow[] = [{ protocol: "tcp", port: topology.undeclaredPort }, ...declaredAnywhere.filter((f) => !own.has(key(f)))];
    for (const address of service.addresses) {
      const t = b.translator(address.translator);
      service.ports.flatMap(flowsOf).forEach((flow) => b.viaEip(0, service, address, t, server, flow, "ipv4-via-eip"));
      undeclared.forEach((flow) => b.viaEip(0, service, address, t, server, flow, "ipv4-undeclared"));
    }
    service.ports.flatMap(flowsOf).forEach((flow) => b.direct(service, server, flow, "ipv6-direct"));
    undeclared.forEach((flow) => b.direct(service, server, flow, "ipv6-undeclared"));
    for (const address of service.addresses) b.symmetric(service, address, server);
    for (const address of service.addresses) b.outbound(service, address, b.translator(address.translator), server);
  }
  for (const server of topology.servers) b.nat64(server);
  phases.forEach((phase, p) => {
    if (!phase.stop) return;
    for (const service of topology.services) {
      const down = service.addresses.find((a) => a.translator === phase.stop);
      if (!down) continue;
      const server = b.server(service.server);
      const flow = flowsOf(service.ports[0])[0];
      const others = service.addresses.filter((a) => a !== down);
      if (others.length === 0) {
        b.notApplicable(p, "failover", `${service.key} with translator ${phase.stop} stopped`, `${service.key} has no other address: only translator ${phase.stop} carries it`);
      }
      for (const a of others) b.viaEip(p, service, a, b.translator(a.translator), server, flow, "failover");
      b.viaEip(p, service, down, b.translator(down.translator), server, flow, "stopped");
    }
  });
  if (topology.engine === "jool") {
    // Real Jool only: what tayga cannot show. Own phases at the end, because a packet too big
    // teaches a server's kernel a path MTU that other probes of a phase would then see.
    for (const t of topology.translators) b.hairpin(t);
    const ptb = phases.push({ name: "path MTU: packet too big" }) - 1;
    const lim = phases.push({ name: "path MTU: lowest-ipv6-mtu" }) - 1;
    b.pathMtu(ptb, lim);
  }
  return { phases, checks: b.checks };
}

class CheckBuilder {
  readonly checks: LabCheck[] = [];
  private readonly client4 = LAB_INTERNET.ipv4Client;
  private readonly client6 = LAB_INTERNET.ipv6Client;

  constructor(
    private readonly topology: LabTopology,
    private readonly layout: LabLayout,
  ) {}

  translator(key: string): LabTranslator {
    return this.topology.translators.find((t) => t.key === key)!;
  }

  server(key: string): LabServer {
    return this.topology.servers.find((s) => s.key === key)!;
  }

  notApplicable(phase: number, kind: LabCheckKind, title: string, why: string): void {
    this.add({ phase, kind, title, expect: { answer: true }, hops: [], notApplicable: why });
  }

  /** IPv4 client -> EIP -> translator -> server, and back. */
  viaEip(phase: number, service: LabService, address: LabServiceAddress, t: LabTranslator, server: LabServer, flow: Flow, kind: "ipv4-via-eip" | "ipv4-undeclared" | "failover" | "stopped"): void {
    const route = this.eipHops(phase, address, t, server, flow);
    const hops = route.path;
    const { eip } = address;
    const f = flowName(flow);
    const c6 = t.prefix.embedIpv4(this.client4);
    const where = `${service.key} via EIP ${eip} (translator ${t.key})`;
    if (kind === "ipv4-via-eip" || kind === "failover") {
      const title = kind === "failover" ? `${where} ${f} with translator ${this.phases(phase)} stopped` : `${where} ${f}`;
      this.add({
        phase,
        kind,
        title,
        probe: { from: "inet", protocol: flow.protocol, destination: eip.toString(), port: flow.port, timeoutMs: ANSWER_TIMEOUT_MS },
        expect: { answer: true, peer: flow.protocol === "icmp" ? undefined : { address: c6.toString(), what: `the client inside translator ${t.key}'s ${t.prefix}` } },
        hops,
      });
    } else if (kind === "stopped") {
      this.add({
        phase,
        kind,
        title: `${where} ${f} while ${t.key} is stopped`,
        probe: { from: "inet", protocol: flow.protocol, destination: eip.toString(), port: flow.port, timeoutMs: SILENCE_TIMEOUT_MS },
        expect: { answer: false, because: `translator ${t.key} is stopped` },
        hops,
      });
    } else {
      this.add({
        phase,
        kind,
        title: `${where} undeclared ${f}`,
        probe: { from: "inet", protocol: flow.protocol, destination: eip.toString(), port: flow.port, timeoutMs: SILENCE_TIMEOUT_MS },
        expect: { answer: false, because: `${service.key} does not declare ${f}` },
        hops,
        // Invariant 16: the translator's per-address filter drops it before Jool (or tayga) sees it.
        forbidden: [
          {
            role: this.layout.translator(t.key),
            chain: "pre_filtered",
            match: `iifname "${IFACE.eni}" ip daddr ${address.privateIpv4} ${l4.request4(flow)}`,
            blocked: `translator ${t.key}'s per-address filter passed undeclared ${f} to ${address.privateIpv4}`,
          },
        ],
        guards: [
          { hop: route.translatorSg, admitted: `translator security group ${t.securityGroup.name} admitted undeclared ${f}` },
          { hop: route.serverSg, admitted: `server security group ${server.securityGroup.name} admitted undeclared ${f} from ${t.prefix}` },
        ],
      });
    }
  }

  /** The hops of one flow from the IPv4 client through a service address to the server and back. */
  private eipHops(phase: number, address: LabServiceAddress, t: LabTranslator, server: LabServer, flow: Flow): EipPath {
    const x = this.layout.translator(t.key);
    const s = this.layout.server(server.key);
    const c6 = t.prefix.embedIpv4(this.client4);
    const { eip, privateIpv4: v } = address;
    const S = server.address;
    const f = flowName(flow);
    const deny = t.denylist4.filter((d) => d.contains(v)).join(", ");
    const stopped = this.phases(phase) === t.key;
    const tcp = flow.protocol === "tcp" || flow.protocol === "udp" ? flow.protocol : undefined;
    const serverPacket = { source: c6, protocol: tcp ?? ("icmpv6" as const), port: flow.port, icmpType: 128 };
    const missing = `translator ${t.key} EAM ${v} -> ${S} missing${deny ? ` (without it, denylist4 ${deny} drops the packet)` : ""}`;
    const translatorSg = sgBlocked("translator", t.securityGroup, { source: this.client4, protocol: flow.protocol === "icmp" ? "icmp" : flow.protocol, port: flow.port, icmpType: 8 }, f, `${this.client4}`);
    const notTranslated = (engine: string) =>
      stopped ? `translator ${t.key} is stopped` : !t.enabled ? `translator ${t.key}'s Jool file has manually-enabled false` : `${engine} on translator ${t.key} did not translate ${v} -> ${S}`;
    const head: LabHop[] = [
      { role: "igw", chain: "pre", match: `iifname "${IFACE.igwInternet}" ip saddr ${this.client4} ip daddr ${eip} ${l4.request4(flow)}`, blocked: `the lab's internet did not reach the internet gateway (EIP ${eip})` },
      { role: "igw", chain: "fwd_late", match: `iifname "${IFACE.igwInternet}" oifname "${IFACE.igwVpc}" ip daddr ${v} ${l4.request4(flow)}`, blocked: `internet gateway: no 1:1 NAT of EIP ${eip} to ${v} (EIP association)` },
    ];
    const toServer: LabHop[] = [
      { role: "vpc", chain: "fwd_late", match: `iifname "${x}" oifname "${s}" ip6 saddr ${c6} ip6 daddr ${S} ${l4.request6(flow)}`, blocked: `VPC router: ${S} is not delivered from translator ${t.key} to server ${server.key}` },
      { role: s, chain: "in_early", match: `iifname "${IFACE.serverEth}" ip6 saddr ${c6} ip6 daddr ${S} ${l4.request6(flow)}`, blocked: `server ${server.key}'s interface did not receive it` },
    ];
    const serverSg: LabHop = { role: s, chain: "in_late", match: `iifname "${IFACE.serverEth}" ip6 saddr ${c6} ip6 daddr ${S} ${l4.request6(flow)}`, blocked: sgBlocked("server", server.securityGroup, serverPacket, f, `${t.prefix} (translator ${t.key}'s prefix)`) };
    const serverReply: LabHop = { role: s, chain: "out", match: `oifname "${IFACE.serverEth}" ip6 saddr ${S} ip6 daddr ${c6} ${l4.reply6(flow)}`, blocked: `server ${server.key} did not answer on ${f} (nothing listening?)` };
    const vpcReply: LabHop = { role: "vpc", chain: "fwd_early", match: `iifname "${s}" ip6 saddr ${S} ip6 daddr ${c6} ${l4.reply6(flow)}`, blocked: `the VPC router did not receive server ${server.key}'s reply` };
    const returnRoute: LabHop = { role: "vpc", chain: "fwd_late", match: `iifname "${s}" oifname "${x}" ip6 saddr ${S} ip6 daddr ${c6} ${l4.reply6(flow)}`, blocked: this.returnRoute(server, t, c6) };
    const out: LabHop = { role: "igw", chain: "fwd_late", match: `iifname "${IFACE.igwVpc}" oifname "${IFACE.igwInternet}" ip saddr ${v} ip daddr ${this.client4} ${l4.reply4(flow)}`, blocked: `the reply from ${v} did not leave through the internet gateway` };
    // The request up to its translation differs by engine; from there on the path is the same.
    const done = (request: LabHop[], sg: LabHop, replyIn: LabHop, replyTranslated: LabHop): EipPath => ({
      path: [...request, ...toServer, serverSg, serverReply, vpcReply, returnRoute, replyIn, replyTranslated, out],
      translatorSg: sg,
      serverSg,
      serverReply,
      returnRoute,
      replyIn,
      replyTranslated,
    });
    if (this.topology.engine === "jool") {
      // Jool takes packets at prerouting and sends its translations with dst_output() (Jool
      // src/mod/common/steps/send_packet.c), so they pass the translator's postrouting only.
      // The translator's security group filters on the VPC router's link to it, as AWS does
      // outside the instance (nftables here cannot see Jool's packets at output for conntrack).
      const mapped = joolEam(t).some((m) => m.contains(v));
      const sg: LabHop = { role: "vpc", chain: "fwd_mid", match: `iifname "${IFACE.vpcIgw}" oifname "${x}" ip daddr ${v} ${l4.request4(flow)}`, blocked: translatorSg };
      const replyIn: LabHop = { role: x, chain: "pre", match: `iifname "${IFACE.eni}" ip6 saddr ${S} ip6 daddr ${c6} ${l4.reply6(flow)}`, blocked: `translator ${t.key}'s interface did not receive the reply` };
      const replyTranslated: LabHop = { role: x, chain: "post", match: `oifname "${IFACE.eni}" ip saddr ${v} ip daddr ${this.client4} ${l4.reply4(flow)}`, blocked: `Jool on translator ${t.key} did not translate the reply ${S} -> ${v}` };
      const path: LabHop[] = [
        ...head,
        { role: "vpc", chain: "fwd_early", match: `iifname "${IFACE.vpcIgw}" oifname "${x}" ip daddr ${v} ${l4.request4(flow)}`, blocked: `VPC router: ${v} is not routed to translator ${t.key}'s interface` },
        sg,
        { role: x, chain: "pre", match: `iifname "${IFACE.eni}" ip daddr ${v} ${l4.request4(flow)}`, blocked: `translator ${t.key}'s interface did not receive it` },
        { role: x, chain: "post", match: `oifname "${IFACE.eni}" ip6 saddr ${c6} ip6 daddr ${S} ${l4.request6(flow)}`, blocked: mapped ? notTranslated("Jool") : missing },
      ];
      return done(path, sg, replyIn, replyTranslated);
    }
    const mapped = t.tayga.maps.some((m) => m.ipv4.contains(v));
    const sg: LabHop = { role: x, chain: "fwd_mid", match: `iifname "${IFACE.eni}" ip daddr ${v} ${l4.request4(flow)}`, blocked: translatorSg };
    const replyIn: LabHop = { role: x, chain: "fwd_early", match: `iifname "${IFACE.eni}" ip6 saddr ${S} ip6 daddr ${c6} ${l4.reply6(flow)}`, blocked: `translator ${t.key}'s interface did not receive the reply` };
    const replyTranslated: LabHop = { role: x, chain: "fwd_late", match: `iifname "${IFACE.siitTun}" ip saddr ${v} ip daddr ${this.client4} ${l4.reply4(flow)}`, blocked: `tayga on translator ${t.key} did not translate the reply ${S} -> ${v}` };
    const path: LabHop[] = [
      ...head,
      { role: "vpc", chain: "fwd_late", match: `iifname "${IFACE.vpcIgw}" oifname "${x}" ip daddr ${v} ${l4.request4(flow)}`, blocked: `VPC router: ${v} is not routed to translator ${t.key}'s interface` },
      { role: x, chain: "fwd_early", match: `iifname "${IFACE.eni}" ip daddr ${v} ${l4.request4(flow)}`, blocked: `translator ${t.key}'s interface did not receive it` },
      sg,
      { role: x, chain: "fwd_late", match: `oifname "${IFACE.siitTun}" ip daddr ${v} ${l4.request4(flow)}`, blocked: mapped ? `translator ${t.key} did not route ${v} into tayga` : missing },
      {
        role: x,
        chain: "fwd_late",
        match: `iifname "${IFACE.siitTun}" ip6 saddr ${c6} ip6 daddr ${S} ${l4.request6(flow)}`,
        blocked: stopped || !t.enabled ? notTranslated("tayga") : `tayga on translator ${t.key} did not translate ${v} -> ${S} (tayga stopped or failing; see its log)`,
      },
    ];
    return done(path, sg, replyIn, replyTranslated);
  }

  /** IPv6 client -> server directly (internet gateway, security group), and back. */
  direct(service: LabService, server: LabServer, flow: Flow, kind: "ipv6-direct" | "ipv6-undeclared"): void {
    const s = this.layout.server(server.key);
    const S = server.address;
    const c6 = this.client6;
    const f = flowName(flow);
    const table = this.topology.routeTables.find((r) => r.subnet === server.subnet);
    const out = table && routeFor(table, c6);
    const packet = { source: c6, protocol: flow.protocol === "icmp" ? ("icmpv6" as const) : flow.protocol, port: flow.port, icmpType: 128 };
    // What to expect comes from the plan; what happens, from the lab's copy (which tests may break).
    const admitted = admittingRule(server.plannedSecurityGroup, packet);
    const hops: LabHop[] = [
      { role: "igw", chain: "pre", match: `iifname "${IFACE.igwInternet}" ip6 saddr ${c6} ip6 daddr ${S} ${l4.request6(flow)}`, blocked: "the lab's internet did not reach the internet gateway" },
      { role: "vpc", chain: "fwd_late", match: `iifname "${IFACE.vpcIgw}" oifname "${s}" ip6 daddr ${S} ${l4.request6(flow)}`, blocked: `VPC router: ${S} is not delivered to server ${server.key}` },
      { role: s, chain: "in_early", match: `iifname "${IFACE.serverEth}" ip6 saddr ${c6} ip6 daddr ${S} ${l4.request6(flow)}`, blocked: `server ${server.key}'s interface did not receive it` },
      { role: s, chain: "in_late", match: `iifname "${IFACE.serverEth}" ip6 saddr ${c6} ip6 daddr ${S} ${l4.request6(flow)}`, blocked: sgBlocked("server", server.securityGroup, packet, f, `the IPv6 client ${c6}`) },
      { role: s, chain: "out", match: `oifname "${IFACE.serverEth}" ip6 saddr ${S} ip6 daddr ${c6} ${l4.reply6(flow)}`, blocked: `server ${server.key} did not answer on ${f} (nothing listening?)` },
      {
        role: "vpc",
        chain: "fwd_late",
        match: `iifname "${s}" oifname { "${IFACE.vpcIgw}", "${IFACE.vpcEgressOnly}" } ip6 daddr ${c6} ${l4.reply6(flow)}`,
        blocked: out ? `VPC route table ${server.subnet}: the reply to ${c6} follows ${out.destination} -> ${describeTarget(out.target)} and did not reach a gateway` : `VPC route table ${server.subnet} has no route to the internet (::/0)`,
      },
      {
        role: "igw",
        chain: "fwd_late",
        match: `oifname "${IFACE.igwInternet}" ip6 saddr ${S} ip6 daddr ${c6} ${l4.reply6(flow)}`,
        blocked: out?.target.kind === "egress-only-internet-gateway" ? `VPC route table ${server.subnet} sends ::/0 to an egress-only internet gateway, which returns no flow the internet started` : "the reply did not leave through the internet gateway",
      },
    ];
    const title = `${service.key} direct from IPv6 client to ${S} ${kind === "ipv6-undeclared" ? "undeclared " : ""}${f}`;
    const probe: LabProbe = { from: "inet", protocol: flow.protocol, destination: S.toString(), port: flow.port, timeoutMs: ANSWER_TIMEOUT_MS };
    if (kind === "ipv6-undeclared") {
      this.add({
        phase: 0,
        kind,
        title,
        probe: { ...probe, timeoutMs: SILENCE_TIMEOUT_MS },
        expect: { answer: false, because: `${service.key} does not declare ${f}` },
        hops,
        guards: [{ hop: hops[3], admitted: `server security group ${server.securityGroup.name} admitted undeclared ${f} from the IPv6 client` }],
      });
    } else if (!admitted || out?.target.kind !== "internet-gateway") {
      const because = !admitted ? `no rule of ${server.securityGroup.name} admits ${f} from ::/0 (ipv6Internet: false)` : `route table ${server.subnet} sends ::/0 to ${out ? describeTarget(out.target) : "nowhere"}`;
      this.add({ phase: 0, kind, title: `${title} (blocked as planned)`, probe: { ...probe, timeoutMs: SILENCE_TIMEOUT_MS }, expect: { answer: false, because }, hops });
    } else {
      this.add({ phase: 0, kind, title, probe, expect: { answer: true, peer: flow.protocol === "icmp" ? undefined : { address: c6.toString(), what: "the IPv6 client" } }, hops });
    }
  }

  /** The reply of a service address's first flow left through the translator it entered, and no other. */
  symmetric(service: LabService, address: LabServiceAddress, server: LabServer): void {
    const t = this.translator(address.translator);
    const flow = flowsOf(service.ports[0])[0];
    const c6 = t.prefix.embedIpv4(this.client4);
    const title = `${service.key} via EIP ${address.eip} (translator ${t.key}) ${flowName(flow)}`;
    const route = this.eipHops(0, address, t, server, flow);
    const required: LabHop[] = [
      { ...route.serverReply, blocked: `server ${server.key} sent no reply to ${c6}: the request did not get through (see the check "${title}")` },
      route.returnRoute,
      route.replyTranslated,
    ];
    const forbidden: LabHop[] = this.topology.translators
      .filter((o) => o !== t)
      .map((o) => ({
        ...route.replyIn,
        role: this.layout.translator(o.key),
        blocked: `the reply to ${c6} reached translator ${o.key}: ${this.returnRoute(server, t, c6)}`,
      }));
    this.add({ phase: 0, kind: "symmetric-return", title: `${title}: reply leaves through ${t.key}`, expect: { answer: true }, hops: [], required, forbidden });
  }

  /** An IPv6-only server reaches the IPv4-only host through its zone's NAT64 by a 64:ff9b::/96 address. */
  /**
   * Server-initiated IPv4 through a translator (invariant 17): only a service with outboundIpv4
   * reaches an IPv4 host that way, leaving from its own address; any other server's security
   * group stops it before it leaves the server.
   */
  outbound(service: LabService, address: LabServiceAddress, t: LabTranslator, server: LabServer): void {
    const host4 = LAB_INTERNET.ipv4Host;
    const D = t.prefix.embedIpv4(host4);
    const x = this.layout.translator(t.key);
    const s = this.layout.server(server.key);
    const S = server.address;
    const v = address.privateIpv4;
    const flow: Flow = { protocol: "tcp", port: 80 };
    // The title names no prefix: the same check has the lab's prefix under tayga and the deployed one under Jool.
    const title = `${service.key}: server ${server.key} -> IPv4-only host ${host4} through translator ${t.key} tcp/80`;
    const left: LabHop = { role: "vpc", chain: "fwd_early", match: `iifname "${s}" ip6 saddr ${S} ip6 daddr ${D} ${l4.request6(flow)}`, blocked: `server ${server.key}'s security group did not let it leave (outboundIpv4 opens it)` };
    if (!service.outboundIpv4) {
      this.add({
        phase: 0,
        kind: "ipv4-outbound",
        title: `${title} (no outboundIpv4)`,
        probe: { from: s, protocol: "tcp", destination: D.toString(), port: 80, timeoutMs: SILENCE_TIMEOUT_MS },
        expect: { answer: false, because: `${service.key} does not set outboundIpv4` },
        hops: [left],
        forbidden: [{ ...left, blocked: `server ${server.key}'s security group let IPv4 it started through translator ${t.key} leave, although ${service.key} does not set outboundIpv4` }],
      });
      return;
    }
    const hops: LabHop[] = [
      { role: s, chain: "out", match: `oifname "${IFACE.serverEth}" ip6 saddr ${S} ip6 daddr ${D} ${l4.request6(flow)}`, blocked: `server ${server.key} did not send to ${D}` },
      left,
      { role: "vpc", chain: "fwd_late", match: `iifname "${s}" oifname "${x}" ip6 daddr ${D} ${l4.request6(flow)}`, blocked: `VPC route table ${server.subnet}: ${t.prefix} is not routed to translator ${t.key}` },
      { role: x, chain: "fwd_late", match: `oifname "${IFACE.siitTun}" ip6 saddr ${S} ip6 daddr ${D} ${l4.request6(flow)}`, blocked: `translator ${t.key} did not route ${t.prefix} into tayga (its security group admits IPv6 from the server subnets)` },
      { role: x, chain: "fwd_late", match: `iifname "${IFACE.siitTun}" oifname "${IFACE.eni}" ip saddr ${v} ip daddr ${host4} ${l4.request4(flow)}`, blocked: `translator ${t.key} did not send it as ${v} -> ${host4} (EAM ${S} -> ${v}, or its security group's IPv4 egress)` },
      { role: "igw", chain: "fwd_late", match: `iifname "${IFACE.igwVpc}" oifname "${IFACE.igwInternet}" ip saddr ${v} ip daddr ${host4} ${l4.request4(flow)}`, blocked: `it did not leave through the internet gateway from ${v} (EIP ${address.eip})` },
      { role: "igw", chain: "fwd_late", match: `iifname "${IFACE.igwInternet}" oifname "${IFACE.igwVpc}" ip saddr ${host4} ip daddr ${v} ${l4.reply4(flow)}`, blocked: `the IPv4-only host's reply did not come back to EIP ${address.eip}` },
      { role: x, chain: "fwd_late", match: `iifname "${IFACE.siitTun}" ip6 saddr ${D} ip6 daddr ${S} ${l4.reply6(flow)}`, blocked: `translator ${t.key} did not translate the reply (its filter passes replies to ${service.key}'s ephemeral ports only with outboundIpv4)` },
      { role: "vpc", chain: "fwd_late", match: `iifname "${x}" oifname "${s}" ip6 saddr ${D} ip6 daddr ${S} ${l4.reply6(flow)}`, blocked: `VPC router: the reply is not delivered to server ${server.key}` },
    ];
    // Real Jool has no TUN: its hops are the ones both engines share (enough to name a failure).
    if (this.topology.engine === "jool") hops.splice(0, hops.length, ...hops.filter((h) => !h.match.includes(IFACE.siitTun)));
    this.add({
      phase: 0,
      kind: "ipv4-outbound",
      title: `${title} (outboundIpv4)`,
      probe: { from: s, protocol: "tcp", destination: D.toString(), port: 80, timeoutMs: ANSWER_TIMEOUT_MS },
      expect: { answer: true, peer: { address: address.eip.toString(), what: `${service.key}'s EIP via translator ${t.key}` } },
      hops,
    });
  }

  nat64(server: LabServer): void {
    const table = this.topology.routeTables.find((r) => r.subnet === server.subnet);
    const wkp = Ipv6Prefix.parse("64:ff9b::/96");
    const host4 = LAB_INTERNET.ipv4Host;
    const host6 = wkp.embedIpv4(host4);
    const route = table && routeFor(table, host6);
    const title = `server ${server.key} -> IPv4-only host ${host4} as ${host6} tcp/80`;
    if (!route || route.target.kind !== "nat64") {
      this.notApplicable(0, "nat64", title, `route table ${server.subnet} sends 64:ff9b::/96 to ${route ? describeTarget(route.target) : "nowhere"} (no NAT64 for zone ${server.zone})`);
      return;
    }
    const zone = route.target.zone;
    const device = this.topology.nat64.find((d) => d.zone === zone)!;
    const n = this.layout.nat64(zone);
    const s = this.layout.server(server.key);
    const S = server.address;
    const flow: Flow = { protocol: "tcp", port: 80 };
    const sent: LabHop = { role: s, chain: "out", match: `oifname "${IFACE.serverEth}" ip6 saddr ${S} ip6 daddr ${host6} ${l4.request6(flow)}`, blocked: `server ${server.key} did not send to ${host6}` };
    const sgBlock = device.securityGroup ? sgBlocked("NAT64", device.securityGroup, { source: S, protocol: "tcp", port: 80 }, "tcp/80", `server ${S}`) : "the NAT64 dropped it";
    const leftIgw: LabHop = { role: "igw", chain: "fwd_late", match: `iifname "${IFACE.igwVpc}" oifname "${IFACE.igwInternet}" ip saddr ${device.ipv4} ip daddr ${host4} ${l4.request4(flow)}`, blocked: `the NAT64's packets did not leave through the internet gateway as ${device.ipv4} (masquerade, EIP ${device.eip})` };
    const backIgw: LabHop = { role: "igw", chain: "fwd_late", match: `iifname "${IFACE.igwInternet}" oifname "${IFACE.igwVpc}" ip saddr ${host4} ${l4.reply4(flow)}`, blocked: `the IPv4-only host's reply did not come back through the internet gateway to the NAT64's EIP ${device.eip}` };
    const delivered: LabHop = { role: "vpc", chain: "fwd_late", match: `iifname "${n}" oifname "${s}" ip6 saddr ${host6} ip6 daddr ${S} ${l4.reply6(flow)}`, blocked: `VPC router: the reply is not delivered to server ${server.key}` };
    const engine = this.topology.engine === "jool" ? (device.provider === "jool-instance" ? "Jool" : "Jool (NAT gateway stand-in)") : "tayga (NAT64 stand-in)";
    const hops: LabHop[] =
      this.topology.engine === "jool"
        ? [
            sent,
            { role: "vpc", chain: "fwd_early", match: `iifname "${s}" oifname "${n}" ip6 daddr ${host6} ${l4.request6(flow)}`, blocked: `VPC route table ${server.subnet}: ${host6} is not routed to the NAT64 in ${zone}` },
            { role: "vpc", chain: "fwd_mid", match: `iifname "${s}" oifname "${n}" ip6 saddr ${S} ip6 daddr ${host6} ${l4.request6(flow)}`, blocked: sgBlock },
            { role: n, chain: "pre", match: `iifname "${IFACE.eni}" ip6 saddr ${S} ip6 daddr ${host6} ${l4.request6(flow)}`, blocked: `the NAT64 in ${zone} did not receive it` },
            { role: n, chain: "post", match: `oifname "${IFACE.eni}" ip saddr ${device.ipv4} ip daddr ${host4} ${l4.request4(flow)}`, blocked: `${engine} in ${zone} did not translate ${host6} -> ${host4} from its own address ${device.ipv4}` },
            leftIgw,
            backIgw,
            { role: n, chain: "post", match: `oifname "${IFACE.eni}" ip6 saddr ${host6} ip6 daddr ${S} ${l4.reply6(flow)}`, blocked: `${engine} in ${zone} did not translate the reply` },
            delivered,
          ]
        : [
            sent,
            { role: "vpc", chain: "fwd_late", match: `iifname "${s}" oifname "${n}" ip6 daddr ${host6} ${l4.request6(flow)}`, blocked: `VPC route table ${server.subnet}: ${host6} is not routed to the NAT64 in ${zone}` },
            { role: n, chain: "fwd_early", match: `iifname "${IFACE.eni}" ip6 saddr ${S} ip6 daddr ${host6} ${l4.request6(flow)}`, blocked: `the NAT64 in ${zone} did not receive it` },
            { role: n, chain: "fwd_mid", match: `iifname "${IFACE.eni}" ip6 saddr ${S} ip6 daddr ${host6} ${l4.request6(flow)}`, blocked: sgBlock },
            { role: n, chain: "fwd_late", match: `oifname "${IFACE.nat64Tun}" ip6 daddr ${host6} ${l4.request6(flow)}`, blocked: `the NAT64 in ${zone} did not route ${device.prefix} into tayga` },
            { role: n, chain: "fwd_late", match: `iifname "${IFACE.nat64Tun}" ip daddr ${host4} ${l4.request4(flow)}`, blocked: `${engine} in ${zone} did not translate ${host6} -> ${host4}` },
            leftIgw,
            backIgw,
            { role: n, chain: "fwd_late", match: `iifname "${IFACE.nat64Tun}" ip6 saddr ${host6} ip6 daddr ${S} ${l4.reply6(flow)}`, blocked: `${engine} in ${zone} did not translate the reply` },
            delivered,
          ];
    this.add({
      phase: 0,
      kind: "nat64",
      title: `${title} via the NAT64 in ${zone}`,
      probe: { from: s, protocol: "tcp", destination: host6.toString(), port: 80, timeoutMs: ANSWER_TIMEOUT_MS },
      expect: { answer: true, peer: { address: device.eip.toString(), what: `the EIP of the NAT64 in ${zone}` } },
      hops,
    });
  }

  /**
   * Hairpinning (RFC 7757 section 4): the server of one service on translator `t` reaches another
   * service of `t` at that service's private IPv4 in `t`'s pool6. Jool 4.1.9 translates the
   * destination by pool6 and, as it is an EAM entry, translates the packet straight back to IPv6
   * (intrinsic mode, src/mod/common/steps/compute_outgoing_tuple_siit.c, "Condition set A"); the
   * source then goes through pool6, not the EAMT (disable_src_eam), so the other server sees
   * pool6::<the first service's private IPv4>. In "simple" mode the IPv4 packet takes a detour
   * through the VPC router and comes back to `t` with the same result. Both pool6 results must
   * not be in denylist4 (address_xlat.c: addrxlat_siit64 and addrxlat_siit46), which is why the
   * rendered denylist4 leaves out the translator's own EAM addresses.
   */
  hairpin(t: LabTranslator): void {
    const carried = this.topology.services.filter((s) => s.addresses.some((a) => a.translator === t.key));
    if (carried.length < 2) return;
    // Hairpinning is traffic a server starts through a translator: only a service with
    // outboundIpv4 may (invariant 17); its server's group then lets it reach the translator.
    const a = carried.find((s) => s.outboundIpv4);
    if (!a) {
      return this.notApplicable(0, "hairpin", `hairpinning on translator ${t.key}`, `no service carried by ${t.key} sets outboundIpv4: servers cannot start traffic through a translator, hairpinning included (invariant 17)`);
    }
    const b = carried.find((s) => s !== a && s.ports.flatMap(flowsOf).some((f) => f.protocol !== "icmp")) ?? carried.find((s) => s !== a)!;
    const flow = b.ports.flatMap(flowsOf).find((f) => f.protocol !== "icmp");
    const va = a.addresses.find((x) => x.translator === t.key)!.privateIpv4;
    const vb = b.addresses.find((x) => x.translator === t.key)!.privateIpv4;
    const dst = t.prefix.embedIpv4(vb);
    const src = t.prefix.embedIpv4(va);
    const title = `hairpinning on translator ${t.key}: ${a.key}'s server to ${b.key} at ${dst}${flow ? ` ${flowName(flow)}` : ""}`;
    const mode = String((JSON.parse(t.plannedJoolFile) as { global: Record<string, unknown> }).global["eam-hairpin-mode"] ?? "intrinsic");
    if (!flow) return this.notApplicable(0, "hairpin", title, `${b.key} declares no TCP or UDP port`);
    if (mode === "off") return this.notApplicable(0, "hairpin", title, `translator ${t.key}'s Jool file sets eam-hairpin-mode off`);
    const sa = this.server(a.server);
    const sb = this.server(b.server);
    const ra = this.layout.server(sa.key);
    const rb = this.layout.server(sb.key);
    const x = this.layout.translator(t.key);
    const deny = t.denylist4.filter((d) => d.contains(vb) || d.contains(va)).join(", ");
    const hops: LabHop[] = [
      { role: ra, chain: "out", match: `oifname "${IFACE.serverEth}" ip6 saddr ${sa.address} ip6 daddr ${dst} ${l4.request6(flow)}`, blocked: `server ${sa.key} did not send to ${dst}` },
      { role: "vpc", chain: "fwd_late", match: `iifname "${ra}" oifname "${x}" ip6 daddr ${dst} ${l4.request6(flow)}`, blocked: this.returnRoute(sa, t, dst) },
      { role: x, chain: "pre", match: `iifname "${IFACE.eni}" ip6 saddr ${sa.address} ip6 daddr ${dst} ${l4.request6(flow)}`, blocked: `translator ${t.key}'s interface did not receive it` },
      {
        role: x,
        chain: "post",
        match: `oifname "${IFACE.eni}" ip6 saddr ${src} ip6 daddr ${sb.address} ${l4.request6(flow)}`,
        blocked: `Jool on translator ${t.key} did not hairpin ${dst} -> ${vb} -> ${sb.address}${deny ? ` (denylist4 ${deny} holds ${vb} or ${va}: Jool refuses a denylisted pool6 result)` : ""}`,
      },
      { role: "vpc", chain: "fwd_late", match: `iifname "${x}" oifname "${rb}" ip6 saddr ${src} ip6 daddr ${sb.address} ${l4.request6(flow)}`, blocked: `VPC router: ${sb.address} is not delivered from translator ${t.key} to server ${sb.key}` },
      {
        role: rb,
        chain: "in_late",
        match: `iifname "${IFACE.serverEth}" ip6 saddr ${src} ip6 daddr ${sb.address} ${l4.request6(flow)}`,
        blocked: sgBlocked("server", sb.securityGroup, { source: src, protocol: flow.protocol as "tcp" | "udp", port: flow.port }, flowName(flow), `${src}`),
      },
      { role: rb, chain: "out", match: `oifname "${IFACE.serverEth}" ip6 saddr ${sb.address} ip6 daddr ${src} ${l4.reply6(flow)}`, blocked: `server ${sb.key} did not answer on ${flowName(flow)}` },
      { role: x, chain: "post", match: `oifname "${IFACE.eni}" ip6 saddr ${dst} ip6 daddr ${sa.address} ${l4.reply6(flow)}`, blocked: `Jool on translator ${t.key} did not hairpin the reply back to ${sa.address} as ${dst}` },
    ];
    this.add({
      phase: 0,
      kind: "hairpin",
      title,
      probe: { from: ra, protocol: flow.protocol, destination: dst.toString(), port: flow.port, timeoutMs: ANSWER_TIMEOUT_MS },
      expect: { answer: true, peer: { address: src.toString(), what: `${a.key}'s private IPv4 ${va} in translator ${t.key}'s pool6 (eam-hairpin-mode ${mode})` } },
      hops,
    });
  }

  /**
   * Path MTU across translation, as Jool 4.1.9 does it (src/mod/common/rfc7915/4to6.c): inside the
   * VPC the links are 9001 bytes, towards the internet 1500, like AWS.
   * - packet too big: a server's 1648-byte IPv6 echo to the IPv4 client becomes a 1628-byte IPv4
   *   packet with DF (6to4.c generate_df_flag: over 1260 bytes); the internet gateway answers
   *   ICMPv4 fragmentation-needed, MTU 1500, and Jool turns it into ICMPv6 packet too big with
   *   min(1500 + 20, next hop IPv6 MTU, incoming IPv4 MTU + 20) = 1520 (icmp6_minimum_mtu);
   * - lowest-ipv6-mtu: a 3000-byte UDP datagram without DF crosses as IPv6 fragments of at most
   *   lowest-ipv6-mtu bytes (ttp46_alloc_skb: min(next hop MTU, lowest-ipv6-mtu) when DF is off;
   *   Jool docs usr-flags-global.md "lowest-ipv6-mtu"), and is answered (the big reply is sent
   *   again after its packet too big taught the server the path MTU).
   */
  pathMtu(ptbPhase: number, limPhase: number): void {
    // The probe is an echo the server starts towards an IPv4 client: only a service with
    // outboundIpv4 may do that (invariant 17), and it must declare echo.
    const service = this.topology.services.find((s) => s.ports.some((p) => p.protocol === "icmp") && s.outboundIpv4 && s.addresses.length > 0);
    if (!service) {
      this.notApplicable(ptbPhase, "packet-too-big", "path MTU", "no service both declares ICMP echo and sets outboundIpv4, which the packet-too-big probe (an echo the server starts) needs");
      this.lowestIpv6Mtu(limPhase);
      return;
    }
    const address = service.addresses[0];
    const t = this.translator(address.translator);
    const server = this.server(service.server);
    const x = this.layout.translator(t.key);
    const s = this.layout.server(server.key);
    const S = server.address;
    const c6 = t.prefix.embedIpv4(this.client4);
    const v = address.privateIpv4;
    const ptb = 1520;
    const ptbHops: LabHop[] = [
      { role: s, chain: "out", match: `oifname "${IFACE.serverEth}" ip6 saddr ${S} ip6 daddr ${c6} icmpv6 type echo-request`, blocked: `server ${server.key} did not send` },
      { role: x, chain: "post", match: `oifname "${IFACE.eni}" ip saddr ${v} ip daddr ${this.client4} icmp type echo-request meta length > 1500`, blocked: `Jool on translator ${t.key} did not translate the big echo ${S} -> ${v}` },
      { role: "igw", chain: "out", match: `oifname "${IFACE.igwVpc}" ip daddr ${v} icmp type destination-unreachable icmp code frag-needed`, blocked: "the internet gateway sent no fragmentation-needed (its internet link is 1500 bytes)" },
      { role: x, chain: "pre", match: `iifname "${IFACE.eni}" ip daddr ${v} icmp type destination-unreachable icmp code frag-needed`, blocked: `fragmentation-needed did not reach translator ${t.key} (translator security group ${t.securityGroup.name})` },
      { role: x, chain: "post", match: `oifname "${IFACE.eni}" ip6 daddr ${S} icmpv6 type packet-too-big`, blocked: `Jool on translator ${t.key} did not translate fragmentation-needed into packet too big` },
      { role: s, chain: "in_late", match: `iifname "${IFACE.serverEth}" ip6 daddr ${S} icmpv6 type packet-too-big`, blocked: `server security group ${server.securityGroup.name} dropped packet too big` },
    ];
    this.add({
      phase: ptbPhase,
      kind: "packet-too-big",
      title: `packet too big: server ${server.key}'s 1648-byte IPv6 echo to ${c6} (the IPv4 client via translator ${t.key}) gets ICMPv6 packet too big, MTU ${ptb}`,
      probe: { from: s, protocol: "icmp", destination: c6.toString(), timeoutMs: ANSWER_TIMEOUT_MS, size: 1600, fragment: "do", count: 1 },
      expect: { answer: false, because: "the IPv4 path to the client is 1500 bytes", icmpError: `Packet too big: mtu=${ptb}` },
      hops: ptbHops,
    });
    this.lowestIpv6Mtu(limPhase);
  }

  /** lowest-ipv6-mtu: a big UDP datagram from the IPv4 client crosses as fragments of that size. */
  private lowestIpv6Mtu(limPhase: number): void {
    // Jool SIIT drops fragmented ICMP (its checksum cannot be translated; src/mod/common/packet.c,
    // JSTAT46_FRAGMENTED_ICMP), and an IPv4 client's big datagram arrives fragmented at 1500
    // bytes: so this one is UDP, which Jool translates fragment by fragment.
    const udp = this.topology.services.flatMap((x) => x.ports.flatMap(flowsOf).filter((f) => f.protocol === "udp").map((f) => ({ service: x, flow: f })))[0];
    const limTitle = "lowest-ipv6-mtu: a 3000-byte UDP datagram without DF from the IPv4 client crosses as IPv6 fragments of at most lowest-ipv6-mtu bytes";
    if (!udp || udp.service.addresses.length === 0) return this.notApplicable(limPhase, "lowest-ipv6-mtu", limTitle, "no service declares a UDP port");
    const la = udp.service.addresses[0];
    const lt = this.translator(la.translator);
    const ls = this.server(udp.service.server);
    const lim = Number((JSON.parse(lt.plannedJoolFile) as { global: Record<string, unknown> }).global["lowest-ipv6-mtu"] ?? 1280);
    const route = this.eipHops(limPhase, la, lt, ls, udp.flow);
    const inbound = `iifname "${this.layout.translator(lt.key)}" ip6 saddr ${lt.prefix.embedIpv4(this.client4)} ip6 daddr ${ls.address}`;
    this.add({
      phase: limPhase,
      kind: "lowest-ipv6-mtu",
      title: `lowest-ipv6-mtu: ${udp.service.key} via EIP ${la.eip} (translator ${lt.key}) ${flowName(udp.flow)}: a 3000-byte datagram without DF crosses as IPv6 fragments of at most ${lim} bytes`,
      probe: { from: "inet", protocol: "udp", destination: la.eip.toString(), port: udp.flow.port, timeoutMs: ANSWER_TIMEOUT_MS, size: 3000 },
      expect: { answer: true },
      hops: route.path,
      required: [{ role: "vpc", chain: "pre_frag", match: `${inbound} exthdr frag exists`, blocked: `translator ${lt.key} sent no IPv6 fragments to ${ls.address}` }],
      forbidden: [{ role: "vpc", chain: "pre_frag", match: `${inbound} meta length > ${lim}`, blocked: `translator ${lt.key} sent IPv6 packets over lowest-ipv6-mtu ${lim} to ${ls.address}` }],
    });
  }

  private returnRoute(server: LabServer, t: LabTranslator, c6: Ipv6Address): string {
    const table = this.topology.routeTables.find((r) => r.subnet === server.subnet);
    const route = table && routeFor(table, c6);
    const name = `VPC route table ${server.subnet}`;
    if (!route) return `${name} has no route for ${t.prefix} (translator ${t.key}): the reply to ${c6} is dropped`;
    if (route.target.kind === "translator" && route.target.id === t.key) return `${name} routes ${route.destination} to translator ${t.key}, but the reply did not get there`;
    if (route.target.kind === "translator") return `${name} routes ${route.destination} to translator ${route.target.id}, not ${t.key}: the reply goes to the wrong translator`;
    return `${name} has no route for ${t.prefix} -> translator ${t.key}: the reply to ${c6} follows ${route.destination} to ${describeTarget(route.target)}`;
  }

  private phases(phase: number): string | undefined {
    if (phase === 0) return undefined;
    const carrying = this.topology.translators.filter((t) => this.topology.services.some((s) => s.addresses.some((a) => a.translator === t.key)));
    // Stopped-translator phases follow phase 0, one per carrying translator; later ones stop none.
    return carrying[phase - 1]?.key;
  }

  private add(check: Omit<LabCheck, "id">): void {
    this.checks.push({ id: String(this.checks.length + 1), ...check });
  }
}

/** The named hops of one flow through a service address (see eipHops). */
interface EipPath {
  readonly path: readonly LabHop[];
  readonly translatorSg: LabHop;
  readonly serverSg: LabHop;
  readonly serverReply: LabHop;
  readonly returnRoute: LabHop;
  /** The reply reaching the translator, and its translation. */
  readonly replyIn: LabHop;
  readonly replyTranslated: LabHop;
}

/** The IPv4 prefixes of a translator's EAM entries, from its Jool file. */
function joolEam(t: LabTranslator): Ipv4Prefix[] {
  const file = JSON.parse(t.joolFile) as { eamt?: { "ipv4 prefix": string }[] };
  return (file.eamt ?? []).map((e) => Ipv4Prefix.parse(e["ipv4 prefix"].includes("/") ? e["ipv4 prefix"] : `${e["ipv4 prefix"]}/32`));
}

function sgBlocked(kind: string, sg: LabSecurityGroup, packet: Parameters<typeof admittingRule>[1], flow: string, from: string): string {
  const rule = admittingRule(sg, packet);
  return rule ? `${kind} security group ${sg.name} dropped ${flow} from ${from} although rule "${rule.description}" admits it` : `${kind} security group ${sg.name} admits no ${flow} from ${from}`;
}

