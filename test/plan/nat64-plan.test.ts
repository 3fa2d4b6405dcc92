import { Ipv4Address } from "../../lib/plan/address/ip";
import { VpcAddressPlan } from "../../lib/plan/address/vpc-plan";
import { joolFileText } from "../../lib/plan/jool/config";
import { validateJoolFile } from "../../lib/plan/jool/validate";
import { Nat64Plan, Nat64PlanInput } from "../../lib/plan/nat64/nat64-plan";

const vpc = () => new VpcAddressPlan({ path: "app/Net", availabilityZones: ["eu-north-1a", "eu-north-1b"], ipv4Cidr: "10.0.0.0/16", ipv6Cidr: { reference: { name: "v6", length: 56 } }, serverTiers: ["servers"] });
const plan = (overrides: Partial<Nat64PlanInput> = {}) => new Nat64Plan({ path: "app/Outbound", vpc: vpc(), zones: ["eu-north-1a", "eu-north-1b"], prefix: "64:ff9b::/96", ...overrides });
const origin = { path: "app/Outbound", property: "provider.pool4" };

describe("placement", () => {
  test("per zone: each zone served by its own device", () => {
    expect(plan().nodes.map((n) => [n.zone.name, n.serves.map((z) => z.name)])).toEqual([
      ["eu-north-1a", ["eu-north-1a"]],
      ["eu-north-1b", ["eu-north-1b"]],
    ]);
  });

  test("single: one device serves every zone", () => {
    expect(plan({ singleZone: "eu-north-1b" }).nodes.map((n) => [n.zone.name, n.serves.map((z) => z.name)])).toEqual([["eu-north-1b", ["eu-north-1a", "eu-north-1b"]]]);
  });
});

describe("the Jool NAT64 file", () => {
  test("empty pool4: the node's own address, ports 61001-65535 (Jool's default); exact expectations; valid", () => {
    const p = plan();
    const file = p.joolConfig(p.nodes[0], Ipv4Address.parse("10.0.0.8"), []);
    expect(file).toEqual({
      comment: "SIIT-DC outbound NAT64 in eu-north-1a for eu-north-1a; generated, do not edit",
      instance: "nat64",
      framework: "netfilter",
      global: { "manually-enabled": true, pool6: "64:ff9b::/96", "lowest-ipv6-mtu": 1500 },
      pool4: [],
    });
    expect(validateJoolFile(joolFileText(file), "nat64")).toEqual([]);
  });

  test("explicit pool4 on the node's address; exact expectations; valid", () => {
    const p = plan({ singleZone: "eu-north-1a" });
    const file = p.joolConfig(p.nodes[0], Ipv4Address.parse("10.0.0.8"), [
      { protocol: "tcp", ports: "61001-65535" },
      { protocol: "udp", ports: "61001-63000" },
      { protocol: "icmp", ports: "1-65535" },
    ]);
    expect(file.pool4).toEqual([
      { protocol: "TCP", prefix: "10.0.0.8/32", "port range": "61001-65535" },
      { protocol: "UDP", prefix: "10.0.0.8/32", "port range": "61001-63000" },
      { protocol: "ICMP", prefix: "10.0.0.8/32", "port range": "1-65535" },
    ]);
    expect(file.comment).toBe("SIIT-DC outbound NAT64 in eu-north-1a for eu-north-1a, eu-north-1b; generated, do not edit");
    expect(validateJoolFile(joolFileText(file), "nat64")).toEqual([]);
  });
});

describe("bad input", () => {
  test("a prefix other than 64:ff9b::/96 while relying on AWS DNS64", () => {
    expect(() => plan({ prefix: "64:ff9b:2::/96" })).toThrow(
      /^app\/Outbound: prefix = "64:ff9b:2::\/96": AWS DNS64 synthesizes AAAA records only under 64:ff9b::\/96 .*Fix: use 64:ff9b::\/96; a different NAT64 prefix needs your own DNS64 resolver/,
    );
  });

  test("a zone the VPC lacks, for service or placement", () => {
    expect(() => plan({ zones: ["eu-north-1c"] })).toThrow(/^app\/Outbound: zones\[0\] = "eu-north-1c": is not an availability zone of this VPC/);
    expect(() => plan({ singleZone: "eu-north-1c" })).toThrow(/^app\/Outbound: placement = "eu-north-1c": is not an availability zone of this VPC/);
  });

  test.each([
    ["not a range", [{ protocol: "tcp" as const, ports: "61001" }], /pool4\[0\]\.ports = "61001": is not a port range "from-to"/],
    ["above 65535", [{ protocol: "udp" as const, ports: "61001-70000" }], /ports = "61001-70000": ports run from 1 to 65535/],
    ["reversed", [{ protocol: "tcp" as const, ports: "65000-61001" }], /the range ends before it starts/],
    ["zero", [{ protocol: "tcp" as const, ports: "0-100" }], /ports run from 1 to 65535/],
    ["in the ephemeral range", [{ protocol: "tcp" as const, ports: "40000-65535" }], /overlaps Linux's ephemeral ports 32768-60999.*Fix: use ports above 60999/],
    ["overlapping ranges", [{ protocol: "tcp" as const, ports: "61001-63000" }, { protocol: "tcp" as const, ports: "62000-65535" }], /pool4\[1\]\.ports = "62000-65535": overlaps pool4\[0\] 61001-63000/],
    ["bad protocol", [{ protocol: "sctp" as unknown as "tcp", ports: "61001-65535" }], /pool4\[0\]\.protocol = "sctp": is not a pool4 protocol/],
  ])("a pool4 entry %s", (_name, ranges, message) => {
    expect(() => Nat64Plan.checkPool4(ranges, origin)).toThrow(message);
  });
});
