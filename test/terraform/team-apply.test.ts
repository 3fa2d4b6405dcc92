import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { teamsInOneApp } from "../../examples/teams/one-app";
import { teamsPlatform, TeamsOptions } from "../../examples/teams/platform";
import { App, TerraformStack } from "../../lib/cdktf";
import { AppliedResource, addressCarryingPart, ApplyRoots, remoteStateReads, RootPhase } from "../support/apply";
import { AddressEvent, Ec2Call } from "../support/fake-ec2";
import { offlineProvider } from "../support/stacks";
import { terraformTier } from "../support/tiers";

/**
 * Teams at apply (docs/DESIGN.md invariants 12 and 15, issue 13): the platform's stack and a
 * team's stack are separate Terraform roots with separate states, applied in deploy order by
 * the real AWS provider 5.100.0 against one stateful loopback EC2 API (test/support/fake-ec2.ts,
 * which delegates IPv4 prefixes as EC2 documents). The team's root reads the platform's through
 * `terraform_remote_state`, rewritten to the platform root's local state file, so its
 * associations land on the interface ids the fake assigned in the platform's apply.
 *
 * What the provider does with `ipv4_prefixes` (hashicorp/terraform-provider-aws
 * internal/service/ec2/vpc_network_interface.go; the stored versions read are older than 5.100.0,
 * which is why the calls are asserted as the real provider makes them): a set, Optional and
 * Computed, not ForceNew; create passes it as `Ipv4Prefixes` of CreateNetworkInterface and then
 * tags with CreateTags ("If IPv4 or IPv6 prefixes are specified, tag after create"); update
 * (`if d.HasChange("ipv4_prefixes")`) unassigns old-minus-new with UnassignPrivateIpAddresses
 * `Ipv4Prefixes`, then assigns new-minus-old with AssignPrivateIpAddresses `Ipv4Prefixes`, apart
 * from `private_ips`; `ipv4_prefix_count` (not configured, Computed) is not planned to change.
 * So onboarding a team is an in-place AssignPrivateIpAddresses, and the library needs no change.
 *
 * Order: a platform created with its teams from nothing, in a root of its own (F: interfaces
 * created with their prefixes); then the platform before any team (P0), the platform onboarding
 * its teams (P1), the payments team's versions T1..T5; after every apply a refreshing plan of
 * the roots applied so far.
 */
const tier = terraformTier();
const region = "eu-north-1";
const REMOTE = "cross-stack-reference-input-platform";
const outdir = () => fs.mkdtempSync(path.join(os.tmpdir(), "siit-team-apply-"));

