import { referenceTopology } from "../../examples/reference";
import { Ipv6OnlyVpc, MachineImage, SiitDcTranslators } from "../../lib";
import { resourceAt, synthJson, SynthesizedStack } from "../support/stacks";

/**
 * Staged rollout (issue 16 item 7; the change-safety tier plans it with the real provider): the
 * launch templates take the desired settings, and an instance follows its template's latest
 * version only when the earlier zones run theirs live, read at plan time.
 */
const next = MachineImage.fromAmiId("ami-0fedcba9876543210", { rootDeviceName: "/dev/sda1", architecture: "arm64" });
const data = (synth: SynthesizedStack, type: string) => ((synth as { data?: Record<string, Record<string, Record<string, unknown>>> }).data ?? {})[type] ?? {};
const local = (synth: SynthesizedStack, name: string) => String(((synth as { locals?: Record<string, unknown> }).locals ?? {})[name]);
const version = (synth: SynthesizedStack, t: string) => (resourceAt(synth, "aws_instance", `Edge/Translator-${t}/Instance`).launch_template as { version: string }).version;

describe("staged rollout of translator launch settings", () => {
  const synth = synthJson((s) => referenceTopology(s, { translatorImage: next }));

  test("every launch template takes the desired image and type literally", () => {
    for (const t of ["a0", "b0"]) {
      const lt = resourceAt(synth, "aws_launch_template", `Edge/Translator-${t}/LaunchTemplate`);
      expect([lt.image_id, lt.instance_type]).toEqual(["ami-0fedcba9876543210", "c7gn.medium"]);
    }
  });

  test("each translator's live instance is read by literal filters only (a reference to a changing resource would defer the read to apply)", () => {
    const found = Object.values(data(synth, "aws_instances"));
    expect(found).toHaveLength(2);
    for (const d of found) expect(JSON.stringify(d.filter)).not.toContain("${");
    expect(Object.values(data(synth, "aws_instance"))).toHaveLength(2);
  });

  test("zone a follows its template's latest version; zone b only when a0 runs its settings live, otherwise the version it was launched from", () => {
    expect(version(synth, "a0")).toMatch(/^\$\{tostring\(aws_launch_template\.Edge_Translator-a0_LaunchTemplate_[0-9A-F]{8}\.latest_version\)\}$/);
    const b0 = version(synth, "b0");
    // b0 advances when zone b's gate holds: a0 runs the desired settings live.
    const gate = /local\.(Edge_RolloutGate-eu-north-1b_[0-9A-F]{8})/.exec(b0)?.[1];
    expect(gate).toBeDefined();
    const a0 = /local\.(Edge_Translator-a0_RunsDesired_[0-9A-F]{8})/.exec(local(synth, gate!))?.[1];
    expect(a0).toBeDefined();
    expect(local(synth, a0!)).toContain("data.aws_instance.Edge_Translator-a0_LiveInstance_");
    expect(local(synth, a0!)).toContain('"ami-0fedcba9876543210"');
    expect(b0).toContain('["SiitDcTemplateVersion"]');
    const tags = resourceAt(synth, "aws_instance", "Edge/Translator-a0/Instance").tags as Record<string, string>;
    expect(tags.SiitDcImage).toBe("ami-0fedcba9876543210");
    expect(tags.SiitDcTemplateVersion).toBe(version(synth, "a0"));
  });

  test("the stage conditions are computed once: one local per translator a later zone waits for, one per later zone", () => {
    const names = Object.keys((synth as { locals?: Record<string, unknown> }).locals ?? {});
    expect(names.filter((n) => n.includes("_RunsDesired_"))).toEqual([expect.stringMatching(/^Edge_Translator-a0_RunsDesired_/)]);
    expect(names.filter((n) => n.includes("_RolloutGate-"))).toEqual([expect.stringMatching(/^Edge_RolloutGate-eu-north-1b_/)]);
  });

  test("rollout.allAtOnce: no reads, every instance follows its template's latest version", () => {
    const all = synthJson((s) => referenceTopology(s, { translatorImage: next, rollout: { allAtOnce: true } }));
    expect(data(all, "aws_instances")).toEqual({});
    for (const t of ["a0", "b0"]) expect(version(all, t)).toMatch(/^\$\{tostring\(aws_launch_template\.[^}]*\.latest_version\)\}$/);
  });

  test("a set in one zone reads nothing", () => {
    const one = synthJson((s) => new SiitDcTranslators(s, "Edge", { vpc: new Ipv6OnlyVpc(s, "Net", { availabilityZones: ["eu-north-1a"] }) }));
    expect(data(one, "aws_instances")).toEqual({});
  });
});
