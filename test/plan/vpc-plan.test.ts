import { PlanError } from "../../lib/plan/errors";
import { VpcAddressPlan, VpcAddressPlanInput } from "../../lib/plan/address/vpc-plan";

const base: VpcAddressPlanInput = {
  path: "stack/Net",
  availabilityZones: ["eu-north-1a", "eu-north-1b"],
  ipv4Cidr: "10.0.0.0/16",
  ipv6Cidr: { literal: "2001:db8:1200::/56" },
  serverTiers: ["servers"],
};

function plan(overrides: Partial<VpcAddressPlanInput>): VpcAddressPlan {
  return new VpcAddressPlan({ ...base, ...overrides });
}

describe("subnet layout", () => {
  test("edge is tier slot 0, server tiers follow; subnet number = tier * 16 + zone slot", () => {
    const p = plan({ serverTiers: ["web", "db"] });
    const layout = p.subnets.map((s) => [s.tier.name, s.zone.name, s.netNum, s.ipv6.toString(), s.ipv4?.toString()]);
    expect(layout).toEqual([
      ["edge", "eu-north-1a", 0, "2001:db8:1200::/64", "10.0.0.0/20"],
      ["edge", "eu-north-1b", 1, "2001:db8:1200:1::/64", "10.0.16.0/20"],
      ["web", "eu-north-1a", 16, "2001:db8:1200:10::/64", undefined],
      ["web", "eu-north-1b", 17, "2001:db8:1200:11::/64", undefined],
      ["db", "eu-north-1a", 32, "2001:db8:1200:20::/64", undefined],
      ["db", "eu-north-1b", 33, "2001:db8:1200:21::/64", undefined],
    ]);
  });

  test("zone slots come from the zone letter: reordering or removing zones renumbers nothing", () => {
    const ab = plan({ availabilityZones: ["eu-north-1a", "eu-north-1c"] });
    const ba = plan({ availabilityZones: ["eu-north-1c", "eu-north-1a"] });
    const c = plan({ availabilityZones: ["eu-north-1c"] });
    const numbers = (p: VpcAddressPlan) => Object.fromEntries(p.subnets.map((s) => [`${s.tier.name}/${s.zone.name}`, s.ipv6.toString()]));
    expect(numbers(ba)).toEqual(numbers(ab));
    expect(numbers(c)["servers/eu-north-1c"]).toBe(numbers(ab)["servers/eu-north-1c"]);
    expect(numbers(c)["servers/eu-north-1c"]).toBe("2001:db8:1200:12::/64");
  });

  test("an unknown VPC prefix yields Terraform expressions with the same subnet numbers", () => {
    const p = plan({ ipv6Cidr: { reference: { name: "vpc6", length: 56 } } });
    expect(p.subnets.map((s) => s.ipv6.toString())).toEqual([
      "cidrsubnet(vpc6, 8, 0)",
      "cidrsubnet(vpc6, 8, 1)",
      "cidrsubnet(vpc6, 8, 16)",
      "cidrsubnet(vpc6, 8, 17)",
    ]);
  });

  test("fifteen server tiers fit exactly", () => {
    const tiers = Array.from({ length: 15 }, (_, i) => `tier${i}`);
    expect(plan({ serverTiers: tiers }).subnets.at(-1)!.netNum).toBe(15 * 16 + 1);
  });
});

describe("fixed addresses", () => {
  test("edge IPv4 addresses are claimed once; the claim names the holder", () => {
    const p = plan({});
    expect(p.claimEdgeIpv4("eu-north-1b", 10, "translator b0", { path: "stack/Edge", property: "x" }).toString()).toBe("10.0.16.10");
    expect(() => p.claimEdgeIpv4("eu-north-1b", 10, "nat b", { path: "stack/Nat", property: "y" })).toThrow(/^stack\/Nat: y = 10: edge address 10.0.16.10 is already held by translator b0/);
    expect(() => p.claimEdgeIpv4("eu-north-1a", 4095, "x", { path: "s", property: "z" })).toThrow(/edge host indexes of 10.0.0.0\/20 run from 4 to 4094/);
  });
});

