import { Ipv4Address, Ipv6Address } from "../../plan/address/ip";
import { LabChecks, LabHop } from "./checks";
import { IFACE, LabLayout } from "./layout";
import { LabSecurityGroup, renderDenylist4, renderInternetGateway, renderNat64Masquerade, renderSecurityGroup, renderTrace, TraceCounter } from "./nftables";
import { LAB_INTERNET } from "./substitution";
import { renderTaygaConf } from "./tayga";
import { LabRoute } from "./topology";

/**
 * The lab as commands and files: one bash script that creates the namespaces, links, addresses,
 * routes and nftables rulesets, the tayga configurations, and the processes to start (tayga, the
 * small servers). Pure: the runner writes the files, runs the script and starts the processes.
 */

/** Transit addresses between the VPC router and the internet gateway (not part of the plan). */
const TRANSIT = { vpc4: "169.254.0.1", igw4: "169.254.0.2", vpc6: "fe80::1", igw6: "fe80::2" } as const;

export interface LabBuildOptions {
  /** Prefix of every namespace of this run (unique per run). */
  readonly prefix: string;
  /** Absolute directory for configs, pid files and logs. */
  readonly runDir: string;
}

/** tayga: a process on its TUN (carrier up = ready), stopped with a signal. */
export interface LabTaygaDaemon {
  readonly kind: "process";
  readonly role: string;
  /** What it is, e.g. "tayga of translator a0". */
  readonly label: string;
  /** The translator key, for stopping it in a phase. */
  readonly translator?: string;
  readonly argv: readonly string[];
  readonly pidFile: string;
  readonly logFile: string;
  /** The TUN the daemon attaches to (carrier up = ready). */
  readonly tun: string;
}

/** Real Jool: started by applying the node's file (`file handle`), stopped by removing the instance. */
export interface LabJoolInstance {
  readonly kind: "command";
  readonly role: string;
  /** e.g. "Jool SIIT of translator a0". */
  readonly label: string;
  readonly translator?: string;
  readonly start: readonly string[];
  readonly stop: readonly string[];
}

export type LabDaemon = LabTaygaDaemon | LabJoolInstance;

export interface LabListener {
  readonly protocol: "tcp" | "udp";
  readonly host: string;
  readonly port: number;
}

export interface LabAgent {
  readonly role: string;
  readonly listen: readonly LabListener[];
}

export interface LabBuild {
  /** Namespace name of each role. */
  readonly namespaces: ReadonlyMap<string, string>;
  /** Files to write under runDir: name -> content. */
  readonly files: ReadonlyMap<string, string>;
  /** The whole setup script (bash): `namespaceScript` then `networkScript`. */
  readonly script: string;
  /** Part 1: the namespaces (the small servers can start once they exist). */
  readonly namespaceScript: string;
  /** Part 2: links, addresses, routes, TUNs and rulesets. */
  readonly networkScript: string;
  readonly daemons: readonly LabDaemon[];
  readonly agents: readonly LabAgent[];
  /** Trace counter id of each hop (`role|chain|match`). */
  readonly counters: ReadonlyMap<string, string>;
}

export function hopKey(hop: LabHop): string {
  return `${hop.role}|${hop.chain}|${hop.match}`;
}

