import { isNodeConfigFormat } from "../plan/jool/bundle";
import { JoolFragment } from "../plan/jool/fragments";
import { Ipv4Address, Ipv4Prefix, Ipv6Prefix } from "../plan/address/ip";
import { blocks, ResourceView, StackView, strings, TerraformJson } from "../plan/policy/stack-view";

/**
 * What a synthesized stack really exposes of each published service, read from its Terraform
 * JSON (not from the declaration): for each of the service's addresses, whether an EIP is
 * associated with its private IPv4 on the translator's interface, whether that translator's Jool
 * file maps it (EAM) to the server's interface address, whether the server's route table sends the
 * translator's /96 back to that translator, and which ports the translator's security groups (from
 * any IPv4 client), its per-address filter (delivered with the Jool file) and the server's groups
 * (from the translator's /96) all admit; over IPv6, which
 * ports the server's groups admit from any IPv6 client, given a route to an internet gateway.
 *
 * Ports are tcp/udp ranges and ICMP echo (`icmp/echo`); ICMP errors for path MTU discovery are
 * plumbing, not service ports, and are left out. Rules are read from
 * aws_vpc_security_group_ingress_rule resources (what the library writes); inline `ingress`
 * blocks and aws_security_group_rule are read too, so a user's own rules count.
 */

/** Where to look in the stack's Terraform JSON for one service's addresses. */
export interface ExposureQuery {
  /** The service's name. */
  readonly service: string;
  /** Each address of the service: its zone, translator, interface, Jool file, private IPv4 and /96. */
  readonly carriers: readonly {
    /** The translator's zone, e.g. `eu-north-1a`. */
    readonly zone: string;
    /** The translator's id, e.g. `a0`. */
    readonly translator: string;
    /**
     * Terraform address of the translator's interface, `aws_network_interface.<name>`; for a team in
     * an app of its own, which does not hold the interface, its id as the stack writes it (`eni-...`).
     */
    readonly networkInterface: string;
    /**
     * Terraform address of the translator's Jool file, `aws_s3_object.<name>`.
     * @default - not in the stack (a team in an app of its own): the Jool settings are not read
     */
    readonly configObject?: string;
    /**
     * Terraform address of a team's fragment on the translator (its EAM entries and filter data).
     * @default - a platform service: its EAM entry and filter are in the Jool file
     */
    readonly fragmentObject?: string;
    /**
     * A team's security group on the interface, as the stack writes its id, when the stack does
     * not hold the interface (its other groups are the platform's, not read).
     * @default - the interface's groups, read from the stack
     */
    readonly teamGroup?: string;
    /** The address's private IPv4 on that interface, e.g. `10.0.0.65`. */
    readonly privateIpv4: string;
    /** The translator's /96. */
    readonly prefix: string;
  }[];
}

/** What one published service exposes, as read from the synthesized Terraform. */
export interface ServiceExposure {
  /** The service's name. */
  readonly service: string;
  /**
   * Terraform address of the server interface the EAM entries point at, `aws_network_interface.<name>`.
   * @default - absent when no EAM entry points at an interface of the stack
   */
  readonly server?: string;
  /** Per address: the ports an IPv4 client reaches through it, and what is broken on its way. */
  readonly ipv4: readonly {
    /** The zone of the translator that carries the address, e.g. `eu-north-1a`. */
    readonly zone: string;
    /** That translator's id, e.g. `a0`. */
    readonly translator: string;
    /**
     * Ports an IPv4 client reaches through the address (admitted by both the translator's and the
     * server's security groups), e.g. `tcp/443`, `udp/1000-2000`, `icmp/echo`; empty when anything is broken.
     */
    readonly ports: readonly string[];
    /** What is broken on the way, in words (e.g. no EIP associated, no EAM entry, no return route); empty when nothing is. */
    readonly broken: readonly string[];
  }[];
  /** Ports open to IPv6 clients; empty when the server has no inbound route from the internet. */
  readonly ipv6: readonly string[];
  /**
   * What the stack does not hold and so was not read, in words: for a team in an app of its own,
   * the platform's interfaces, their other groups, the Jool settings and the server subnets'
   * routes (the platform's stack; check them there).
   * @default - everything was read
   */
  readonly unchecked?: readonly string[];
}

type Ranges = Map<string, [number, number][]>;
const ALL: [number, number] = [0, 65535];

function add(r: Ranges, proto: string, range: [number, number]): void {
  r.set(proto, [...(r.get(proto) ?? []), range]);
}

