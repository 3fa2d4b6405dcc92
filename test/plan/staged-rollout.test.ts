import { VpcAddressPlan } from "../../lib/plan/address/vpc-plan";
import { EamHairpinMode } from "../../lib/plan/jool/config";
import { liveInstanceFilters, stageRollout } from "../../lib/plan/siit/staged-rollout";
import { TranslationPlan } from "../../lib/plan/siit/translation-plan";

/** Issue 16 item 7: a new image or type reaches at most one zone's translators per apply. */
function translators(zones: string[], perZone = 1) {
  const vpc = new VpcAddressPlan({ path: "app/Net", availabilityZones: zones, ipv4Cidr: "10.0.0.0/16", ipv6Cidr: { literal: "2001:db8:1200::/56" }, serverTiers: ["servers"] });
  return new TranslationPlan({
    path: "app/Edge",
    vpc,
    zones,
    translatorsPerZone: perZone,
    translationPrefix: "64:ff9b:1::/48",
    instanceType: "c7gn.medium",
    lowestIpv6Mtu: 1500,
    eamHairpinMode: EamHairpinMode.INTRINSIC,
    firstHostIndex: 10,
  }).translators;
}
const desired = () => ({ imageId: "ami-0123456789abcdef0", instanceType: "c7gn.medium" });

describe("stageRollout", () => {
  test("zone by zone: each zone's translators wait for every translator of the zones before it, by zone letter, whatever the list order", () => {
    const stages = stageRollout(translators(["eu-north-1c", "eu-north-1a", "eu-north-1b"], 2), desired, "zone-by-zone");
    const waits = Object.fromEntries(stages.map((s) => [s.translator.id, s.waitsFor.map((u) => u.id)]));
    expect(waits).toEqual({ a0: [], a1: [], b0: ["a0", "a1"], b1: ["a0", "a1"], c0: ["a0", "a1", "b0", "b1"], c1: ["a0", "a1", "b0", "b1"] });
    expect(stages.every((s) => s.observed)).toBe(true);
  });

  test("all at once waits for nothing and reads nothing", () => {
    const stages = stageRollout(translators(["eu-north-1a", "eu-north-1b"]), desired, "all-at-once");
    expect(stages.map((s) => [s.waitsFor.length, s.observed])).toEqual([[0, false], [0, false]]);
  });

  test("a set in a single zone waits for nothing and reads nothing (one zone cannot keep an address up anyway)", () => {
    const stages = stageRollout(translators(["eu-north-1a"], 2), desired, "zone-by-zone");
    expect(stages.map((s) => [s.waitsFor.length, s.observed])).toEqual([[0, false], [0, false]]);
  });

  test("a translator's live instance is found by literal values only: Name tag, zone, primary IPv4", () => {
    const [a0] = translators(["eu-north-1a", "eu-north-1b"]);
    expect(liveInstanceFilters(a0, "net-edge-a0")).toEqual([
      { name: "tag:Name", values: ["net-edge-a0"] },
      { name: "availability-zone", values: ["eu-north-1a"] },
      { name: "private-ip-address", values: ["10.0.0.10"] },
    ]);
  });
});
