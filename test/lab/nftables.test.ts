import { Ipv4Address, Ipv4Prefix, Ipv6Address, Ipv6Prefix } from "../../lib/plan/address/ip";
import { admittingRule, nftRule, renderDenylist4, renderInternetGateway, renderNat64Masquerade, renderSecurityGroup, renderTrace } from "../../lib/lab/model/nftables";
import { referenceLab } from "./support";

/** Security groups rendered as nftables rulesets from the same plan data the constructs use. */

const { topology } = referenceLab();
const [a0] = topology.translators;
const web0 = topology.servers[0];

describe("security groups of the reference example", () => {
  test("translators: the published ports and ICMP fragmentation-needed from IPv4, all IPv6 from the server subnets", () => {
    expect(a0.securityGroup.name).toBe("test/Edge/SecurityGroup");
    // The same rule specs the construct creates (lib/plan/security-groups.ts translatorIngress).
    expect(a0.securityGroup.rules.map(nftRule)).toEqual([
      'meta nfproto ipv4 icmp type 3 icmp code 4 accept comment "ICMPv4 fragmentation needed (path MTU discovery)"',
      'ip6 saddr 2001:db8:100:10::/64 accept comment "IPv6 from server subnet servers-eu-north-1a"',
      'ip6 saddr 2001:db8:100:11::/64 accept comment "IPv6 from server subnet servers-eu-north-1b"',
      'meta nfproto ipv4 tcp dport 80 accept comment "Published tcp/80 from IPv4 clients"',
      'meta nfproto ipv4 tcp dport 443 accept comment "Published tcp/443 from IPv4 clients"',
      'meta nfproto ipv4 icmp type 8 accept comment "Published icmp/echo from IPv4 clients"',
      'meta nfproto ipv4 udp dport 123 accept comment "Published udp/123 from IPv4 clients"',
    ]);
  });

  test("servers: ICMPv6 packet-too-big, then the server's own published ports (www's, not ntp's) with the prefix list expanded to the lab's translator prefixes", () => {
    expect(web0.securityGroup.name).toBe("test/Web/SecurityGroup");
    expect(renderSecurityGroup(web0.securityGroup, "eth0")).toBe(
      [
        "table inet sg {",
        "\tchain ingress {",
        '\t\tct state established,related accept comment "stateful: replies and related ICMP errors"',
        '\t\ticmpv6 type { nd-router-solicit, nd-router-advert, nd-neighbor-solicit, nd-neighbor-advert } accept comment "lab plumbing: neighbour discovery (a VPC has no link layer)"',
        '\t\tmeta nfproto ipv6 icmpv6 type 2 accept comment "ICMPv6 packet too big (path MTU discovery)"',
        '\t\tip6 saddr { 2001:db8:64::/96, 2001:db8:64:1::/96 } tcp dport 80 accept comment "tcp/80 from the SIIT-DC translators of test/Edge"',
        '\t\tmeta nfproto ipv6 tcp dport 80 accept comment "tcp/80 from IPv6 clients"',
        '\t\tip6 saddr { 2001:db8:64::/96, 2001:db8:64:1::/96 } tcp dport 443 accept comment "tcp/443 from the SIIT-DC translators of test/Edge"',
        '\t\tmeta nfproto ipv6 tcp dport 443 accept comment "tcp/443 from IPv6 clients"',
        '\t\tip6 saddr { 2001:db8:64::/96, 2001:db8:64:1::/96 } icmpv6 type 128 accept comment "icmp/echo from the SIIT-DC translators of test/Edge"',
        '\t\tmeta nfproto ipv6 icmpv6 type 128 accept comment "icmp/echo from IPv6 clients"',
        '\t\tcounter drop comment "no rule of test/Web/SecurityGroup admits it"',
        "\t}",
        // Egress as planned (FLEET_EGRESS): the lab's translation homes moved into 2000::/3 (tayga
        // refuses ::/8), so the global-unicast rule excludes them as the deployed /48 lies outside it.
        "\tchain egress {",
        '\t\tct state established,related accept comment "stateful: replies and related ICMP errors"',
        '\t\ticmpv6 type { nd-router-solicit, nd-router-advert, nd-neighbor-solicit, nd-neighbor-advert } accept comment "lab plumbing: neighbour discovery (a VPC has no link layer)"',
        '\t\tip6 daddr 2000::/3 ip6 daddr != { 2001:db8:64::/96, 2001:db8:64:1::/96 } accept comment "IPv6 internet and the VPC (global unicast)"',
        '\t\tip6 daddr 64:ff9b::/96 accept comment "IPv4 destinations through the outbound NAT64"',
        '\t\tcounter drop comment "no egress rule of test/Web/SecurityGroup admits it"',
        "\t}",
        '\tchain output { type filter hook output priority filter; policy accept; oifname "eth0" jump egress; }',
        '\tchain input { type filter hook input priority filter; policy accept; iifname "eth0" jump ingress; }',
        '\tchain forward { type filter hook forward priority filter; policy accept; iifname "eth0" jump ingress; oifname "eth0" jump egress; }',
        "}",
        "",
      ].join("\n"),
    );
  });

  test("the NAT64 instances: IPv6 from the server subnets only", () => {
    expect(topology.nat64[0].securityGroup!.name).toBe("test/Outbound/SecurityGroup");
    expect(topology.nat64[0].securityGroup!.rules.map(nftRule)).toEqual([
      'ip6 saddr 2001:db8:100:10::/64 accept comment "IPv6 from server subnet servers-eu-north-1a"',
      'ip6 saddr 2001:db8:100:11::/64 accept comment "IPv6 from server subnet servers-eu-north-1b"',
    ]);
  });

  test("admittingRule follows the groups as AWS evaluates them (any rule, by family, protocol, port, source)", () => {
    const fromA0 = Ipv6Address.parse("2001:db8:64::c633:6407");
    expect(admittingRule(web0.securityGroup, { source: fromA0, protocol: "tcp", port: 80 })?.description).toBe("tcp/80 from the SIIT-DC translators of test/Edge");
    expect(admittingRule(web0.securityGroup, { source: Ipv6Address.parse("2001:db8:ffff::7"), protocol: "tcp", port: 80 })?.description).toBe("tcp/80 from IPv6 clients");
    expect(admittingRule(web0.securityGroup, { source: fromA0, protocol: "tcp", port: 8080 })).toBeUndefined();
    expect(admittingRule(web0.securityGroup, { source: fromA0, protocol: "icmpv6", icmpType: 2 })?.description).toMatch(/packet too big/);
    expect(admittingRule(a0.securityGroup, { source: Ipv4Address.parse("198.51.100.7"), protocol: "udp", port: 123 })?.description).toBe("Published udp/123 from IPv4 clients");
    expect(admittingRule(a0.securityGroup, { source: Ipv4Address.parse("198.51.100.7"), protocol: "tcp", port: 8080 })).toBeUndefined();
  });
});

