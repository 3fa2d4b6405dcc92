import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EXAMPLE_STACKS } from "../../examples";
import { validateJoolFile } from "../../lib/plan/jool/validate";
import { buildLabTopology } from "../../lib/lab/model/topology";
import { ACCEPTED, REFUSED } from "../fixtures/jool-files";
import { labChecks } from "../../lib/lab/model/checks";
import { LabLayout } from "../../lib/lab/model/layout";
import { resultLines } from "../../lib/lab/model/report";
import { guestLab, GuestLab, guestLabInput, judgeGuestLab, teamsGuestLabInput, writeGuestLabs } from "./lab-share";
import { stackInput } from "../lab/support";
import { runConfigAgent } from "../support/config-agent";
import { gate } from "../support/tiers";
import { fragmentsShare, nat64Share, NodeShare, translatorShare } from "./node-inputs";
import { boot, BootResult, copyGuestScripts, ensureImage, ImageInfo, put, vmUnavailable } from "./qemu";

/**
 * The VM tier: the deployed engine on the synthesized configuration. A Debian 12 guest (built
 * with mmdebstrap, cached outside the clone by recipe and package versions; vm/image) boots under
 * QEMU TCG with Debian's Jool 4.1.9 (DKMS) and real cloud-init and systemd:
 * 1. real Jool judges files: every rendered file of the examples is accepted; the validator's
 *    fixtures are accepted or refused as the validator says, refused ones for the same reason;
 *    in the same boot, the packet lab's whole topology runs on real Jool (test/vm/lab-share.ts),
 *    with two mutations it must catch;
 * 2. a translator boots from its exact synthesized user data (NoCloud) and is checked online
 *    (boot, traffic through Jool, lowest-ipv6-mtu, live change, refused object, metrics), then
 *    reboots without its AWS stand-ins and must still translate on its last good file;
 * 3. a Jool NAT64 node boots the same way and translates, and its metrics count; then it reboots
 *    without its AWS stand-ins and must still translate on its last good file;
 * 4. team fragments (no systemd): the config agent merges a platform's object with two teams'
 *    fragments and real Jool holds the merged EAM table and denylist4, the real nft the merged
 *    filter; a bad fragment is refused naming it while Jool keeps the previous table; a removed
 *    fragment leaves Jool's table (test/vm/guest/fragments.sh).
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
  // A failed boot says why: the early hook's log (it builds the node's network and NoCloud seed)
  // and what systemd said of the hooks and mounts on the console.
  if (r.checks.some((l) => l.startsWith("FAIL"))) {
    const units = r.console.split("\n").filter((l) => /sdvm|9p|mnt-host|Failed|cloud-init-local/i.test(l)).slice(-40);
    console.warn(`VM tier: ${name} failed; the early hook wrote:\n${r.early || "(nothing: it did not run, or could not mount the share)"}\nconsole:\n${units.join("\n")}`);
  }
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

  // One boot without systemd (sdvm-init): first real Jool judges files, then the packet lab runs
  // on real Jool; two describes read its results. Its own describe, so that its boot runs only
  // when one of its tests does (jest -t).
  describe("files and the packet lab (one boot without systemd)", () => {
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
    const labs = {
      lab: guestLab("lab"),
      // The two mutations the lab must catch, in the lab's copy of the plan: denylist4 back to the
      // whole VPC block on a0 (no hairpin exception) and, on b0 (which carries the UDP service the
      // lowest-ipv6-mtu check sends through), a lowest-ipv6-mtu that lets 9000-byte IPv6 packets
      // through; only the phases that hold the checks.
      broken: guestLab("broken", {
        faults: [
          { kind: "deny-vpc", translator: "a0" },
          { kind: "jool-global", translator: "b0", name: "lowest-ipv6-mtu", value: 9000 },
        ],
        phases: (name) => name === "all translators up" || name.startsWith("path MTU"),
      }),
      // The teams example on real Jool: each translator runs what the real config agent made of
      // the platform's object and the teams' fragments (test/support/config-agent.ts); hairpinning
      // and packet too big from team services. Its mutation: denylist4 back to the whole VPC
      // block on a0 (in the agent's file), which must break the payments team's hairpin there.
      teams: guestLab("teams", { input: teamsGuestLabInput(), configAgent: runConfigAgent }),
      teamsBroken: guestLab("teams-broken", { input: teamsGuestLabInput(), configAgent: runConfigAgent, faults: [{ kind: "deny-vpc", translator: "a0" }], phases: (name) => name === "all translators up" }),
    };
    let dir: string;
    let result: BootResult;
    beforeAll(async () => {
      dir = share("files");
      for (const f of files) put(dir, `files/${f.id}`, f.file);
      put(dir, "files/index.txt", files.map((f) => `${f.id} ${f.flavour}\n`).join(""));
      copyGuestScripts(dir, ["lib.sh", "files.sh", "lab.sh"]);
      put(dir, "run.sh", "sh /mnt/host/files.sh\nsh /mnt/host/lab.sh\n");
      writeGuestLabs(dir, Object.values(labs));
      result = await boot(image.dir, dir, "init", 2400);
      report("files and packet lab", result);
    }, 42 * MINUTE);
    afterAll(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

    describe("real Jool judges the files", () => {
      const out = (id: string) => ({ status: Number(fs.readFileSync(path.join(dir, "out/files", `${id}.status`), "utf8")), output: fs.readFileSync(path.join(dir, "out/files", `${id}.out`), "utf8") });

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

    describe("the packet lab on real Jool: one namespace per translator and NAT64 node, each on its rendered file", () => {
      const judged = (l: GuestLab) => judgeGuestLab(dir, l).result;

      test("every check passes: the tayga lab's, plus hairpinning, packet too big and lowest-ipv6-mtu", () => {
        expect(result.checks).toContain("DONE lab");
        const { result: r, seconds } = judgeGuestLab(dir, labs.lab);
        console.log(`VM tier: packet lab on real Jool: ${r.results.length} checks in ${seconds.toFixed(0)} s in the guest\n${resultLines(r.checks.phases, r.results).join("\n")}`);
        expect(r.results.filter((x) => x.status === "fail" || x.status === "skip").map((x) => x.message)).toEqual([]);
        expect(r.results.filter((x) => x.status === "n/a").map((x) => x.message)).toEqual([
          "ntp with translator b0 stopped: ntp has no other address: only translator b0 carries it",
        ]);
        const passed = (kind: string) => r.results.filter((x) => x.status === "pass" && x.check.kind === kind).map((x) => x.check.title);
        expect(passed("hairpin")).toEqual([expect.stringMatching(/^hairpinning on translator a0: www's server to api at 64:ff9b:1::a00:42 tcp\/\d+$/), expect.stringMatching(/^hairpinning on translator b0: /)]);
        expect(passed("packet-too-big")).toHaveLength(1);
        expect(passed("lowest-ipv6-mtu")).toHaveLength(1);
        // Every check of the tayga lab runs here too.
        const tayga = labChecks(buildLabTopology(guestLabInput())).checks.map((c) => c.title);
        expect(tayga.filter((t) => !r.results.some((x) => x.check.title === t))).toEqual([]);
        expect(r.ok).toBe(true);
      });

      test("it ran the rendered files themselves: the reference example's, untouched (deployed prefixes, no tayga substitution)", () => {
        const plan = labs.lab.lab.execPlan;
        const topology = buildLabTopology(guestLabInput(), { engine: "jool" });
        for (const t of topology.translators) expect(plan.files).toContainEqual([`${plan.namespaces.find(([, n]) => n.endsWith("-" + new LabLayout(topology).translator(t.key)))![0]}.jool.json`, t.joolFile]);
        expect(topology.translators.map((t) => t.prefix.toString())).toEqual(topology.translators.map((t) => t.deployedPrefix.toString()));
        expect(plan.daemons.map((d) => (d.kind === "command" ? d.start.slice(4, 7).join(" ") : d.kind))).toEqual(["jool_siit file handle", "jool_siit file handle", "jool file handle", "jool file handle"]);
      });

      test("the teams example, both models, on real Jool: every check passes, hairpinning and packet too big from team services included", () => {
        expect(result.checks).toContain("DONE lab");
        const { result: r, seconds } = judgeGuestLab(dir, labs.teams);
        console.log(`VM tier: teams packet lab on real Jool: ${r.results.length} checks in ${seconds.toFixed(0)} s in the guest\n${resultLines(r.checks.phases, r.results).join("\n")}`);
        expect(r.results.filter((x) => x.status === "fail" || x.status === "skip").map((x) => x.message)).toEqual([]);
        const passed = (kind: string) => r.results.filter((x) => x.status === "pass" && x.check.kind === kind).map((x) => x.check.title);
        expect(passed("hairpin")).toEqual([expect.stringMatching(/^hairpinning on translator a0: hooks's server to /), expect.stringMatching(/^hairpinning on translator b0: search's server to /)]);
        expect(passed("packet-too-big")).toEqual([expect.stringMatching(/^packet too big: server SearchNodes\[0\]'s /)]);
        // The reference example's ntp carries lowest-ipv6-mtu's probe; no team service declares UDP.
        expect(r.results.filter((x) => x.status === "n/a").map((x) => x.message)).toEqual([
          "hooks with translator a0 stopped: hooks has no other address: only translator a0 carries it",
          expect.stringMatching(/^lowest-ipv6-mtu: .*: no service declares a UDP port$/),
        ]);
        const tayga = labChecks(buildLabTopology(teamsGuestLabInput())).checks.map((c) => c.title);
        expect(tayga.filter((t) => !r.results.some((x) => x.check.title === t))).toEqual([]);
        expect(r.ok).toBe(true);
      });

      test("the teams lab ran the config agent's output: each translator's Jool file and filter as the agent wrote them (its merge of the fragments), the file equal to the plans' merge", () => {
        const plan = labs.teams.lab.execPlan;
        const viaAgent = buildLabTopology(teamsGuestLabInput(), { engine: "jool", configAgent: runConfigAgent });
        const fromPlans = buildLabTopology(teamsGuestLabInput(), { engine: "jool" });
        const layout = new LabLayout(viaAgent);
        for (const t of viaAgent.translators) {
          const role = plan.namespaces.find(([, n]) => n.endsWith("-" + layout.translator(t.key)))![0];
          expect(plan.files).toContainEqual([`${role}.jool.json`, t.joolFile]);
          expect(plan.files.find(([f]) => f === `${role}.nft`)?.[1]).toContain(t.filter);
          expect(t.filter).toMatch(/^# team fragments: payments, search$/m);
          expect(t.joolFile).toBe(fromPlans.translators.find((x) => x.key === t.key)!.joolFile);
        }
      });

      test("the teams example's mutation fails it: with no hairpin exception in a0's denylist4, the payments team's hairpin there fails", () => {
        const failed = judged(labs.teamsBroken).results.filter((x) => x.status === "fail").map((x) => x.message);
        expect(failed).toEqual([expect.stringMatching(/^hairpinning on translator a0: hooks's server to .*; hop: Jool on translator a0 did not hairpin .* \(denylist4 10\.0\.0\.0\/16 holds /)]);
      });

      test("mutations fail it: no hairpin exception in denylist4, and a lowest-ipv6-mtu that lets big packets through", () => {
        const r = judged(labs.broken);
        const failed = r.results.filter((x) => x.status === "fail").map((x) => x.message);
        expect(failed).toEqual([
          expect.stringMatching(/^hairpinning on translator a0: .*; hop: Jool on translator a0 did not hairpin 64:ff9b:1::a00:42 -> 10\.0\.0\.66 -> .* \(denylist4 10\.0\.0\.0\/16 holds /),
          expect.stringMatching(/^lowest-ipv6-mtu: .*answered, but translator b0 sent IPv6 packets over lowest-ipv6-mtu 1500 to /),
        ]);
      });
    });
  });

  describe("team fragments: a translator's config agent merges the platform's object with two teams' fragments on real Jool", () => {
    let dir: string;
    let result: BootResult;
    beforeAll(async () => {
      dir = share("fragments");
      const node = fragmentsShare();
      for (const [rel, content] of Object.entries(node.files)) put(dir, rel, content);
      put(dir, "params.sh", Object.entries(node.params).map(([k, v]) => `${k}='${v}'\n`).join(""));
      copyGuestScripts(dir, ["lib.sh", "aws", "aws-standin.py", "fragments.sh"]);
      put(dir, "run.sh", "sh /mnt/host/fragments.sh\n");
      result = await boot(image.dir, dir, "init", 900);
      report("team fragments", result);
      // The guest script's own output says why when it stopped early.
      const runLog = path.join(dir, "out/run.log");
      if (!result.checks.includes("DONE fragments") && fs.existsSync(runLog)) console.log(`VM tier: team fragments: run.log\n${fs.readFileSync(runLog, "utf8").slice(-4000)}`);
    }, 16 * MINUTE);
    afterAll(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

    test("the guest ran every check", () => {
      expect(result.checks).toContain("DONE fragments");
      expect(result.checks.filter((l) => l.startsWith("FAIL"))).toEqual([]);
    });

    test.each([
      "fragments: the agent exits 0 on the first merge",
      "fragments: the agent names the merged fragments",
      "fragments: Jool's EAM table holds the platform's and both teams' entries (the single-stack table)",
      "fragments: Jool's denylist4 is the single-stack one",
      "fragments: the loaded filter publishes every address of the three owners",
      "fragments: the conf file in force is the single-stack Jool file's content",
      "fragments: a bad fragment is refused",
      "fragments: the log names the fragment and its problem",
      "fragments: the refused state names the fragment",
      "fragments: after the refusal Jool still holds the previous EAM table",
      "fragments: after the refusal the previous filter stays loaded",
      "fragments: the metrics agent publishes ConfigRefused with Fragment=beta",
      "fragments: a fixed fragment and a removed one are applied",
      "fragments: the refusal is cleared",
      "fragments: a removed fragment leaves Jool's EAM table (the single-stack table without alpha)",
      "fragments: a removed fragment leaves Jool's denylist4",
      "fragments: a removed fragment leaves the loaded filter",
      "fragments: an unchanged set is not applied again",
    ])("%s", (name) => expectPassed(() => result, name));

    test("what the guest compared with: the single-stack table of a0, 7 entries (2 platform, 3 alpha, 2 beta)", () => {
      const all = JSON.parse(fs.readFileSync(path.join(dir, "expected/all.json"), "utf8")) as { eamt: unknown[] };
      expect(all.eamt).toHaveLength(7);
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
      "siit: the per-address filter of the published object is loaded ahead of Jool",
      "siit: every service carried by this translator answers through Jool",
      "siit: lowest-ipv6-mtu: an IPv4 packet without DF crosses as IPv6 fragments of at most 1500 bytes",
      "siit: packet too big: a DF IPv4 packet over the IPv6 next hop's MTU (1400) gets fragmentation-needed, MTU 1380",
      "siit: hairpinning: www to api at 64:ff9b:1::a00:42 answers, translated back to IPv6 by Jool",
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
      "offline: the restore unit loaded the last good filter too",
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

    test("the guest ran both phases (boot and checks, then a reboot without network)", () => {
      expect(result.checks).toEqual(expect.arrayContaining(["DONE phase 1", "DONE phase 2"]));
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
      "offline: the boot is a reboot of the same node",
      "offline: no instance metadata, no S3 (the AWS stand-ins are gone)",
      "offline: the restore unit applied the last good file at boot",
      "offline: the file in force is the last good one, and Jool holds its instance",
      "offline: an IPv6 server still reaches the IPv4-only host through Jool",
      "offline: the config agent fails without S3 and leaves Jool alone",
      "offline: still translating after the agent's failed run",
    ])("%s", (name) => expectPassed(() => result, name));
  });
});
