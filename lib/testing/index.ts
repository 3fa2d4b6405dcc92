import Ajv from "ajv";
import { App, TerraformResource, TerraformStack, Testing } from "../cdktf";
import { SiitDcTeam } from "../constructs/siit/siit-dc-team";
import { SiitDcTranslators } from "../constructs/siit/siit-dc-translators";
import { addressReportChanges } from "../plan/report/address-changes";
import { AddressReport, addressReport } from "../plan/report/address-report";
import schema from "../plan/report/address-report.schema.json";
import { TerraformJson } from "../plan/policy/stack-view";
import { addressReportInput, constructsOf, stacksOf } from "../toolkit/stack-model";
import { joinedWithPlatform } from "./cross-stack";
import { exposureOf, ExposureQuery, portList, ServiceExposure } from "./exposure";

/**
 * The testing kit (`cdktf-siit-dc/testing`, docs/guides/testing.md): an address-plan snapshot that
 * reads well in review, and assertions of intent on a stack: what each service really exposes
 * (read from the synthesized Terraform, not from the declaration), and that no address of a kept
 * service changes against a previous snapshot. Assertions throw an Error that says what differs,
 * so they work in any test runner.
 */

export type { AddressReport, ServiceExposure };

/** The JSON Schema of the address plan (`siit-dc report --json`). */
export const ADDRESS_PLAN_SCHEMA: object = schema;

const validator = new Ajv({ allErrors: true, strict: true }).compile(schema);

