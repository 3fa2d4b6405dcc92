import { referenceTopology } from "../../examples/reference";
import { MachineImage } from "../../lib";
import { planChanges, PlannedChange } from "../support/change-plan";
import { synthForTerraform } from "../support/stacks";
import { terraformTier } from "../support/tiers";

/**
 * Public IPv4 addresses are durable (DESIGN.md invariant 12): the real AWS provider plans each
 * change against the state the previous version would have left, and decides replace vs update.
 */
const tier = terraformTier();
const region = "eu-north-1";

tier.describe("changes planned by the real provider against a prior state", () => {
  let changes: Record<string, PlannedChange[]>;
  beforeAll(async () => {
    changes = await planChanges(tier.env!, [
      {
        name: "image",
        before: synthForTerraform((s) => referenceTopology(s), region),
        after: synthForTerraform((s) => referenceTopology(s, { webImage: MachineImage.fromAmiId("ami-0123456789abcdef0") }), region),
      },
      {
        name: "translatorImage",
        before: synthForTerraform((s) => referenceTopology(s), region),
        after: synthForTerraform((s) => referenceTopology(s, { translatorImage: MachineImage.fromAmiId("ami-0fedcba9876543210", { rootDeviceName: "/dev/sda1", architecture: "arm64" }) }), region),
      },
      {
        name: "services",
        before: synthForTerraform((s) => referenceTopology(s), region),
        after: synthForTerraform((s) => referenceTopology(s, { services: ["www", "ntp", "mail"], translatorsPerZone: 2 }), region),
      },
    ]);
    // ~8 plan rounds of the reference topology: ~140 s alone, more beside another Terraform worker.
  }, 900_000);

  const of = (pair: string, action: PlannedChange["action"]) => changes[pair].filter((c) => c.action === action).map((c) => c.address);

  test("a new web image replaces the web instances on their interfaces; nothing else is replaced", () => {
    expect(of("image", "replace").sort()).toEqual([0, 1, 2, 3].map((i) => expect.stringMatching(new RegExp(`^aws_instance\\.Web_Server${i}_Instance_`))));
    expect(of("image", "update")).toEqual([expect.stringMatching(/^aws_launch_template\.Web_LaunchTemplate_/)]);
    expect(of("image", "create")).toEqual([]);
    expect(of("image", "delete")).toEqual([]);
    const untouched = changes.image.filter((c) => ["aws_network_interface", "aws_eip", "aws_eip_association"].includes(c.type));
    expect(untouched.length).toBeGreaterThan(0);
    expect(untouched.filter((c) => c.action !== "no-op")).toEqual([]);
  });

  test("a new translator image replaces the translator instances only: interfaces, EIPs and associations stay", () => {
    expect(of("translatorImage", "replace").sort()).toEqual([expect.stringMatching(/^aws_instance\.Edge_Translator-a0_Instance_/), expect.stringMatching(/^aws_instance\.Edge_Translator-b0_Instance_/)]);
    // Updated in place: the launch templates (new image), and what names the new instance ids:
    // each translator's alarms and the dashboard.
    const updated = of("translatorImage", "update");
    expect(updated.filter((a) => a.startsWith("aws_launch_template."))).toEqual([expect.stringMatching(/Edge_Translator-a0_LaunchTemplate_/), expect.stringMatching(/Edge_Translator-b0_LaunchTemplate_/)]);
    expect(updated.filter((a) => a.startsWith("aws_cloudwatch_metric_alarm."))).toHaveLength(10);
    expect(updated.filter((a) => !/^aws_(launch_template\.Edge_Translator-|cloudwatch_metric_alarm\.Edge_Translator-|cloudwatch_dashboard\.)/.test(a))).toEqual([]);
    expect(of("translatorImage", "create")).toEqual([]);
    expect(of("translatorImage", "delete")).toEqual([]);
    const durable = changes.translatorImage.filter((c) => ["aws_network_interface", "aws_eip", "aws_eip_association"].includes(c.type));
    expect(durable.length).toBeGreaterThan(10);
    expect(durable.filter((c) => c.action !== "no-op")).toEqual([]);
  });

  test("adding a service, removing another and adding translators replaces nothing", () => {
    expect(changes.services.filter((c) => c.action === "replace")).toEqual([]);
  });

  test("kept services keep their EIPs and associations untouched", () => {
    const kept = changes.services.filter((c) => /Service-(www|ntp)_/.test(c.address) && ["aws_eip", "aws_eip_association"].includes(c.type));
    expect(kept).toHaveLength(6);
    expect(kept.filter((c) => c.action !== "no-op")).toEqual([]);
  });

  test("only the removed service's resources are deleted", () => {
    const deleted = of("services", "delete");
    expect(deleted.length).toBeGreaterThan(0);
    expect(deleted.filter((a) => !a.includes("Service-api_"))).toEqual([]);
  });

  test("translator instances stay; their interfaces change addresses in place; config objects update", () => {
    const instances = changes.services.filter((c) => c.type === "aws_instance" && /Edge_Translator-[ab]0_/.test(c.address));
    expect(instances.map((c) => c.action)).toEqual(["no-op", "no-op"]);
    const enis = changes.services.filter((c) => c.type === "aws_network_interface" && /Edge_Translator-[ab]0_/.test(c.address));
    expect(enis.map((c) => c.action).sort()).toEqual(["update", "update"]);
    const configs = changes.services.filter((c) => c.type === "aws_s3_object" && /Translator|net-edge-[ab]0/.test(c.address));
    expect(configs.filter((c) => c.action === "update")).toHaveLength(2);
  });

  test("added: the new service and the new translators, with their routes", () => {
    const created = of("services", "create");
    expect(created.some((a) => a.startsWith("aws_eip.Edge_Service-mail_"))).toBe(true);
    expect(created.filter((a) => /^aws_instance\.Edge_Translator-[ab]1_/.test(a))).toHaveLength(2);
    expect(created.filter((a) => /^aws_route\.Net_servers-eu-north-1[ab]_Translator-Edge-[ab]1_/.test(a))).toHaveLength(4);
  });
});
