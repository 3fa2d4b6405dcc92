import { referenceTopology, ReferenceOptions } from "../../examples/reference";
import { setOrderFirst } from "../../lib/plan/aws/interface-addresses";
import { AppliedResource, applyChanges, ApplyResult } from "../support/apply";
import { synthForTerraform } from "../support/stacks";
import { terraformTier } from "../support/tiers";

/**
 * Public addresses survive apply (docs/DESIGN.md invariants 12 and 15): the real AWS provider 5.100.0
 * applies each version of the reference topology's address-carrying resources (interfaces, EIPs,
 * associations) against a stateful loopback EC2 API, and the tests read what it was asked to do.
 * A plan cannot show this: the provider reports an interface's address update as in place while
 * its calls unassign (and so disassociate) the other services' addresses.
 */
const tier = terraformTier();
const region = "eu-north-1";
const reference = (o: ReferenceOptions = {}) => synthForTerraform((s) => referenceTopology(s, o), region);
/** Plain set-mode interfaces, to hold the plan core's prediction of the provider's order against the provider. */
const SET_ORDER_SETS = Array.from({ length: 24 }, (_, i) => ["10.9.0.10", `10.9.0.${65 + i}`, `10.9.0.${100 + i}`]);
const setOrderProbe = () => ({ resource: { aws_network_interface: Object.fromEntries(SET_ORDER_SETS.map((ips, i) => [`probe${i}`, { subnet_id: "subnet-probe", private_ips: ips }])) } });