export function labBuild(layout: LabLayout, checks: LabChecks, options: LabBuildOptions): LabBuild {
  const topo = layout.topology;
  const ns = new Map(layout.roles.map((r) => [r.role, `${options.prefix}-${r.role}`]));
  const name = (role: string) => ns.get(role)!;
  const files = new Map<string, string>();
  const nft = new Map<string, string[]>(layout.roles.map((r) => [r.role, []]));
  const file = (n: string) => `${options.runDir}/${n}`;
  const header = (part: string) => [
    "#!/bin/bash",
    `# SIIT-DC packet lab for stack ${topo.stack}, ${part}: namespaces ${options.prefix}-*`,
    "set -euo pipefail",
    `trap 'echo "lab setup (${part}) failed at line $LINENO: $BASH_COMMAND" >&2' ERR`,
  ];
  // Consecutive `ip` commands for one namespace run as one `ip -batch` (one process, not dozens).
  type Line = string | { readonly ns: string; readonly args: string; readonly six?: boolean };
  const part1: Line[] = [];
  const part2: Line[] = [];
  let lines = part1;
  const sh = (...l: string[]) => lines.push(...l);
  const ip = (role: string, args: string) => lines.push({ ns: name(role), args });
  /** `ip rule` needs the family said (it cannot tell it from `iif ... blackhole`). */
  const ip6 = (role: string, args: string) => lines.push({ ns: name(role), args, six: true });

  // Namespaces: no DAD (addresses usable at once), no reverse-path filter, forwarding on routers.
  sh("", "# namespaces");
  for (const r of layout.roles) {
    const router = r.kind !== "internet" && r.kind !== "server";
    const sysctls = [
      "net.ipv6.conf.all.accept_dad=0",
      "net.ipv6.conf.default.accept_dad=0",
      "net.ipv4.conf.all.rp_filter=0",
      "net.ipv4.conf.default.rp_filter=0",
      `net.ipv4.ip_forward=${router ? 1 : 0}`,
      `net.ipv6.conf.all.forwarding=${router ? 1 : 0}`,
      // The IPv4-only host's server binds its address before part 2 configures it.
      ...(r.kind === "internet" ? ["net.ipv4.ip_nonlocal_bind=1"] : []),
    ];
    sh(`ip netns add ${name(r.role)}`, `ip netns exec ${name(r.role)} sysctl -qw ${sysctls.join(" ")}`);
    ip(r.role, "link set lo up");
  }
  lines = part2;

  // Links: veth pairs with explicit, all-different interface indexes (equal indexes delay carrier).
  sh("", "# links");
  let index = 10;
  // With real Jool, the links inside the VPC have AWS's 9001 bytes and the internet link 1500
  // (the internet gateway's path), so path MTU across translation is what it is on AWS.
  const jool = topo.engine === "jool";
  const link = (a: string, aName: string, b: string, bName: string, inside = true) => {
    const mtu = jool && inside ? " mtu 9001" : "";
    sh(`ip link add ${aName} index ${index}${mtu} netns ${name(a)} type veth peer name ${bName} index ${index + 1}${mtu} netns ${name(b)}`);
    index += 2;
  };
  if (jool) sh("", "# real Jool: the kernel modules (one netfilter instance per namespace)", "modprobe jool_siit", "modprobe jool");
  link("inet", IFACE.inetUp, "igw", IFACE.igwInternet, false);
  link("igw", IFACE.igwVpc, "vpc", IFACE.vpcIgw);
  if (layout.egressOnly) link("igw", IFACE.igwEgressOnly, "vpc", IFACE.vpcEgressOnly);
  const devices = layout.roles.filter((r) => r.kind === "translator" || r.kind === "server" || r.kind === "nat64");
  for (const r of devices) link("vpc", layout.vpcLink(r.role), r.role, r.kind === "server" ? IFACE.serverEth : IFACE.eni);

  // The internet: clients and the IPv4-only host.
  sh("", "# internet: IPv4 client, IPv6 client, IPv4-only host");
  ip("inet", `addr add ${LAB_INTERNET.ipv4Client}/${LAB_INTERNET.ipv4Link.length} dev ${IFACE.inetUp}`);
  ip("inet", `addr add ${LAB_INTERNET.ipv6Client}/${LAB_INTERNET.ipv6Link.length} dev ${IFACE.inetUp} nodad`);
  ip("inet", `addr add ${LAB_INTERNET.ipv4Host}/32 dev lo`);
  ip("inet", `link set ${IFACE.inetUp} up`);
  ip("inet", `route add default via ${LAB_INTERNET.ipv4Gateway}`);
  ip("inet", `route add ::/0 via ${LAB_INTERNET.ipv6Gateway}`);

  // Internet gateway: 1:1 NAT of every EIP, IPv6 routed natively.
  sh("", "# internet gateway");
  ip("igw", `addr add ${LAB_INTERNET.ipv4Gateway}/${LAB_INTERNET.ipv4Link.length} dev ${IFACE.igwInternet}`);
  ip("igw", `addr add ${LAB_INTERNET.ipv6Gateway}/${LAB_INTERNET.ipv6Link.length} dev ${IFACE.igwInternet} nodad`);
  const routerLink = (role: string, iface: string, ll: string) => {
    ip(role, `link set ${iface} addrgenmode none`);
    ip(role, `addr add ${ll}/64 dev ${iface} nodad`);
    ip(role, `link set ${iface} up`);
  };
  ip("igw", `link set ${IFACE.igwInternet} up`);
  routerLink("igw", IFACE.igwVpc, TRANSIT.igw6);
  ip("igw", `addr add ${TRANSIT.igw4}/30 dev ${IFACE.igwVpc}`);
  if (layout.egressOnly) routerLink("igw", IFACE.igwEgressOnly, TRANSIT.igw6);
  ip("igw", `route add ${topo.vpc.ipv4} via ${TRANSIT.vpc4} dev ${IFACE.igwVpc}`);
  ip("igw", `route add ${topo.vpc.ipv6} via ${TRANSIT.vpc6} dev ${IFACE.igwVpc}`);
  ip("igw", `route add ${LAB_INTERNET.ipv4Host}/32 via ${LAB_INTERNET.ipv4Client} dev ${IFACE.igwInternet}`);
  const nat = [
    ...topo.services.flatMap((s) => s.addresses.map((a) => ({ eip: a.eip, private: a.privateIpv4, label: `EIP of ${s.key} via translator ${a.translator}` }))),
    ...topo.nat64.map((d) => ({ eip: d.eip, private: d.ipv4, label: `EIP of the NAT64 in ${d.zone}` })),
  ];
  nft.get("igw")!.push(renderInternetGateway(nat, { internet: IFACE.igwInternet, vpc: IFACE.igwVpc, egressOnly: layout.egressOnly ? IFACE.igwEgressOnly : undefined }));

  // VPC router: local routes in main, one table per server subnet selected by the incoming link.
  sh("", "# VPC router");
  routerLink("vpc", IFACE.vpcIgw, TRANSIT.vpc6);
  ip("vpc", `addr add ${TRANSIT.vpc4}/30 dev ${IFACE.vpcIgw}`);
  if (layout.egressOnly) routerLink("vpc", IFACE.vpcEgressOnly, TRANSIT.vpc6);
  ip("vpc", `route add default via ${TRANSIT.igw4} dev ${IFACE.vpcIgw}`);
  ip("vpc", `route add ::/0 via ${TRANSIT.igw6} dev ${IFACE.vpcIgw}`);
  const edgeRouter = (zone: string) => topo.vpc.edgeSubnets.find((e) => e.zone === zone)!.ipv4.host(1);
  const nextHop6 = new Map<string, { via: Ipv6Address; dev: string }>();
  topo.translators.forEach((t) => {
    const role = layout.translator(t.key);
    const l = layout.vpcLink(role);
    routerLink("vpc", l, TRANSIT.vpc6);
    ip("vpc", `addr add ${edgeRouter(t.zone)}/32 dev ${l}`);
    ip("vpc", `route add ${t.primaryIpv4}/32 dev ${l}`);
    for (const v of t.secondaryIpv4) ip("vpc", `route add ${v}/32 via ${t.primaryIpv4} dev ${l}`);
    ip("vpc", `route add ${t.ipv6}/128 dev ${l}`);
    nextHop6.set(`translator:${t.key}`, { via: t.ipv6, dev: l });
  });
  topo.nat64.forEach((d) => {
    const role = layout.nat64(d.zone);
    const l = layout.vpcLink(role);
    routerLink("vpc", l, TRANSIT.vpc6);
    ip("vpc", `addr add ${edgeRouter(d.zone)}/32 dev ${l}`);
    ip("vpc", `route add ${d.ipv4}/32 dev ${l}`);
    ip("vpc", `route add ${d.ipv6}/128 dev ${l}`);
    nextHop6.set(`nat64:${d.zone}`, { via: d.ipv6, dev: l });
  });
  topo.servers.forEach((s) => {
    const l = layout.vpcLink(layout.server(s.key));
    routerLink("vpc", l, TRANSIT.vpc6);
    ip("vpc", `route add ${s.address}/128 dev ${l}`);
  });
  ip6("vpc", `rule add pref 100 to ${topo.vpc.ipv6} lookup main`);
  topo.routeTables.forEach((table, i) => {
    const id = 100 + i;
    sh(`# route table ${table.subnet} (table ${id})`);
    for (const r of table.routes) ip("vpc", `route add ${r.destination} ${via(r, nextHop6, layout)} table ${id}`);
    topo.servers
      .filter((s) => s.subnet === table.subnet)
      .forEach((s) => {
        const l = layout.vpcLink(layout.server(s.key));
        ip6("vpc", `rule add pref 200 iif ${l} lookup ${id}`);
        ip6("vpc", `rule add pref 300 iif ${l} blackhole`);
      });
  });

  // Translators: interface, security group, denylist4, tayga's TUN made first so it is routed before tayga runs.
  const daemons: LabDaemon[] = [];
  const edgeHost = (role: string, ipv4: Ipv4Address, ipv6: Ipv6Address, zone: string) => {
    ip(role, `addr add ${ipv4}/32 dev ${IFACE.eni}`);
    ip(role, `addr add ${ipv6}/128 dev ${IFACE.eni} nodad`);
    ip(role, `link set ${IFACE.eni} up`);
    ip(role, `route add ${edgeRouter(zone)}/32 dev ${IFACE.eni}`);
    ip(role, `route add default via ${edgeRouter(zone)} dev ${IFACE.eni}`);
    ip(role, `route add ::/0 via ${TRANSIT.vpc6} dev ${IFACE.eni}`);
  };
  const tayga = (role: string, conf: string, tun: string, label: string, translator?: string) => {
    sh(`ip netns exec ${name(role)} tayga --mktun -c ${file(conf)} >/dev/null`);
    ip(role, `link set ${tun} addrgenmode none up`);
    daemons.push({
      role,
      label,
      translator,
      kind: "process",
      argv: ["ip", "netns", "exec", name(role), "stdbuf", "-oL", "tayga", "-d", "-c", file(conf), "-p", file(`${role}.pid`)],
      pidFile: file(`${role}.pid`),
      logFile: file(`${role}.tayga.log`),
      tun,
    });
  };
  // Real Jool: each node applies exactly its file; its security group sits on the VPC router's
  // link to it (see checks.ts: Jool's translations bypass the namespace's output hook).
  const joolInstance = (role: string, tool: "jool_siit" | "jool", joolFile: string, label: string, translator?: string) => {
    const instance = (JSON.parse(joolFile) as { instance: string }).instance;
    files.set(`${role}.jool.json`, joolFile);
    daemons.push({
      kind: "command",
      role,
      label,
      translator,
      start: ["ip", "netns", "exec", name(role), tool, "file", "handle", file(`${role}.jool.json`)],
      stop: ["ip", "netns", "exec", name(role), tool, "instance", "remove", instance],
    });
  };
  const vpcGroup = (role: string, sg: LabSecurityGroup) => nft.get("vpc")!.push(renderSecurityGroup(sg, layout.vpcLink(role), { table: `sg_${role}`, outbound: true }));
  topo.translators.forEach((t) => {
    const role = layout.translator(t.key);
    sh("", `# translator ${t.key} (${t.zone})`);
    edgeHost(role, t.primaryIpv4, t.ipv6, t.zone);
    // The translator's own per-address filter, exactly as delivered (prerouting, ahead of Jool or tayga).
    nft.get(role)!.push(t.filter);
    if (jool) {
      vpcGroup(role, t.securityGroup);
      joolInstance(role, "jool_siit", t.joolFile, `Jool SIIT of translator ${t.key}`, t.key);
      return;
    }
    nft.get(role)!.push(renderSecurityGroup(t.securityGroup, IFACE.eni), renderDenylist4(t.denylist4, t.tayga.maps.map((m) => m.ipv4), t.tayga.prefix?.lab, { eni: IFACE.eni, tun: IFACE.siitTun }));
    files.set(`${role}.tayga.conf`, renderTaygaConf(t.tayga));
    files.set(`${role}.jool.json`, t.joolFile);
    tayga(role, `${role}.tayga.conf`, IFACE.siitTun, `tayga of translator ${t.key}`, t.key);
    if (!t.enabled) daemons.pop();
    // denylist4 by routing: only mapped IPv4 addresses go into the TUN.
    for (const m of t.tayga.maps) ip(role, `route add ${m.ipv4} dev ${IFACE.siitTun}`);
    ip(role, `route add ${t.tayga.ipv4Addr}/32 dev ${IFACE.siitTun}`);
    if (t.tayga.prefix) ip(role, `route add ${t.tayga.prefix.lab} dev ${IFACE.siitTun}`);
    else ip(role, `route add ${t.tayga.ipv6Addr}/128 dev ${IFACE.siitTun}`);
  });

  // NAT64: real Jool on the node's file (a NAT gateway gets a stand-in file), or tayga stand-ins.
  topo.nat64.forEach((d) => {
    const role = layout.nat64(d.zone);
    sh("", `# NAT64 in ${d.zone} (${d.provider})`);
    edgeHost(role, d.ipv4, d.ipv6, d.zone);
    if (jool) {
      if (d.securityGroup) vpcGroup(role, d.securityGroup);
      joolInstance(role, "jool", d.joolFile, d.provider === "jool-instance" ? `Jool NAT64 in ${d.zone}` : `Jool NAT64 standing in for the NAT gateway in ${d.zone}`);
      return;
    }
    if (d.securityGroup) nft.get(role)!.push(renderSecurityGroup(d.securityGroup, IFACE.eni));
    nft.get(role)!.push(renderNat64Masquerade(d.pool, IFACE.eni, d.pool4, d.provider === "jool-instance"));
    files.set(`${role}.tayga.conf`, renderTaygaConf({ ...d.tayga, dataDir: file(`${role}.data`) }));
    tayga(role, `${role}.tayga.conf`, IFACE.nat64Tun, `tayga of the NAT64 in ${d.zone}`);
    ip(role, `route add ${d.prefix} dev ${IFACE.nat64Tun}`);
    ip(role, `route add ${d.pool} dev ${IFACE.nat64Tun}`);
    ip(role, `route add ${d.tayga.ipv4Addr}/32 dev ${IFACE.nat64Tun}`);
  });

  // Servers: IPv6-only, their planned address, their security group.
  topo.servers.forEach((s) => {
    const role = layout.server(s.key);
    sh("", `# server ${s.key} (${s.subnet}): ${s.services.join(", ")}`);
    ip(role, `addr add ${s.address}/128 dev ${IFACE.serverEth} nodad`);
    ip(role, `link set ${IFACE.serverEth} up`);
    ip(role, `route add ::/0 via ${TRANSIT.vpc6} dev ${IFACE.serverEth}`);
    nft.get(role)!.push(renderSecurityGroup(s.securityGroup, IFACE.serverEth));
  });

  // Trace counters: one per distinct hop, per namespace.
  const counters = new Map<string, string>();
  const perRole = new Map<string, TraceCounter[]>();
  const hops = checks.checks.flatMap((c) => [...c.hops, ...(c.required ?? []), ...(c.forbidden ?? []), ...(c.guards ?? []).map((g) => g.hop)]);
  for (const hop of hops) {
    const key = hopKey(hop);
    if (counters.has(key)) continue;
    const id = `h${counters.size + 1}`;
    counters.set(key, id);
    perRole.set(hop.role, [...(perRole.get(hop.role) ?? []), { id, chain: hop.chain, match: hop.match }]);
  }
  for (const r of layout.roles) nft.get(r.role)!.push(renderTrace(perRole.get(r.role) ?? []));

  sh("", "# nftables: security groups, NAT, denylist4, trace counters");
  for (const [role, rulesets] of nft) {
    files.set(`${role}.nft`, rulesets.join("\n"));
    sh(`ip netns exec ${name(role)} nft -f ${file(`${role}.nft`)}`);
  }

  const agents: LabAgent[] = [
    { role: "inet", listen: [{ protocol: "tcp", host: LAB_INTERNET.ipv4Host.toString(), port: 80 }] },
    ...topo.servers.map((s) => ({ role: layout.server(s.key), listen: s.listen.map((l) => ({ ...l, host: "::" })) })),
  ];
  const namespaceScript = render(header("part 1, namespaces"), part1);
  const networkScript = render(header("part 2, network"), part2);
  return { namespaces: ns, files, script: `${namespaceScript}\n${networkScript}`, namespaceScript, networkScript, daemons, agents, counters };
}