function normalise(list: [number, number][]): [number, number][] {
  const sorted = [...list].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

function intersect(x: Ranges, y: Ranges): Ranges {
  const out: Ranges = new Map();
  for (const [proto, xs] of x) {
    for (const [a, b] of normalise(xs)) {
      for (const [c, d] of normalise(y.get(proto) ?? [])) {
        const lo = Math.max(a, c);
        const hi = Math.min(b, d);
        if (lo <= hi) add(out, proto, [lo, hi]);
      }
    }
  }
  return out;
}

/** `tcp/443`, `udp/1000-2000`, `icmp/echo`, in a stable order. */
export function portList(r: Ranges): string[] {
  const out: string[] = [];
  for (const proto of ["tcp", "udp"]) {
    for (const [a, b] of normalise(r.get(proto) ?? [])) out.push(a === b ? `${proto}/${a}` : `${proto}/${a}-${b}`);
  }
  if ((r.get("echo") ?? []).length) out.push("icmp/echo");
  return out;
}

interface Rule {
  readonly protocol: string;
  readonly from?: number;
  readonly to?: number;
  readonly cidr4?: string;
  readonly cidr6?: string;
  readonly prefixList?: string;
}

const num = (v: unknown) => (v === undefined || v === null ? undefined : Number(v));

/** An aws_vpc_security_group_ingress_rule's config as a rule. */
function vpcIngressRule(c: Record<string, unknown>): Rule {
  return { protocol: String(c.ip_protocol), from: num(c.from_port), to: num(c.to_port), cidr4: c.cidr_ipv4 as string, cidr6: c.cidr_ipv6 as string, prefixList: c.prefix_list_id as string };
}

/** Inbound rules of a security group, from every form Terraform JSON can hold them in. */
function ingressRules(view: StackView, sg: ResourceView): Rule[] {
  const rules: Rule[] = view.referring("aws_vpc_security_group_ingress_rule", "security_group_id", sg).map((r) => vpcIngressRule(r.config));
  const expand = (c: Record<string, unknown>) => {
    const base = { protocol: String(c.protocol), from: num(c.from_port), to: num(c.to_port) };
    for (const cidr of strings(c.cidr_blocks)) rules.push({ ...base, cidr4: cidr });
    for (const cidr of strings(c.ipv6_cidr_blocks)) rules.push({ ...base, cidr6: cidr });
    for (const pl of strings(c.prefix_list_ids)) rules.push({ ...base, prefixList: pl });
  };
  for (const r of view.referring("aws_security_group_rule", "security_group_id", sg)) if (r.config.type === "ingress") expand(r.config);
  for (const b of blocks(sg.config.ingress)) expand(b);
  return rules;
}

/** Inbound rules the stack adds to a group it does not hold, named by its id as the stack writes it. */
function rulesOfGroupId(view: StackView, id: string | undefined): Rule[] {
  if (id === undefined) return [];
  return view
    .resources("aws_vpc_security_group_ingress_rule")
    .filter((r) => r.config.security_group_id === id)
    .map((r) => vpcIngressRule(r.config));
}

/** Ports admitted by `rules` to a packet from `source` (family by the rule's source field). */
function admitted(view: StackView, rules: readonly Rule[], family: "ipv4" | "ipv6", covers: (cidr: string) => boolean): Ranges {
  const out: Ranges = new Map();
  for (const r of rules) {
    let sources: string[] = [];
    if (family === "ipv4" && r.cidr4) sources = [r.cidr4];
    if (family === "ipv6" && r.cidr6) sources = [r.cidr6];
    if (family === "ipv6" && r.prefixList) {
      const pl = view.target(r.prefixList, "aws_ec2_managed_prefix_list");
      sources = blocks(pl?.config.entry).map((e) => String(e.cidr));
    }
    if (!sources.some((s) => literalCidr(s) && covers(s))) continue;
    const p = r.protocol.toLowerCase();
    if (p === "-1" || p === "all") {
      add(out, "tcp", ALL);
      add(out, "udp", ALL);
      add(out, "echo", [0, 0]);
    } else if (p === "tcp" || p === "6" || p === "udp" || p === "17") {
      add(out, p === "6" ? "tcp" : p === "17" ? "udp" : p, [r.from ?? 0, r.to ?? 65535]);
    } else if ((p === "icmp" && family === "ipv4" && (r.from === 8 || r.from === -1)) || (p === "icmpv6" && family === "ipv6" && (r.from === 128 || r.from === -1))) {
      add(out, "echo", [0, 0]);
    }
  }
  return out;
}

const literalCidr = (s: string) => !s.includes("${");

/** The parts of a Jool file the exposure reads. */
interface JoolFileView {
  readonly eamt?: readonly { readonly "ipv4 prefix": string; readonly "ipv6 prefix": string }[];
  readonly global?: { readonly pool6?: string };
}

/**
 * Ports the translator's per-address filter (lib/plan/siit/translator-filter.ts) passes to an
 * address: the `declared4` set's `address . protocol . ports` elements and the `echo4` set. An
 * address the filter does not list (`published4`) is not filtered there.
 */
function filterPorts(nftables: string, address: string): Ranges | undefined {
  const elements = (set: string) => (new RegExp(`set ${set} \\{[^}]*?elements = \\{ ([^}]*) \\}`).exec(nftables)?.[1] ?? "").split(", ").filter((e) => e !== "");
  if (!elements("published4").includes(address)) return undefined;
  const out: Ranges = new Map();
  for (const e of elements("declared4")) {
    const [a, proto, ports] = e.split(" . ");
    if (a !== address) continue;
    const [from, to] = ports.split("-").map(Number);
    add(out, proto, [from, to ?? from]);
  }
  if (elements("echo4").includes(address)) add(out, "echo", [0, 0]);
  return out;
}

function securityGroupsOf(view: StackView, eni: ResourceView): ResourceView[] {
  return strings(eni.config.security_groups)
    .map((g) => view.target(g, "aws_security_group"))
    .filter((g): g is ResourceView => g !== undefined);
}

function routesOfSubnet(view: StackView, subnetRef: unknown): ResourceView[] {
  const subnet = view.target(subnetRef, "aws_subnet");
  if (!subnet) return [];
  const tables = view
    .referring("aws_route_table_association", "subnet_id", subnet)
    .map((a) => view.target(a.config.route_table_id, "aws_route_table"))
    .filter((t): t is ResourceView => t !== undefined);
  return tables.flatMap((t) => [
    ...view.referring("aws_route", "route_table_id", t),
    ...blocks(t.config.route).map((config, i) => ({ type: "aws_route", name: `${t.name}[${i}]`, address: `${t.address}.route[${i}]`, config })),
  ]);
}

/** Whether `address` is a private IPv4 of the interface, or inside a prefix delegated to it (a team's /28). */
function holdsIpv4(eni: ResourceView, address: string): boolean {
  if (strings(eni.config.private_ips).includes(address)) return true;
  const ip = Ipv4Address.parse(address);
  return strings(eni.config.ipv4_prefixes).some((p) => literalCidr(p) && Ipv4Prefix.parse(p).contains(ip));
}

/** The parts of a team's fragment object the exposure reads (lib/plan/jool/fragments.ts). */
type FragmentView = Partial<Pick<JoolFragment, "eamt" | "filter">>;

/** Ports a team's fragment lets the agent's filter pass to an address (`tcp 443`, `udp 1000-2000`, echo); undefined when it does not list the address. */
function fragmentPorts(fragment: FragmentView, address: string): Ranges | undefined {
  const entry = fragment.filter?.find((f) => f.ipv4 === address);
  if (!entry) return undefined;
  const out: Ranges = new Map();
  for (const p of entry.ports) {
    const [proto, ports] = p.split(" ");
    const [from, to] = ports.split("-").map(Number);
    add(out, proto, [from, to ?? from]);
  }
  if (entry.echo) add(out, "echo", [0, 0]);
  return out;
}

/** An object's JSON content, or undefined (with what is wrong in `broken`). */
function objectJson<T>(view: StackView, address: string, what: string, broken: string[]): T | undefined {
  const object = view.resources(address.split(".")[0]).find((r) => r.address === address);
  try {
    return JSON.parse(String(object?.config.content ?? "")) as T;
  } catch {
    broken.push(`the ${what} ${address} is not JSON`);
    return undefined;
  }
}

/** The exposure of each queried service in a synthesized stack. */
export function exposureOf(json: TerraformJson, queries: readonly ExposureQuery[]): ServiceExposure[] {
  const view = new StackView(json);
  const byAddress = (a: string) => view.resources(a.split(".")[0]).find((r) => r.address === a);
  return queries.map((q) => {
    let server: ResourceView | undefined;
    const unchecked = new Set<string>();
    const ipv4 = q.carriers.map((c) => {
      const broken: string[] = [];
      // A team in an app of its own names the platform's interface by id: the stack does not hold it.
      const held = c.networkInterface.startsWith("aws_network_interface.");
      const eni = held ? byAddress(c.networkInterface) : undefined;
      if (held && !eni) return { zone: c.zone, translator: c.translator, ports: [], broken: [`no interface ${c.networkInterface}`] };
      if (eni && !holdsIpv4(eni, c.privateIpv4)) broken.push(`${c.privateIpv4} is neither an address of ${eni.address} nor in a prefix delegated to it`);
      if (!eni) unchecked.add(`translator ${c.translator}'s interface ${c.networkInterface}, its other security groups and its Jool settings (the platform's stack)`);
      const onInterface = (ref: unknown) => (eni ? view.designates(ref, eni) : ref === c.networkInterface);
      const association = view.resources("aws_eip_association").find((a) => a.config.private_ip_address === c.privateIpv4 && onInterface(a.config.network_interface_id));
      if (!association) broken.push(`no EIP is associated with ${c.privateIpv4} on ${eni?.address ?? c.networkInterface}`);
      // The EAM entry of the address (the Jool file, or the team's fragment) and its filter ports.
      let eam: string | undefined;
      let filter: Ranges | undefined;
      if (c.configObject !== undefined) {
        // The node configuration object: the Jool file and the translator's per-address filter.
        const bundle = objectJson<{ format?: string; jool?: JoolFileView; nftables?: string }>(view, c.configObject, "Jool file", broken);
        if (bundle) {
          const jool: JoolFileView = isNodeConfigFormat(bundle.format) ? (bundle.jool ?? {}) : (bundle as JoolFileView);
          if (jool.global?.pool6 !== c.prefix) broken.push(`the Jool file ${c.configObject} has pool6 ${jool.global?.pool6}, not ${c.prefix}`);
          if (c.fragmentObject === undefined) {
            eam = jool.eamt?.find((e) => e["ipv4 prefix"] === `${c.privateIpv4}/32`)?.["ipv6 prefix"];
            if (bundle.nftables !== undefined) filter = filterPorts(bundle.nftables, c.privateIpv4);
          }
        }
      }
      const source = c.fragmentObject ?? c.configObject;
      if (c.fragmentObject !== undefined) {
        const fragment = objectJson<FragmentView>(view, c.fragmentObject, "team fragment", broken);
        eam = fragment?.eamt?.find((e) => e["ipv4 prefix"] === `${c.privateIpv4}/32`)?.["ipv6 prefix"];
        if (fragment) filter = fragmentPorts(fragment, c.privateIpv4);
      }
      if (!eam && broken.every((b) => !b.endsWith("is not JSON"))) broken.push(`the ${c.fragmentObject ? "team fragment" : "Jool file"} ${source} has no EAM entry for ${c.privateIpv4}`);
      const target = eam?.replace(/\/128$/, "");
      const serverEni = target === undefined ? undefined : view.resources("aws_network_interface").find((n) => strings(n.config.ipv6_addresses).includes(target));
      if (target !== undefined && !serverEni) broken.push(`no interface of the stack holds the EAM target ${target}`);
      server ??= serverEni;
      if (!serverEni || broken.length) return { zone: c.zone, translator: c.translator, ports: [], broken };
      // Symmetric return: the server's route table sends this translator's /96 to its interface.
      if (view.target(serverEni.config.subnet_id, "aws_subnet")) {
        const back = routesOfSubnet(view, serverEni.config.subnet_id).find((r) => r.config.destination_ipv6_cidr_block === c.prefix && onInterface(r.config.network_interface_id));
        if (!back) broken.push(`the server's route table does not route ${c.prefix} to ${eni?.address ?? c.networkInterface}`);
      } else {
        unchecked.add(`the routes of ${serverEni.address}'s subnet (the platform's stack)`);
      }
      const prefix = Ipv6Prefix.parse(c.prefix);
      const translatorRules = eni ? securityGroupsOf(view, eni).flatMap((g) => ingressRules(view, g)) : rulesOfGroupId(view, c.teamGroup);
      const atTranslator = admitted(view, translatorRules, "ipv4", (s) => Ipv4Prefix.parse(s).length === 0);
      const atServer = admitted(view, securityGroupsOf(view, serverEni).flatMap((g) => ingressRules(view, g)), "ipv6", (s) => Ipv6Prefix.parse(s).contains(prefix));
      const passed = filter === undefined ? atTranslator : intersect(atTranslator, filter);
      return { zone: c.zone, translator: c.translator, ports: broken.length ? [] : portList(intersect(passed, atServer)), broken };
    });
    let ipv6: string[] = [];
    if (server) {
      const subnetHeld = view.target(server.config.subnet_id, "aws_subnet") !== undefined;
      const fromInternet = routesOfSubnet(view, server.config.subnet_id).some((r) => r.config.destination_ipv6_cidr_block === "::/0" && view.target(r.config.gateway_id, "aws_internet_gateway"));
      // A client anywhere on the IPv6 internet (2000::/3): only rules from a prefix that holds all of it.
      const anyClient = Ipv6Prefix.parse("2000::/3");
      // A subnet the stack does not hold is the platform's server tier, routed to the internet gateway there.
      if (fromInternet || !subnetHeld) ipv6 = portList(admitted(view, securityGroupsOf(view, server).flatMap((g) => ingressRules(view, g)), "ipv6", (s) => Ipv6Prefix.parse(s).contains(anyClient)));
    }
    return { service: q.service, server: server?.address, ipv4, ipv6, ...(unchecked.size ? { unchecked: [...unchecked] } : {}) };
  });
}
