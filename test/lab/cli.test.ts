import { main } from "../../scripts/lab";

/** `npm run lab` arguments and the printout that needs no root (`--print`). */

async function run(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, (l) => out.push(l), (l) => err.push(l));
  return { code, out, err };
}

test("an unknown argument is a usage error (exit 2)", async () => {
  const r = await run(["--bogus"]);
  expect(r.code).toBe(2);
  expect(r.err).toEqual(["unknown argument --bogus", expect.stringMatching(/^usage: npm run lab/)]);
});

test("--print shows the substitution, the topology, the notes, the setup scripts and every generated file, and runs nothing", async () => {
  const r = await run(["--print"]);
  expect(r.code).toBe(0);
  const text = r.out.join("\n");
  expect(text).toMatch(/^SIIT-DC packet lab: stack reference\n\nAddress substitution \(deployed -> lab\):\n {2}substituted/);
  expect(text).toMatch(/translation prefix home of reference\/Edge +64:ff9b:1::\/48 +2001:db8:64::\/48/);
  expect(text).toContain("route table servers-eu-north-1a: ::/0 -> internet-gateway, 2001:db8:64::/96 -> a0, 2001:db8:64:1::/96 -> b0, 64:ff9b::/96 -> nat64 eu-north-1a");
  expect(text).toContain("# x0.tayga.conf\n# tayga.conf of translator a0");
  expect(text).toContain("map 10.0.16.67 2001:db8:100:10::11");
  expect(text).toMatch(/ip netns add sdlab-[a-z0-9]+-inet/);
});

test("--app needs an App factory; a module without one is a usage error naming its exports", async () => {
  const r = await run(["--print", "--app", require.resolve("../../lib/lab/model/substitution")]);
  expect(r.code).toBe(2);
  expect(r.err.join("\n")).toMatch(/must export an App factory; name it with --export \(exported functions: .*taygaRefusesIpv6/);
});