/** Schema violations of an address plan (empty when it is valid). */
export function validateAddressPlan(plan: unknown): string[] {
  if (validator(plan)) return [];
  return (validator.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`);
}

/**
 * The address plan of a stack (the `siit-dc report --json` data): per service each public address
 * slot, translator, private IPv4, IPv6 target, /96, ports and DNS names; per translator its EAM
 * entries. Stable across runs, so `expect(addressPlanSnapshot(stack)).toMatchSnapshot()` shows
 * address changes in review. Checked against ADDRESS_PLAN_SCHEMA.
 */
export function addressPlanSnapshot(stack: TerraformStack): AddressReport {
  const report = addressReport(addressReportInput(constructsOf(stack)));
  const problems = validateAddressPlan(report);
  if (problems.length) throw new Error(`the address plan of stack ${stack.node.id} does not match its schema: ${problems.join("; ")}`);
  return report;
}

const addressOf = (r: TerraformResource) => `${r.terraformResourceType}.${TerraformStack.of(r).getLogicalId(r)}`;

/** The queries of a translator set's own services: every carrier on an interface of the set. */
function setQueries(set: SiitDcTranslators): ExposureQuery[] {
  return set.plan.services.map((s) => ({
    service: s.name,
    carriers: s.addresses.map((a) => {
      const t = set.translators.find((x) => x.plan === a.translator)!;
      return { zone: a.translator.zone.name, translator: a.translator.id, networkInterface: addressOf(t.networkInterface), configObject: addressOf(t.configObject), privateIpv4: a.privateIpv4.toString(), prefix: a.translator.prefix.toString() };
    }),
  }));
}

/**
 * The queries of a team's services: EAM entries and filter data in the team's fragments; the
 * interface and Jool file the platform's set construct (`set`, when the app holds it), else the
 * interface and the team's group by the ids the manifest gave.
 */
function teamQueries(team: SiitDcTeam, set: SiitDcTranslators | undefined): ExposureQuery[] {
  return team.plan.services.map((s) => ({
    service: s.name,
    carriers: s.addresses.map((a) => {
      const t = set?.translators.find((x) => x.plan.id === a.translator.id);
      const shared = team.sharedSet.translators.find((x) => x.id === a.translator.id)!;
      const where = t ? { networkInterface: addressOf(t.networkInterface), configObject: addressOf(t.configObject) } : { networkInterface: shared.interfaceId, teamGroup: team.translatorGroupId };
      return { zone: a.translator.zone.name, translator: a.translator.id, ...where, fragmentObject: addressOf(team.fragments.get(a.translator.id)!), privateIpv4: a.privateIpv4.toString(), prefix: a.translator.prefix.toString() };
    }),
  }));
}

/**
 * What each published service of the stack exposes, read from the stack's synthesized Terraform:
 * per address (zone) the ports an IPv4 client reaches through the EIP, translator and EAM entry
 * (with what is broken on the way, if anything), and the ports an IPv6 client reaches directly.
 * A team's services (SiitDcTeam) are read with the platform's stack when the app holds it (one
 * app: the remote-state references are followed into it); a team in an app of its own holds only
 * its side, and `unchecked` lists the platform's parts that were not read.
 */
export function serviceExposure(stack: TerraformStack): ServiceExposure[] {
  const c = constructsOf(stack);
  let json = JSON.parse(Testing.synth(stack)) as TerraformJson;
  const queries: ExposureQuery[] = c.translatorSets.flatMap(setQueries);
  const joined = new Set<string>();
  for (const team of c.teams) {
    const platform = stacksOf(App.of(stack) as App).find((s) => s.node.id === team.platformStack);
    if (platform && platform !== stack && !joined.has(platform.node.id)) {
      json = joinedWithPlatform(json, JSON.parse(Testing.synth(platform)) as TerraformJson, platform.node.id);
      joined.add(platform.node.id);
    }
    const set = platform && constructsOf(platform).translatorSets.find((s) => s.node.path === team.sharedSet.path);
    queries.push(...teamQueries(team, set));
  }
  return exposureOf(json, queries);
}

/** The expected exposure of a service: exactly these ports, and nothing else. */
export interface ExpectedExposure {
  /**
   * IPv4: the ports (e.g. `tcp/443`, `udp/123`, `icmp/echo`) and the zones whose address reaches them.
   * @default - not reachable over IPv4: no port, through no zone
   */
  readonly ipv4?: {
    /** The ports, as `tcp/<port>`, `tcp/<from>-<to>`, `udp/...` or `icmp/echo`. */
    readonly ports: readonly string[];
    /** The zones whose address reaches them, e.g. `eu-north-1a`; an address in any other zone must reach none. */
    readonly zones: readonly string[];
  };
  /**
   * IPv6: the ports open to IPv6 clients; `[]` for none.
   * @default []
   */
  readonly ipv6?: readonly string[];
}

function normalisePorts(ports: readonly string[]): string[] {
  const ranges = new Map<string, [number, number][]>();
  for (const p of ports) {
    const m = /^(tcp|udp)\/(\d+)(?:-(\d+))?$/.exec(p);
    if (p === "icmp/echo") ranges.set("echo", [[0, 0]]);
    else if (m) ranges.set(m[1], [...(ranges.get(m[1]) ?? []), [Number(m[2]), Number(m[3] ?? m[2])]]);
    else throw new Error(`port ${JSON.stringify(p)}: write tcp/<port>, tcp/<from>-<to>, udp/... or icmp/echo`);
  }
  return portList(ranges);
}

/**
 * Asserts what service `name` of the stack exposes, exactly: reachable over IPv4 on `ipv4.ports`
 * through the addresses in `ipv4.zones` and in no other zone, over IPv6 on `ipv6`, and on no
 * other port. Throws an Error naming every difference.
 *
 *   assertServiceExposure(stack, "www", { ipv4: { ports: ["tcp/443"], zones: ["eu-north-1a", "eu-north-1b"] }, ipv6: ["tcp/443"] });
 */
export function assertServiceExposure(stack: TerraformStack, name: string, expected: ExpectedExposure): void {
  const all = serviceExposure(stack);
  const found = all.filter((e) => e.service === name);
  if (found.length === 0) throw new Error(`stack ${stack.node.id} publishes no service ${name} (services: ${all.map((e) => e.service).join(", ") || "none"})`);
  if (found.length > 1) throw new Error(`stack ${stack.node.id} has ${found.length} services named ${name} (in several translator sets)`);
  const [e] = found;
  const problems: string[] = [];
  const wantPorts = normalisePorts(expected.ipv4?.ports ?? []);
  const wantZones = [...(expected.ipv4?.zones ?? [])].sort();
  const reached = e.ipv4.filter((a) => a.ports.length > 0);
  const zones = reached.map((a) => a.zone).sort();
  if (JSON.stringify(zones) !== JSON.stringify(wantZones)) problems.push(`IPv4 reaches it via zones [${zones.join(", ")}], expected [${wantZones.join(", ")}]`);
  for (const a of e.ipv4) {
    if (a.broken.length) problems.push(`address in ${a.zone} (translator ${a.translator}) is broken: ${a.broken.join("; ")}`);
    if (a.ports.length && JSON.stringify(a.ports) !== JSON.stringify(wantPorts)) problems.push(`IPv4 via ${a.zone} reaches ports [${a.ports.join(", ")}], expected [${wantPorts.join(", ")}]`);
  }
  const want6 = normalisePorts(expected.ipv6 ?? []);
  if (JSON.stringify(e.ipv6) !== JSON.stringify(want6)) problems.push(`IPv6 reaches ports [${e.ipv6.join(", ")}], expected [${want6.join(", ")}]`);
  if (problems.length) throw new Error(`service ${name} of stack ${stack.node.id}:\n- ${problems.join("\n- ")}`);
}

/**
 * How the addresses of services kept from `previous` to `current` (same translator set, same
 * service name) changed: a translator interface that is replaced (its primary IPv4 moved, which
 * re-creates every association on it), a public address slot, translator, private IPv4 or /96
 * that moved, an address that went away, or an IPv6 target that changed; and a team that left
 * its set or whose prefixes moved (the platform's apply unassigns them, disassociating the
 * team's EIPs there). Empty when nothing changed. Services that `current` no longer has are not
 * kept, and not listed.
 */
export function addressChanges(previous: AddressReport, current: AddressReport): string[] {
  const problems = validateAddressPlan(previous).map((p) => `the previous snapshot does not match the schema: ${p}`);
  if (problems.length) return problems;
  return addressReportChanges(previous, current).map((c) => c.message);
}

/** Throws when an address of a kept service differs between the snapshots (see addressChanges). */
export function assertAddressesKept(previous: AddressReport, current: AddressReport): void {
  const changes = addressChanges(previous, current);
  if (changes.length) throw new Error(`addresses of kept services changed:\n- ${changes.join("\n- ")}`);
}
