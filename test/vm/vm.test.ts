import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EXAMPLE_STACKS } from "../../examples";
import { validateJoolFile } from "../../lib/plan/jool/validate";
import { buildLabTopology } from "../../lib/lab/model/topology";
import { ACCEPTED, REFUSED } from "../fixtures/jool-files";
import { stackInput } from "../lab/support";
import { gate } from "../support/tiers";
import { nat64Share, NodeShare, translatorShare } from "./node-inputs";
import { boot, BootResult, copyGuestScripts, ensureImage, ImageInfo, put, vmUnavailable } from "./qemu";

/**
 * The VM tier: the deployed engine on the synthesized configuration. A Debian 12 guest (built
 * with mmdebstrap, cached outside the clone by recipe and package versions; vm/image) boots under
 * QEMU TCG with Debian's Jool 4.1.9 (DKMS) and real cloud-init and systemd:
 * 1. real Jool judges files: every rendered file of the examples is accepted; the validator's
 *    fixtures are accepted or refused as the validator says, refused ones for the same reason;
 * 2. a translator boots from its exact synthesized user data (NoCloud) and is checked online
 *    (boot, traffic through Jool, lowest-ipv6-mtu, live change, refused object, metrics), then
 *    reboots without its AWS stand-ins and must still translate on its last good file;
 * 3. a Jool NAT64 node boots the same way and translates, and its metrics count.
 * Only AWS is stood in for, inside the guest: instance metadata, S3, CloudWatch, the SSM agent.
 * Without qemu/mmdebstrap/root the tier skips loudly; under CI=true it fails.
 */
const tier = gate("vm", vmUnavailable());
const MINUTE = 60_000;

function share(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `sdvm-${name}-`));
}

function writeNodeShare(dir: string, node: NodeShare): void {
  for (const [rel, content] of Object.entries(node.files)) put(dir, rel, content);
  put(dir, "params.sh", Object.entries(node.params).map(([k, v]) => `${k}='${v}'\n`).join(""));
  copyGuestScripts(dir, ["lib.sh", "aws", "aws-standin.py"]);
  fs.copyFileSync(path.join(__dirname, "guest/node-early.sh"), path.join(dir, "early.sh"));
  fs.copyFileSync(path.join(__dirname, "guest/node-late.sh"), path.join(dir, "late.sh"));
}

function report(name: string, r: BootResult): void {
  console.log(`VM tier: ${name}: QEMU status ${r.status}, ${r.seconds.toFixed(0)} s\n${r.checks.join("\n")}`);
}

/** Asserts a check the guest ran passed (the guest writes "PASS <name>" or "FAIL <name>: why"). */
function expectPassed(r: () => BootResult, name: string): void {
  // A name may be the start of the guest's (which then adds measured values, e.g. an address).
  const line = r().checks.find((l) => l.startsWith(`PASS ${name}`) || l.startsWith(`FAIL ${name}`));
  expect(line?.startsWith(`PASS ${name}`) ? `PASS ${name}` : (line ?? `(not run) ${name}\n--- console tail ---\n${r().console.slice(-3000)}`)).toBe(`PASS ${name}`);
}

