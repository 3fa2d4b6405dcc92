import { Ipv6Prefix } from "../../lib/plan/address/ip";
import { documentationBindings, ExpressionRenderer, HCL_RENDERER, SymbolicIpv6Prefix } from "../../lib/plan/address/symbolic";

const vpcRef = { name: "net-ipv6", length: 56 };

describe("symbolic addresses", () => {
  test("an unknown root renders Terraform expressions", () => {
    const server = SymbolicIpv6Prefix.reference(vpcRef).subnet(64, 16).host(32);
    expect(server.literal).toBeUndefined();
    expect(server.toString()).toBe("cidrhost(cidrsubnet(net-ipv6, 8, 16), 32)");
  });

  test("a known root renders literals, through the same steps", () => {
    const root = SymbolicIpv6Prefix.literal(Ipv6Prefix.parse("2001:db8:1200::/56"));
    const server = root.subnet(64, 16).host(32);
    expect(server.literal?.toString()).toBe("2001:db8:1200:10::20");
    expect(server.render(HCL_RENDERER)).toBe("2001:db8:1200:10::20");
  });

  test("the renderer decides what a reference and a function call look like", () => {
    const tokens: ExpressionRenderer = {
      reference: (r) => `\${aws_vpc.${r.name}}`,
      cidrsubnet: (p, b, n) => `SUB(${p},${b},${n})`,
      cidrhost: (p, h) => `HOST(${p},${h})`,
    };
    expect(SymbolicIpv6Prefix.reference(vpcRef).subnet(64, 1).host(5).render(tokens)).toBe("HOST(SUB(${aws_vpc.net-ipv6},8,1),5)");
  });

  test("binding a reference resolves the same expression to the literal Terraform would compute", () => {
    const server = SymbolicIpv6Prefix.reference(vpcRef).subnet(64, 16).host(32);
    const bindings = new Map([["net-ipv6", Ipv6Prefix.parse("2600:1f14:abc:de00::/56")]]);
    expect(server.resolve(bindings).toString()).toBe("2600:1f14:abc:de10::20");
    expect(() => server.resolve()).toThrow(/net-ipv6 is not bound/);
    expect(() => server.resolve(new Map([["net-ipv6", Ipv6Prefix.parse("2001:db8::/48")]]))).toThrow(/is a \/56, bound to/);
  });

  test("indexes are range-checked at synth even when the root is unknown", () => {
    const root = SymbolicIpv6Prefix.reference(vpcRef);
    expect(() => root.subnet(64, 256)).toThrow(/outside 0..255/);
    expect(() => root.subnet(64, 3).host(-1)).toThrow(/outside/);
  });

  test("documentation bindings are distinct documentation prefixes of the right length", () => {
    const b = documentationBindings([vpcRef, { name: "other", length: 48 }, vpcRef]);
    expect(b.get("net-ipv6")?.toString()).toBe("2001:db8:100::/56");
    expect(b.get("other")?.toString()).toBe("2001:db8:200::/48");
    expect(b.get("net-ipv6")!.overlaps(b.get("other")!)).toBe(false);
  });
});