/** The platform's stack alone (no team stack reads it yet), as `teamsPlatform` builds it. */
function platformAlone(teams: Parameters<typeof teamsPlatform>[1]): Record<string, unknown> {
  const dir = outdir();
  try {
    const app = new App({ outdir: dir, skipValidation: false });
    const stack = new TerraformStack(app, "platform");
    offlineProvider(stack, region);
    teamsPlatform(stack, teams);
    stack.runAllValidations();
    return stack.toTerraform() as Record<string, unknown>;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Both stacks of the one-app composition, as `cdktf synth` writes them (cross-stack outputs and remote state resolved). */
function oneApp(options: TeamsOptions = {}): { platform: Record<string, unknown>; payments: Record<string, unknown> } {
  const dir = outdir();
  try {
    const app = new App({ outdir: dir, skipValidation: false });
    teamsInOneApp(app, (s) => offlineProvider(s, region), options);
    app.synth();
    const read = (stack: string) => JSON.parse(fs.readFileSync(path.join(dir, "stacks", stack, "cdk.tf.json"), "utf8")) as Record<string, unknown>;
    return { platform: read("platform"), payments: read("team-payments") };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const TEAM_VERSIONS: Record<string, TeamsOptions> = {
  T1: {},
  T2: { payments: ["pay", "hooks", "refunds"] },
  T3: { payments: ["pay", "hooks"] },
  T4: { payments: ["pay"], paymentsAddresses: ["pay", "hooks"] },
  T5: { payments: ["pay"], paymentsAddresses: ["pay"] },
};
const INTERFACE_CALLS = ["CreateNetworkInterface", "DeleteNetworkInterface", "AssignPrivateIpAddresses", "UnassignPrivateIpAddresses", "ModifyNetworkInterfaceAttribute", "AssignIpv6Addresses", "UnassignIpv6Addresses"];
const LOSSES = ["unassign", "unassign-prefix", "disassociate", "release", "delete-eni"];

tier.describe("teams: platform and team roots applied in deploy order against a recording EC2 API", () => {
  let roots: ApplyRoots;
  const phases: Record<string, RootPhase> = {};
  const drift: Record<string, Record<string, string[]>> = {};
  /** The platform's address-carrying resources for each team version (they must not differ). */
  const platformParts: Record<string, string> = {};
  /** The fake's interfaces right after the teams' onboarding (P1); later applies change them. */
  const interfacesAfterP1 = new Map<string, { prefixes: string[]; groups: string[] }>();

  beforeAll(async () => {
    roots = await ApplyRoots.start(tier.env!);
    const apps = Object.fromEntries(Object.entries(TEAM_VERSIONS).map(([k, o]) => [k, oneApp(o)]));
    const teamParts = Object.fromEntries(Object.entries(apps).map(([k, a]) => [k, addressCarryingPart(a.payments, { remoteState: { [REMOTE]: roots.statePath("platform") } })]));
    // The outputs every version of the team reads (one platform configuration serves them all).
    const outputs = [...new Set(Object.values(teamParts).flatMap((p) => remoteStateReads(p).map((r) => r.output)))].sort();
    for (const [k, a] of Object.entries(apps)) platformParts[k] = JSON.stringify(addressCarryingPart(a.platform, { outputs }).resource);
    const platform = addressCarryingPart(apps.T1.platform, { outputs });
    const alone = addressCarryingPart(platformAlone({ teams: [] }));
    const check = async (step: string, rootNames: string[]) => {
      // Separate roots, separate states: their plans run at once.
      drift[step] = Object.fromEntries(await Promise.all(rootNames.map(async (r) => [r, await roots.drift(r)] as const)));
    };
    phases.F = await roots.apply("fresh", platform);
    await check("F", ["fresh"]);
    phases.P0 = await roots.apply("platform", alone);
    await check("P0", ["platform"]);
    phases.P1 = await roots.apply("platform", platform);
    for (const [id, e] of roots.ec2.enis) interfacesAfterP1.set(id, { prefixes: [...e.prefixes], groups: [...e.groups] });
    await check("P1", ["platform"]);
    for (const [k, part] of Object.entries(teamParts)) {
      phases[k] = await roots.apply("team-payments", part);
      await check(k, ["platform", "team-payments"]);
    }
    // R: the platform drops its teams while the payments stack still stands, the order the teams
    // guide and siit-dc synth warn against (the team's root no longer plans: its outputs are gone).
    phases.R = await roots.apply("platform", alone);
    await check("R", ["platform"]);
  }, 900_000);
  afterAll(async () => roots?.stop());

  const ofType = (phase: string, type: string) => [...phases[phase].resources.values()].filter((r) => r.type === type);
  const translators = (phase: string) => ofType(phase, "aws_network_interface").filter((r) => r.address.includes("Edge_Translator-"));
  const platformEniIds = () => translators("P1").map((r) => r.values.id as string);
  const byName = (phase: string, pattern: RegExp) => [...phases[phase].resources.values()].filter((r) => pattern.test(r.address));
  /** Calls that act on one of the platform's translator interfaces. */
  const onPlatformInterfaces = (calls: Ec2Call[]) => calls.filter((c) => INTERFACE_CALLS.includes(c.action) && platformEniIds().includes(c.params.NetworkInterfaceId));
  const losses = (events: AddressEvent[]) => events.filter((e) => LOSSES.includes(e.kind));
  const count = (calls: Ec2Call[], action: string) => calls.filter((c) => c.action === action).length;
  /** An EIP of a root's state with what its association holds there. */
  const eip = (phase: string, pattern: RegExp) => {
    const found = byName(phase, pattern).filter((r) => r.type === "aws_eip");
    expect(found).toHaveLength(1);
    const allocationId = found[0].values.allocation_id as string;
    const assoc = ofType(phase, "aws_eip_association").find((a) => a.values.allocation_id === allocationId);
    return { allocationId, eni: assoc?.values.network_interface_id as string | undefined, ip: assoc?.values.private_ip_address as string | undefined };
  };
  /** Nothing in `phase` touched the EIP or its private address, and the fake still binds it there. */
  const untouched = (phase: string, e: { allocationId: string; eni?: string; ip?: string }) => {
    const events = phases[phase].events.filter((x) => ("allocationId" in x && x.allocationId === e.allocationId) || ("ip" in x && x.eni === e.eni && x.ip === e.ip));
    expect({ phase, e, events }).toEqual({ phase, e, events: [] });
    const live = phases[phase].live.get(e.allocationId)?.association;
    expect(live && { eni: live.eni, ip: live.ip }).toEqual(e.eni ? { eni: e.eni, ip: e.ip } : undefined);
  };
  const www = (phase: string) => [eip(phase, /Edge_Address-1_a0_Eip/), eip(phase, /Edge_Address-1_b0_Eip/)];
  const prefixOf = (eni: AppliedResource, ip: string) => (eni.values.ipv4_prefixes as string[]).find((p) => sameSlash28(p, ip));

  test("the platform's address-carrying part is the same whatever the team publishes", () => {
    expect(new Set(Object.values(platformParts)).size).toBe(1);
  });

  test("a platform created with its teams delegates the prefixes at create, tags after", () => {
    const creates = phases.F.calls.filter((c) => c.action === "CreateNetworkInterface" && c.params["Ipv4Prefix.1.Ipv4Prefix"]);
    expect(creates).toHaveLength(2);
    for (const c of creates) {
      const prefixes = Object.entries(c.params).filter(([k]) => /^Ipv4Prefix\.\d+\.Ipv4Prefix$/.test(k)).map(([, v]) => v);
      expect(prefixes).toHaveLength(2);
      // The provider tags an interface with prefixes after create, not in TagSpecification.
      expect(Object.keys(c.params).some((k) => k.startsWith("TagSpecification."))).toBe(false);
    }
    for (const r of translators("F")) {
      // The fresh root's interfaces: no later apply touches them.
      const live = roots.ec2.enis.get(r.values.id as string)!;
      expect([...live.prefixes].sort()).toEqual([...(r.values.ipv4_prefixes as string[])].sort());
      expect(live.tags.get("Name")).toBe(r.values.tags && (r.values.tags as Record<string, string>).Name);
    }
    expect(count(phases.F.calls, "AssignPrivateIpAddresses")).toBe(0);
  });

  test("a. onboarding teams updates the translator interfaces in place: prefixes and groups only, www untouched", () => {
    const before = translators("P0");
    const after = translators("P1");
    expect(after).toHaveLength(2);
    expect(after.map((r) => r.values.id)).toEqual(before.map((r) => r.values.id));
    expect(before.every((r) => (r.values.ipv4_prefixes as string[]).length === 0)).toBe(true);
    const calls = phases.P1.calls;
    expect(count(calls, "CreateNetworkInterface")).toBe(0);
    expect(count(calls, "DeleteNetworkInterface")).toBe(0);
    expect(count(calls, "UnassignPrivateIpAddresses")).toBe(0);
    for (const c of onPlatformInterfaces(calls)) {
      const keys = Object.keys(c.params).filter((k) => !["Action", "Version", "NetworkInterfaceId"].includes(k));
      if (c.action === "AssignPrivateIpAddresses") expect(keys.every((k) => /^Ipv4Prefix\.\d+$/.test(k))).toBe(true);
      else if (c.action === "ModifyNetworkInterfaceAttribute") expect(keys.every((k) => /^SecurityGroupId\.\d+$/.test(k))).toBe(true);
      else throw new Error(`unexpected ${c.action} on a translator interface: ${JSON.stringify(c.params)}`);
    }
    expect(count(onPlatformInterfaces(calls), "AssignPrivateIpAddresses")).toBe(2);
    expect(count(onPlatformInterfaces(calls), "ModifyNetworkInterfaceAttribute")).toBe(2);
    expect(losses(phases.P1.events)).toEqual([]);
    expect(phases.P1.events.map((e) => e.kind).sort()).toEqual(["assign-prefix", "assign-prefix", "assign-prefix", "assign-prefix"]);
    for (const r of after) {
      const live = interfacesAfterP1.get(r.values.id as string)!;
      expect([...live.prefixes].sort()).toEqual([...(r.values.ipv4_prefixes as string[])].sort());
      expect(live.prefixes).toHaveLength(2);
      expect([...live.groups].sort()).toEqual([...(r.values.security_groups as string[])].sort());
      expect(live.groups).toHaveLength(3);
    }
    for (const e of www("P0")) untouched("P1", e);
  });

  test("b. the team's first apply allocates and associates into its prefix only, touching no interface of the platform", () => {
    const calls = phases.T1.calls;
    expect(onPlatformInterfaces(calls)).toEqual([]);
    expect(count(calls, "AllocateAddress")).toBe(3);
    expect(count(calls, "AssociateAddress")).toBe(3);
    expect(count(calls, "ReleaseAddress") + count(calls, "DisassociateAddress") + count(calls, "DeleteNetworkInterface") + count(calls, "UnassignPrivateIpAddresses")).toBe(0);
    // The only interfaces created are the team's own servers', in the team's subnets.
    const teamSubnets = new Set(ofType("T1", "aws_network_interface").map((r) => r.values.subnet_id));
    expect(calls.filter((c) => c.action === "CreateNetworkInterface").map((c) => teamSubnets.has(c.params.SubnetId))).toEqual([true, true, true]);
    const enis = new Map(translators("P1").map((r) => [r.values.id as string, r]));
    const associations = calls.filter((c) => c.action === "AssociateAddress");
    expect(associations.map((c) => c.params.PrivateIpAddress).sort()).toEqual(["10.0.0.128", "10.0.0.129", "10.0.16.128"]);
    for (const c of associations) {
      // The REAL id the fake gave the platform's interface, read through the remote state.
      const eni = enis.get(c.params.NetworkInterfaceId);
      expect(eni).toBeDefined();
      // The payments team's /28 (service numbers 64..79 = edge hosts 128..143).
      expect(prefixOf(eni!, c.params.PrivateIpAddress)).toMatch(/\.128\/28$/);
      expect(roots.ec2.enis.get(eni!.values.id as string)!.privateIps.map((a) => a.ip)).not.toContain(c.params.PrivateIpAddress);
    }
    for (const r of ofType("T1", "aws_eip_association")) expect([...enis.keys()]).toContain(r.values.network_interface_id);
    expect(losses(phases.T1.events)).toEqual([]);
    for (const e of www("P1")) untouched("T1", e);
  });

  test("c. adding a service changes only its own allocations and associations", () => {
    const calls = phases.T2.calls;
    expect(onPlatformInterfaces(calls)).toEqual([]);
    expect(count(calls, "AllocateAddress")).toBe(2);
    expect(calls.filter((c) => c.action === "AssociateAddress").map((c) => c.params.PrivateIpAddress).sort()).toEqual(["10.0.0.130", "10.0.16.130"]);
    expect(losses(phases.T2.events)).toEqual([]);
    for (const e of [...www("P1"), eip("T1", /Address-pay_a0_Eip/), eip("T1", /Address-pay_b0_Eip/), eip("T1", /Address-hooks_a0_Eip/)]) untouched("T2", e);
  });

  test("c. removing a service with its declaration releases only its own EIPs; the platform's and the other services' stay", () => {
    const refunds = byName("T2", /Address-refunds_.*_Eip/).map((r) => r.values.allocation_id as string).sort();
    expect(refunds).toHaveLength(2);
    const calls = phases.T3.calls;
    expect(onPlatformInterfaces(calls)).toEqual([]);
    expect(calls.filter((c) => c.action === "ReleaseAddress").map((c) => c.params.AllocationId).sort()).toEqual(refunds);
    expect(count(calls, "DisassociateAddress")).toBe(2);
    expect(losses(phases.T3.events).filter((e) => !("allocationId" in e) || !refunds.includes(e.allocationId))).toEqual([]);
    expect(losses(phases.T3.events).every((e) => e.kind !== "disassociate" || !e.implicit)).toBe(true);
    for (const e of [...www("P1"), eip("T2", /Address-pay_a0_Eip/), eip("T2", /Address-pay_b0_Eip/), eip("T2", /Address-hooks_a0_Eip/)]) untouched("T3", e);
    expect(drift.T3.platform).toEqual([]);
  });

  test("d. removing a service whose address is declared keeps its EIP reserved", () => {
    const hooks = eip("T3", /Address-hooks_a0_Eip/);
    const calls = phases.T4.calls;
    expect(onPlatformInterfaces(calls)).toEqual([]);
    expect(count(calls, "ReleaseAddress")).toBe(0);
    expect(calls.filter((c) => c.action === "DisassociateAddress")).toHaveLength(1);
    expect(losses(phases.T4.events)).toEqual([{ kind: "disassociate", allocationId: hooks.allocationId, eni: hooks.eni, ip: hooks.ip, implicit: false }]);
    expect(eip("T4", /Address-hooks_a0_Eip/)).toEqual({ allocationId: hooks.allocationId, eni: undefined, ip: undefined });
    expect(phases.T4.live.get(hooks.allocationId)).toEqual({ publicIp: expect.any(String) as string });
    for (const e of [...www("P1"), eip("T3", /Address-pay_a0_Eip/), eip("T3", /Address-pay_b0_Eip/)]) untouched("T4", e);
  });

  test("d. deleting the declaration releases exactly that EIP", () => {
    const hooks = eip("T4", /Address-hooks_a0_Eip/);
    const calls = phases.T5.calls;
    expect(onPlatformInterfaces(calls)).toEqual([]);
    expect(calls.filter((c) => c.action === "ReleaseAddress").map((c) => c.params.AllocationId)).toEqual([hooks.allocationId]);
    expect(losses(phases.T5.events)).toEqual([{ kind: "release", allocationId: hooks.allocationId, publicIp: expect.any(String) as string }]);
    expect(phases.T5.live.has(hooks.allocationId)).toBe(false);
    expect(roots.ec2.addresses.has(hooks.allocationId)).toBe(false);
    for (const e of [...www("P1"), eip("T4", /Address-pay_a0_Eip/), eip("T4", /Address-pay_b0_Eip/)]) untouched("T5", e);
  });

  test("the platform's service addresses are never unassigned, disassociated or released, across every apply", () => {
    const ids = new Set([...www("P0"), ...www("F")].map((e) => e.allocationId));
    const wwwIps = new Set([...www("P0"), ...www("F")].map((e) => `${e.eni} ${e.ip}`));
    for (const step of ["F", "P1", ...Object.keys(TEAM_VERSIONS)]) {
      const hits = losses(phases[step].events).filter((e) => ("allocationId" in e && ids.has(e.allocationId)) || ("ip" in e && wwwIps.has(`${e.eni} ${e.ip}`)) || e.kind === "unassign-prefix" || e.kind === "delete-eni");
      expect({ step, hits }).toEqual({ step, hits: [] });
    }
  });

  test("R. dropping the set's last teams before their stacks detaches their groups in place and leaves their prefixes (the provider keeps an ipv4_prefixes the configuration omits); every EIP and association stays", () => {
    const calls = phases.R.calls;
    const pay = [eip("T5", /Address-pay_a0_Eip/), eip("T5", /Address-pay_b0_Eip/)];
    expect(count(calls, "DeleteNetworkInterface") + count(calls, "CreateNetworkInterface") + count(calls, "UnassignPrivateIpAddresses") + count(calls, "ReleaseAddress") + count(calls, "DisassociateAddress")).toBe(0);
    // Only the groups change: each interface keeps the platform's own group alone.
    const modified = onPlatformInterfaces(calls).filter((c) => c.action === "ModifyNetworkInterfaceAttribute");
    expect(modified.map((c) => Object.keys(c.params).filter((k) => k.startsWith("SecurityGroupId.")))).toEqual([["SecurityGroupId.1"], ["SecurityGroupId.1"]]);
    expect(losses(phases.R.events)).toEqual([]);
    for (const r of translators("R")) expect([...roots.ec2.enis.get(r.values.id as string)!.prefixes]).toHaveLength(2);
    for (const e of [...pay, ...www("P1")]) untouched("R", e);
  });

  test("e. a refreshing plan of both roots after each apply shows no change", () => {
    const expected = Object.fromEntries(Object.entries(drift).map(([step, byRoot]) => [step, Object.fromEntries(Object.keys(byRoot).map((r) => [r, []]))]));
    expect(drift).toEqual(expected);
    expect(Object.keys(drift)).toEqual(["F", "P0", "P1", "T1", "T2", "T3", "T4", "T5", "R"]);
  });
});

/** Whether `prefix` (a /28) holds `ip`. */
function sameSlash28(prefix: string, ip: string): boolean {
  const n = (a: string) => a.split(".").reduce((x, o) => x * 256 + Number(o), 0);
  const base = n(prefix.split("/")[0]);
  return n(ip) >= base && n(ip) < base + 16;
}