tier("VM tier: real Jool 4.1.9, systemd and cloud-init in a Debian 12 guest (QEMU TCG)", () => {
  let image: ImageInfo;
  beforeAll(() => {
    image = ensureImage();
    console.log(`VM tier: image ${image.dir} ${image.built ? "built" : "from the cache"} in ${image.seconds.toFixed(0)} s\n${image.manifest.split("\n").slice(0, 2).join("\n")}`);
  }, 40 * MINUTE);

  describe("real Jool judges the files", () => {
    const examples = EXAMPLE_STACKS.flatMap((example) => {
      const input = stackInput(example.build);
      const topo = buildLabTopology(input);
      return [
        ...topo.translators.map((t) => ({ name: `${example.name} translator ${t.key}`, file: t.joolFile, flavour: "siit" as const })),
        ...(input.nat64?.devices ?? []).filter((d) => d.joolFile).map((d) => ({ name: `${example.name} NAT64 ${d.zone}`, file: d.joolFile!, flavour: "nat64" as const })),
      ];
    });
    const files = [
      ...examples.map((e, i) => ({ id: `e${i}.json`, ...e })),
      ...ACCEPTED.map(([name, file, flavour], i) => ({ id: `a${i}.json`, name, file, flavour })),
      ...REFUSED.map((r, i) => ({ id: `r${i}.json`, ...r })),
    ];
    let dir: string;
    let result: BootResult;
    const out = (id: string) => ({ status: Number(fs.readFileSync(path.join(dir, "out/files", `${id}.status`), "utf8")), output: fs.readFileSync(path.join(dir, "out/files", `${id}.out`), "utf8") });

    beforeAll(async () => {
      dir = share("files");
      for (const f of files) put(dir, `files/${f.id}`, f.file);
      put(dir, "files/index.txt", files.map((f) => `${f.id} ${f.flavour}\n`).join(""));
      copyGuestScripts(dir, ["lib.sh"]);
      fs.copyFileSync(path.join(__dirname, "guest/files.sh"), path.join(dir, "run.sh"));
      result = await boot(image.dir, dir, "init", 1200);
      report("files", result);
    }, 21 * MINUTE);
    afterAll(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

    test("the guest ran Jool 4.1.9, module and tools alike", () => {
      expect(result.checks).toContain("DONE files");
      expect(fs.readFileSync(path.join(dir, "out/files/module-version"), "utf8").trim()).toMatch(/^4\.1\.9(\.0)?$/);
      expect(fs.readFileSync(path.join(dir, "out/files/tools-version"), "utf8").trim()).toMatch(/^4\.1\.9/);
    });

    test("the examples have rendered files to judge", () => {
      expect(examples.filter((e) => e.flavour === "siit").length).toBeGreaterThan(0);
      expect(examples.filter((e) => e.flavour === "nat64").length).toBeGreaterThan(0);
    });

    test.each(examples.map((e, i) => [e.name, `e${i}.json`] as const))("Jool accepts the rendered file of %s", (_name, id) => {
      expect(out(id)).toEqual({ status: 0, output: "" });
    });

    test.each(ACCEPTED.map(([name], i) => [name, `a${i}.json`] as const))("Jool accepts, as the validator does: %s", (_name, id) => {
      expect(out(id)).toEqual({ status: 0, output: "" });
    });

    test.each(REFUSED.map((r, i) => [r.name, `r${i}.json`, r] as const))("Jool refuses, for the validator's reason: %s", (_name, id, r) => {
      const o = out(id);
      expect(o.status).not.toBe(0);
      expect(o.output).toMatch(r.jool);
      expect(validateJoolFile(r.file, r.flavour).join("\n")).toMatch(r.validator);
    });
  });

  describe("a translator boots from its synthesized user data and translates", () => {
    let dir: string;
    let result: BootResult;
    beforeAll(async () => {
      dir = share("translator");
      writeNodeShare(dir, translatorShare());
      result = await boot(image.dir, dir, "systemd", 1800, ["ds=nocloud"]);
      report("translator node", result);
    }, 32 * MINUTE);
    afterAll(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

    test("the guest ran both phases (boot and checks, then a reboot without network)", () => {
      expect(result.checks).toEqual(expect.arrayContaining(["DONE phase 1", "DONE phase 2"]));
      expect(result.checks.filter((l) => l.startsWith("FAIL"))).toEqual([]);
    });

    test.each([
      "boot: cloud-init finished without errors (NoCloud, the synthesized user data)",
      "boot: forwarding, accept_ra=2 and rp_filter=0 in place",
      "boot: nftables drops forwarded traffic to instance metadata",
      "boot: the restore unit is enabled for the next boot",
      "boot: the config agent and metrics timers are active",
      "boot: no secondary IPv4 on eth0",
      "boot: the config agent applied the published object",
      "boot: the applied file passed the kernel (Jool instance siit-dc exists)",
      "siit: Jool's EAM table is the published file's",
      "siit: every service carried by this translator answers through Jool",
      "siit: lowest-ipv6-mtu: an IPv4 packet without DF crosses as IPv6 fragments of at most 1500 bytes",
      "siit: packet too big: a DF IPv4 packet over the IPv6 next hop's MTU (1400) gets fragmentation-needed, MTU 1380",
      "siit: hairpinning: www to api at ",
      "siit: the config agent removes a secondary IPv4 from eth0 (timer run)",
      "metrics: the agent publishes after traffic",
      "metrics: Translated > 0 after traffic",
      "metrics: Received4 > 0 after traffic",
      "metrics: Received6 > 0 after traffic",
      "metrics: ConfigRefused = 0 while the published object is good",
      "metrics: datapoints carry this instance's id",
      "live: the changed object is applied by the agent's timer",
      "live: Jool's EAM table is the changed file's",
      "live: every service of the changed file answers, the new one too",
      "live: no reboot, no restart of the node",
      "refused: the agent refuses the broken object",
      "refused: the last good file stays in force on disk",
      "refused: Jool still holds the last good EAM table",
      "refused: every service still answers",
      "refused: ConfigRefused = 1 in the published metrics",
      "offline: the boot is a reboot of the same node",
      "offline: no instance metadata, no S3 (the AWS stand-ins are gone)",
      "offline: the restore unit applied the last good file at boot",
      "offline: Jool's EAM table is the last good file's",
      "offline: every service of the last good file answers",
      "offline: the config agent fails without S3 and leaves Jool alone",
      "offline: still translating after the agent's failed run",
    ])("%s", (name) => expectPassed(() => result, name));

    test("the live change published a service on this translator (the plan's intent, not the file's)", () => {
      const before = fs.readFileSync(path.join(dir, "services.txt"), "utf8").trim().split("\n");
      const after = fs.readFileSync(path.join(dir, "services-changed.txt"), "utf8").trim().split("\n");
      expect(before.length).toBeGreaterThanOrEqual(2);
      expect(after.length).toBe(before.length + 1);
    });
  });

  describe("a Jool NAT64 node boots from its synthesized user data and translates", () => {
    let dir: string;
    let result: BootResult;
    beforeAll(async () => {
      dir = share("nat64");
      writeNodeShare(dir, nat64Share());
      result = await boot(image.dir, dir, "systemd", 1800, ["ds=nocloud"]);
      report("NAT64 node", result);
    }, 32 * MINUTE);
    afterAll(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

    test("the guest ran its checks", () => {
      expect(result.checks).toContain("DONE phase 1");
      expect(result.checks.filter((l) => l.startsWith("FAIL"))).toEqual([]);
    });

    test.each([
      "boot: cloud-init finished without errors (NoCloud, the synthesized user data)",
      "boot: forwarding, accept_ra=2 and rp_filter=0 in place",
      "boot: nftables drops forwarded traffic to instance metadata",
      "boot: the restore unit is enabled for the next boot",
      "boot: no secondary IPv4 on eth0",
      "boot: the config agent applied the published object",
      "boot: the applied file passed the kernel (Jool instance nat64 exists)",
      "nat64: an IPv6 server reaches the IPv4-only host through Jool",
      "nat64: Jool holds a session for it, on the node's own address (empty pool4)",
      "metrics: Translated > 0 after traffic",
      "metrics: Received4 > 0 after traffic",
      "metrics: Received6 > 0 after traffic",
      "metrics: datapoints carry this instance's id",
    ])("%s", (name) => expectPassed(() => result, name));
  });
});
