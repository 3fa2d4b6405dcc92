import { IConstruct } from "constructs";
import { App, TerraformStack, Token } from "../cdktf";
import { hasBrand } from "../constructs/core/brand";
import { Ipv6ServerFleet } from "../constructs/fleet/ipv6-server-fleet";
import { Ipv6OnlyVpc } from "../constructs/network/ipv6-only-vpc";
import { OutboundNat64 } from "../constructs/nat64/outbound-nat64";
import { SiitDcTeam } from "../constructs/siit/siit-dc-team";
import { SiitDcTranslators } from "../constructs/siit/siit-dc-translators";
import { AddressReportInput } from "../plan/report/address-report";
import { TopologyInput } from "../plan/report/topology-diagram";

/**
 * The library's constructs in a stack, found by brand (not `instanceof`, so a command from one
 * copy of the package reads an app built with another), and the plan inputs the reports need.
 */
export interface StackConstructs {
  readonly stack: TerraformStack;
  readonly vpcs: Ipv6OnlyVpc[];
  readonly translatorSets: SiitDcTranslators[];
  readonly teams: SiitDcTeam[];
  readonly fleets: Ipv6ServerFleet[];
  readonly nat64s: OutboundNat64[];
}

/** The app's stacks, in construct order. */
export function stacksOf(app: App): TerraformStack[] {
  return app.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c));
}

/** The stacks named `wanted` (every stack when undefined); an unknown name is an error naming the stacks. */
export function pickStacks(app: App, wanted: string | undefined): TerraformStack[] {
  const stacks = stacksOf(app);
  if (wanted === undefined) return stacks;
  const stack = stacks.find((s) => s.node.id === wanted);
  if (!stack) throw new Error(`no stack ${wanted}; the app has ${stacks.map((s) => s.node.id).join(", ") || "no stacks"}`);
  return [stack];
}

/** The library's constructs that belong to `stack` (not to a nested stack). */
export function constructsOf(stack: TerraformStack): StackConstructs {
  const all = stack.node.findAll();
  const of = <T extends IConstruct>(name: Parameters<typeof hasBrand>[1]) => all.filter((c): c is T => hasBrand<T>(c, name) && TerraformStack.of(c) === stack);
  return {
    stack,
    vpcs: of<Ipv6OnlyVpc>("Ipv6OnlyVpc"),
    translatorSets: of<SiitDcTranslators>("SiitDcTranslators"),
    teams: of<SiitDcTeam>("SiitDcTeam"),
    fleets: of<Ipv6ServerFleet>("Ipv6ServerFleet"),
    nat64s: of<OutboundNat64>("OutboundNat64"),
  };
}

/** A record name as written (`nameInput`), or its unresolved token text. */
function recordName(record: { nameInput?: string } | undefined): string | undefined {
  const name = record?.nameInput;
  if (name === undefined) return undefined;
  return Token.isUnresolved(name) ? "(set at apply)" : name;
}

/** What the address report reads from the constructs: their plans, and the services' DNS record names. */
export function addressReportInput(c: StackConstructs): AddressReportInput {
  return {
    stack: c.stack.node.id,
    vpcs: c.vpcs.map((v) => ({ path: v.node.path, plan: v.plan })),
    translatorSets: c.translatorSets.map((s) => ({
      path: s.node.path,
      vpc: s.vpc.node.path,
      plan: s.plan,
      dnsNames: new Map(
        s.publishedServices.map((p) => [p.name, [...new Set([...p.addresses.map((a) => recordName(a.record)), recordName(p.aaaaRecord)].filter((n): n is string => n !== undefined))]]),
      ),
    })),
    nat64s: c.nat64s.map((n) => ({ path: n.node.path, vpc: n.vpc.node.path, plan: n.plan, provider: n.devices.some((d) => d.node) ? "jool-instance" : "nat-gateway" })),
  };
}

/** What the diagram reads: the address report input, and the fleets with their servers. */
export function topologyInput(c: StackConstructs): TopologyInput {
  return {
    ...addressReportInput(c),
    fleets: c.fleets.map((f) => ({
      path: f.node.path,
      vpc: f.vpc.node.path,
      instanceType: f.launchTemplate.instanceTypeInput ?? "(unknown)",
      servers: f.hasFixedAddresses ? f.servers.map((s) => ({ index: s.index, zone: s.zone.name, address: s.address })) : undefined,
    })),
  };
}