describe("bad input names the path, property, value and fix", () => {
  test.each<[string, Partial<VpcAddressPlanInput>, RegExp]>([
    ["empty zone list", { availabilityZones: [] }, /^stack\/Net: availabilityZones = \[\]: is empty\. Fix: list at least one/],
    ["duplicated zone", { availabilityZones: ["eu-north-1a", "eu-north-1a"] }, /availabilityZones\[1\] = "eu-north-1a": is listed twice/],
    ["zone id instead of name", { availabilityZones: ["eun1-az1"] }, /availabilityZones\[0\] = "eun1-az1": is not an availability zone name\. Fix: give a zone name/],
    ["zones sharing a slot", { availabilityZones: ["us-west-2a", "us-west-2-lax-1a"] }, /takes subnet slot 0, already taken by us-west-2a/],
    ["invalid IPv4 CIDR", { ipv4Cidr: "10.0.0.0/33" }, /ipv4Cidr = "10.0.0.0\/33": not a valid IPv4.*Fix: give an IPv4 CIDR/],
    ["IPv4 CIDR with host bits", { ipv4Cidr: "10.0.0.1/16" }, /ipv4Cidr = "10.0.0.1\/16": host bits are set; the prefix is 10.0.0.0\/16/],
    ["IPv4 CIDR too small for edge subnets", { ipv4Cidr: "10.0.0.0/24" }, /ipv4Cidr = "10.0.0.0\/24": edge subnets take 1\/16 of the VPC IPv4 block each and need at least a \/24.*Fix: use a block from \/16 to \/20/],
    ["IPv4 CIDR AWS refuses", { ipv4Cidr: "10.0.0.0/8" }, /AWS allows at most a \/16/],
    ["IPv6 not a /56", { ipv6Cidr: { literal: "2001:db8::/48" } }, /ipv6Cidr = "2001:db8::\/48": the address plan carves \/64s from a \/56/],
    ["IPv6 invalid", { ipv6Cidr: { literal: "2001:db8::zz/56" } }, /ipv6Cidr = "2001:db8::zz\/56": not a valid IPv6/],
    ["IPv6 overlapping the NAT64 prefix", { ipv6Cidr: { literal: "64:ff9b::/56" } }, /overlaps the NAT64 well-known prefix 64:ff9b::\/96/],
    ["IPv6 overlapping the translation home", { ipv6Cidr: { literal: "64:ff9b:1::/56" } }, /overlaps the local-use translation prefix 64:ff9b:1::\/48/],
    ["more tiers than fit in the /56", { serverTiers: Array.from({ length: 16 }, (_, i) => `tier${i}`) }, /16 server tiers plus the edge tier need 17 tier slots, but a \/56 holds 16.*Fix: use at most 15 server tiers/],
    ["no tiers", { serverTiers: [] }, /serverTiers = \[\]: is empty/],
    ["tier named edge", { serverTiers: ["edge"] }, /serverTiers\[0\] = "edge": is reserved for the dual-stack edge tier/],
    ["duplicated tier", { serverTiers: ["web", "web"] }, /serverTiers\[1\] = "web": is listed twice/],
    ["bad tier name", { serverTiers: ["Web Servers"] }, /serverTiers\[0\] = "Web Servers": is not a valid tier name/],
  ])("%s", (_name, overrides, message) => {
    expect(() => plan(overrides)).toThrow(PlanError);
    expect(() => plan(overrides)).toThrow(message);
  });

  test("asking for a zone the VPC lacks", () => {
    expect(() => plan({}).zone("eu-north-1c", { path: "stack/Web", property: "zones[0]" })).toThrow(
      /^stack\/Web: zones\[0\] = "eu-north-1c": is not an availability zone of this VPC\. Fix: use one of eu-north-1a, eu-north-1b/,
    );
  });
});