describe("the other rulesets", () => {
  test("internet gateway: 1:1 NAT per EIP, no IPv4 out without an EIP", () => {
    const text = renderInternetGateway([{ eip: Ipv4Address.parse("203.0.113.1"), private: Ipv4Address.parse("10.0.0.65"), label: "EIP of www via translator a0" }], { internet: "inet", vpc: "vpc" });
    expect(text).toContain('iifname "inet" ip daddr 203.0.113.1 dnat to 10.0.0.65 comment "EIP of www via translator a0"');
    expect(text).toContain('oifname "inet" ip saddr 10.0.0.65 snat to 203.0.113.1 comment "EIP of www via translator a0"');
    expect(text).toContain('iifname "vpc" oifname "inet" ip saddr != 10.0.0.65 counter drop');
    expect(renderInternetGateway([], { internet: "inet", vpc: "vpc", egressOnly: "eigw" })).toContain('iifname "eigw" ct direction reply counter drop');
  });

  test("denylist4: not routed into the TUN without an EAM entry, and never translated through pool6", () => {
    expect(renderDenylist4([Ipv4Prefix.parse("10.0.0.0/16")], [Ipv4Prefix.parse("10.0.0.65/32")], Ipv6Prefix.parse("2001:db8:64::/96"), { eni: "eni", tun: "siit" })).toBe(
      [
        "table inet jool_denylist4 {",
        "\tchain forward {",
        "\t\ttype filter hook forward priority 5; policy accept;",
        '\t\tiifname "eni" oifname != "siit" ip daddr 10.0.0.0/16 counter drop comment "denylist4 10.0.0.0/16: no EAM entry, so no pool6 translation"',
        '\t\toifname "siit" ip saddr 10.0.0.0/16 ip saddr != 10.0.0.65/32 counter drop comment "denylist4 10.0.0.0/16: no EAM entry, so no pool6 translation"',
        '\t\toifname "siit" ip6 daddr 2001:db8:64::a00:0/112 counter drop comment "denylist4 10.0.0.0/16: no EAM entry, so no pool6 translation"',
        "\t}",
        "}",
        "",
      ].join("\n"),
    );
  });

  test("NAT64: Jool's empty pool4 is ports 61001-65535 of the node's address; a NAT gateway masquerades plainly", () => {
    const pool = Ipv4Prefix.parse("192.168.255.0/24");
    expect(renderNat64Masquerade(pool, "eni", [], true)).toContain('oifname "eni" ip saddr 192.168.255.0/24 meta l4proto { tcp, udp } counter masquerade to :61001-65535');
    expect(renderNat64Masquerade(pool, "eni", [{ protocol: "tcp", ports: "61001-62000" }], true)).toContain("meta l4proto tcp counter masquerade to :61001-62000");
    expect(renderNat64Masquerade(pool, "eni", [], false)).toContain('oifname "eni" ip saddr 192.168.255.0/24 counter masquerade comment "NAT gateway');
  });

  test("trace counters: counters only, no verdicts", () => {
    const text = renderTrace([{ id: "h1", chain: "fwd_mid", match: 'iifname "eni" ip daddr 10.0.0.65 tcp dport 80' }]);
    expect(text).toContain('\t\tiifname "eni" ip daddr 10.0.0.65 tcp dport 80 counter comment "h1"');
    expect(text.split("\n").filter((l) => !l.includes("policy accept")).join("\n")).not.toMatch(/\b(accept|drop|reject)\b/);
    expect(text).toContain("type filter hook forward priority 3; policy accept;");
  });
});