tier.describe("terraform apply against a recording EC2 API", () => {
  let result: ApplyResult;
  beforeAll(async () => {
    result = await applyChanges(tier.env!, [
      { name: "first", before: reference(), after: reference() },
      { name: "add", before: reference({ services: ["www", "ntp"] }), after: reference() },
      { name: "remove", before: reference(), after: reference({ services: ["www", "ntp"], publicAddresses: ["www", "api", "ntp"] }) },
      { name: "release", before: reference(), after: reference({ services: ["www", "ntp"] }) },
      { name: "renumber", before: reference(), after: reference({ numbers: { api: 5 } }) },
      { name: "rename", before: reference(), after: reference({ names: { api: "api-v2" } }) },
      { name: "translators", before: reference(), after: reference({ translatorsPerZone: 2 }) },
      { name: "carrier", before: reference({ apiZones: ["eu-north-1a"] }), after: reference() },
      { name: "tags", before: reference(), after: reference({ edgeTags: { CostCentre: "edge" } }) },
      { name: "setorder", before: setOrderProbe(), after: setOrderProbe() },
      // Numbers 18 and 53 on a0: the set's order would make 10.0.0.117 primary.
      { name: "order", before: reference({ numbers: { www: 18, api: 53 } }), after: reference({ numbers: { www: 18, api: 53 } }) },
    ]);
  }, 900_000);

  /** EIPs (by Terraform address) of a scenario before and after, with what they were bound to. */
  const eips = (scenario: string, phase: "before" | "after") => {
    const resources = [...result[phase].resources[scenario].values()];
    const enis = new Map(resources.filter((r) => r.type === "aws_network_interface").map((r) => [r.values.id as string, r]));
    return new Map(
      resources
        .filter((r) => r.type === "aws_eip")
        .map((r) => {
          const assoc = resources.find((a) => a.type === "aws_eip_association" && a.values.allocation_id === r.values.allocation_id);
          return [r.address, { allocationId: r.values.allocation_id as string, eni: assoc?.values.network_interface_id as string | undefined, ip: assoc?.values.private_ip_address as string | undefined, enis }];
        }),
    );
  };
  /** Address events of the second apply that touch this allocation or its private address. */
  const touching = (allocationId: string, eni?: string, ip?: string) =>
    result.after.events.filter((e) => ("allocationId" in e && e.allocationId === allocationId) || (eni && ip && "ip" in e && e.eni === eni && e.ip === ip));
  /** Kept EIPs (present before and after) of services other than `changed`: nothing may touch them. */
  const keptUntouched = (scenario: string, changed: RegExp = /^$/) => {
    const before = eips(scenario, "before");
    const after = eips(scenario, "after");
    const kept = [...before].filter(([address]) => after.has(address) && !changed.test(address));
    expect(kept.length).toBeGreaterThan(0);
    for (const [address, b] of kept) {
      expect({ address, events: touching(b.allocationId, b.eni, b.ip) }).toEqual({ address, events: [] });
      expect(after.get(address)!.allocationId).toBe(b.allocationId);
      const live = result.ec2.addresses.get(b.allocationId);
      expect({ address, association: live?.association && { eni: live.association.eni, ip: live.association.ip } }).toEqual({ address, association: b.eni ? { eni: b.eni, ip: b.ip } : undefined });
    }
    return kept.length;
  };
  const of = (scenario: string, kind: string) => result.after.events.filter((e) => e.kind === kind && scenarioOwns(scenario, e));
  const scenarioOwns = (scenario: string, e: { eni?: string; allocationId?: string } | object) => {
    const ids = new Set([...result.before.resources[scenario].values(), ...result.after.resources[scenario].values()].map((r: AppliedResource) => String(r.values.id)));
    const ev = e as { eni?: string; allocationId?: string };
    return (ev.eni !== undefined && ids.has(ev.eni)) || (ev.allocationId !== undefined && [...result.before.resources[scenario].values(), ...result.after.resources[scenario].values()].some((r) => r.values.allocation_id === ev.allocationId));
  };

  test("one apply puts every planned address on its interface, the translators' primaries first", () => {
    const interfaces = [...result.before.resources.first.values()].filter((r) => r.type === "aws_network_interface");
    expect(interfaces.length).toBe(8);
    for (const r of interfaces) {
      const live = result.ec2.enis.get(r.values.id as string)!;
      const planned = (r.values.private_ips as string[]) ?? [];
      expect(live.privateIps.map((a) => a.ip).sort()).toEqual([...planned].sort());
      expect(live.ipv6).toEqual(r.values.ipv6_addresses);
      expect(live.ipv6).toHaveLength(1);
      if (planned.length) expect(live.privateIps.find((a) => a.primary)!.ip).toMatch(/\.(10|8)$/);
    }
  });

  test("an interface whose set order is wrong is created with its primary first, then follows the set without an EC2 call", () => {
    const a0 = [...result.after.resources.order.values()].find((r) => r.address.startsWith("aws_network_interface.Edge_Translator-a0_"))!;
    expect(result.ec2.enis.get(a0.values.id as string)!.privateIps.find((a) => a.primary)!.ip).toBe("10.0.0.10");
    expect(a0.values.private_ip_list_enabled).toBe(false);
    expect(result.after.events.filter((e) => scenarioOwns("order", e))).toEqual([]);
    const created = result.before.calls.find((c) => c.action === "CreateNetworkInterface" && c.params["PrivateIpAddresses.2.PrivateIpAddress"] === "10.0.0.82")!;
    expect(created.params["PrivateIpAddresses.1.PrivateIpAddress"]).toBe("10.0.0.10");
  });

  test("a refreshing plan after the applies shows no change", () => {
    expect(result.drift).toEqual(Object.fromEntries(Object.keys(result.drift).map((k) => [k, []])));
  });

  test("the same configuration applied again makes no EC2 change", () => {
    expect(result.after.events.filter((e) => scenarioOwns("first", e))).toEqual([]);
  });

  test("adding a service assigns and associates only its own addresses", () => {
    keptUntouched("add", /Address-api_/);
    expect(of("add", "unassign")).toEqual([]);
    expect(of("add", "assign").map((e) => "ip" in e && e.ip).sort()).toEqual(["10.0.0.66", "10.0.16.66"]);
    expect(of("add", "associate")).toHaveLength(2);
  });

  test("removing a service keeps its EIPs reserved; nothing else is touched", () => {
    keptUntouched("remove", /Address-api_/);
    expect(of("remove", "release")).toEqual([]);
    expect(of("remove", "disassociate")).toHaveLength(2);
    expect(of("remove", "unassign").map((e) => "ip" in e && e.ip).sort()).toEqual(["10.0.0.66", "10.0.16.66"]);
  });

  test("deleting a declared address releases exactly its EIPs", () => {
    keptUntouched("release", /Address-api_/);
    expect(of("release", "release")).toHaveLength(2);
  });

  test("renumbering a service re-associates its EIPs and never releases them", () => {
    keptUntouched("renumber", /Address-api_/);
    expect(of("renumber", "release")).toEqual([]);
    expect(of("renumber", "allocate")).toEqual([]);
    const after = eips("renumber", "after");
    for (const [address, e] of after) if (/Address-api_/.test(address)) expect(e.ip).toMatch(/\.69$/);
  });

  test("renaming a service touches no address", () => {
    expect(keptUntouched("rename")).toBe(7);
    expect(result.after.events.filter((e) => scenarioOwns("rename", e))).toEqual([]);
  });

  test("adding translators touches no address of a kept service", () => {
    expect(keptUntouched("translators")).toBe(7);
    expect(of("translators", "release")).toEqual([]);
  });

  test("adding a carrier to a service adds one address and touches no other", () => {
    keptUntouched("carrier");
    expect(of("carrier", "associate")).toHaveLength(1);
    expect(of("carrier", "unassign")).toEqual([]);
  });

  test("tags change no address", () => {
    expect(keptUntouched("tags")).toBe(7);
    expect(result.after.events.filter((e) => scenarioOwns("tags", e))).toEqual([]);
  });

  test("the provider makes the first of the set's order primary, exactly as the plan core predicts", () => {
    const creates = result.before.calls.filter((c) => c.action === "CreateNetworkInterface" && c.params.SubnetId === "subnet-probe");
    expect(creates).toHaveLength(SET_ORDER_SETS.length);
    const predicted = SET_ORDER_SETS.map((ips) => setOrderFirst(ips)).sort();
    expect(creates.map((c) => c.params["PrivateIpAddresses.1.PrivateIpAddress"]).sort()).toEqual(predicted);
    // The hazard is real: for many of these sets the set's order does not start with .10.
    expect(predicted.filter((ip) => ip !== "10.9.0.10").length).toBeGreaterThan(5);
  });

  test("every library interface was created with its own address as primary", () => {
    for (const c of result.before.calls.filter((x) => x.action === "CreateNetworkInterface" && x.params["PrivateIpAddresses.1.PrivateIpAddress"] && x.params.SubnetId !== "subnet-probe")) {
      const ips = Object.entries(c.params).filter(([k]) => /^PrivateIpAddresses\.\d+\.PrivateIpAddress$/.test(k)).map(([, v]) => v);
      expect(c.params["PrivateIpAddresses.1.Primary"]).toBe("true");
      // Every create put the primary first: by the set's own order, or (where that order was
      // wrong) from the ordered list.
      const primary = ips.find((ip) => /\.(8|10|11)$/.test(ip))!;
      expect(c.params["PrivateIpAddresses.1.PrivateIpAddress"]).toBe(primary);
      if (setOrderFirst(ips) !== primary) expect(ips.slice(1)).toEqual([...ips.slice(1)].sort((a, b) => Number(a.split(".")[3]) - Number(b.split(".")[3])));
    }
  });
});