function via(r: LabRoute, nextHop6: ReadonlyMap<string, { via: Ipv6Address; dev: string }>, layout: LabLayout): string {
  switch (r.target.kind) {
    case "translator": {
      const h = nextHop6.get(`translator:${r.target.id}`)!;
      return `via ${h.via} dev ${h.dev}`;
    }
    case "nat64": {
      const h = nextHop6.get(`nat64:${r.target.zone}`)!;
      return `via ${h.via} dev ${h.dev}`;
    }
    case "internet-gateway":
      return `via ${TRANSIT.igw6} dev ${IFACE.vpcIgw}`;
    case "egress-only-internet-gateway":
      return `via ${TRANSIT.igw6} dev ${layout.egressOnly ? IFACE.vpcEgressOnly : IFACE.vpcIgw}`;
    case "unknown":
      return "blackhole";
  }
}

function render(header: readonly string[], lines: readonly (string | { readonly ns: string; readonly args: string; readonly six?: boolean })[]): string {
  const out = [...header];
  for (let i = 0; i < lines.length; ) {
    const line = lines[i];
    if (typeof line === "string") {
      out.push(line);
      i++;
      continue;
    }
    const same = (l: (typeof lines)[number]) => typeof l !== "string" && l.ns === line.ns && !!l.six === !!line.six;
    const batch: string[] = [];
    while (i < lines.length && same(lines[i])) batch.push((lines[i++] as { args: string }).args);
    const cmd = `ip${line.six ? " -6" : ""} -n ${line.ns}`;
    if (batch.length === 1) out.push(`${cmd} ${batch[0]}`);
    else out.push(`${cmd} -batch - <<'EOF'`, ...batch, "EOF");
  }
  return `${out.join("\n")}\n`;
}
