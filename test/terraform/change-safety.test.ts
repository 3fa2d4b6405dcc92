import { referenceTopology, ReferenceOptions } from "../../examples/reference";
import { MachineImage, Nat64Provider, Port } from "../../lib";
import { planChanges, PlannedChange } from "../support/change-plan";
import { synthForTerraform } from "../support/stacks";
import { terraformTier } from "../support/tiers";

/**
 * Public IPv4 addresses are durable (docs/DESIGN.md invariant 12): the real AWS provider plans each
 * change against the state the previous version would have left, and decides replace vs update.
 */
const tier = terraformTier();
const region = "eu-north-1";
const newTranslatorImage = MachineImage.fromAmiId("ami-0fedcba9876543210", { rootDeviceName: "/dev/sda1", architecture: "arm64" });

/** Everyday changes of the change table in docs/constructs.md, each from the reference topology (or as named). */
const SCENARIOS: Record<string, [ReferenceOptions, ReferenceOptions]> = {
  ports: [{}, { wwwPorts: [Port.tcp(80), Port.tcp(443), Port.tcp(8443), Port.icmpEcho()] }],
  dnsName: [{}, { wwwDnsName: "web.example.com" }],
  target: [{}, { apiServer: 3 }],
  zoneOrder: [{}, { zones: ["eu-north-1b", "eu-north-1a"] }],
  zoneAdded: [{}, { zones: ["eu-north-1a", "eu-north-1b", "eu-north-1c"] }],
  zoneAddedPerZone: [
    { webServersPerZone: 2, services: ["www", "api"] },
    { webServersPerZone: 2, services: ["www", "api"], zones: ["eu-north-1a", "eu-north-1b", "eu-north-1c"] },
  ],
  fleetGrows: [{}, { webServers: 6 }],
  translatorType: [{}, { translatorInstanceType: "c7gn.large" }],
  translatorTypeAllAtOnce: [{}, { translatorInstanceType: "c7gn.large", rollout: { allAtOnce: true } }],
  rolloutStep1: [{}, { rollout: { zones: ["eu-north-1a"], image: newTranslatorImage } }],
  rolloutStep2: [{ rollout: { zones: ["eu-north-1a"], image: newTranslatorImage } }, { rollout: { zones: ["eu-north-1a", "eu-north-1b"], image: newTranslatorImage } }],
  rolloutDone: [{ rollout: { zones: ["eu-north-1a", "eu-north-1b"], image: newTranslatorImage } }, { translatorImage: newTranslatorImage }],
  edgeTags: [{}, { edgeTags: { CostCentre: "edge" } }],
  alarmActions: [{}, { alarmActions: ["arn:aws:sns:eu-north-1:123456789012:ops"] }],
  nat64Provider: [{}, { nat64Provider: Nat64Provider.natGateway() }],
};

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
        // Applied three times: each apply's state is what the next plan reads (live instances included).
        name: "translatorImage",
        before: synthForTerraform((s) => referenceTopology(s), region),
        after: synthForTerraform((s) => referenceTopology(s, { translatorImage: newTranslatorImage }), region),
        applies: 3,
      },
      {
        name: "translatorImageAllAtOnce",
        before: synthForTerraform((s) => referenceTopology(s), region),
        after: synthForTerraform((s) => referenceTopology(s, { translatorImage: newTranslatorImage, rollout: { allAtOnce: true } }), region),
      },
      {
        name: "services",
        before: synthForTerraform((s) => referenceTopology(s), region),
        after: synthForTerraform((s) => referenceTopology(s, { services: ["www", "ntp", "mail"], translatorsPerZone: 2 }), region),
      },
      ...Object.entries(SCENARIOS).map(([name, [before, after]]) => ({ name, before: synthForTerraform((s) => referenceTopology(s, before), region), after: synthForTerraform((s) => referenceTopology(s, after), region) })),
    ]);
    // ~8 plan rounds of the reference topology, then two further applies of translatorImage, each
    // round reading the translators' live instances: several minutes alone, far more beside other work.
  }, 1_800_000);

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

  const instanceReplacements = (pair: string) => of(pair, "replace").filter((a) => a.startsWith("aws_instance.")).sort();
  const durableUntouched = (pair: string) => {
    const durable = changes[pair].filter((c) => ["aws_network_interface", "aws_eip", "aws_eip_association"].includes(c.type));
    expect(durable.length).toBeGreaterThan(10);
    expect(durable.filter((c) => c.action !== "no-op")).toEqual([]);
  };

  test("a new translator image, staged: the first apply replaces zone a's translator only, zone b keeps what it runs", () => {
    expect(of("translatorImage", "replace")).toEqual([expect.stringMatching(/^aws_instance\.Edge_Translator-a0_Instance_/)]);
    // Both templates take the new image (a new version each); zone b's instance stays on the version it runs.
    const updated = of("translatorImage", "update");
    expect(updated.filter((a) => a.startsWith("aws_launch_template."))).toEqual([expect.stringMatching(/Edge_Translator-a0_LaunchTemplate_/), expect.stringMatching(/Edge_Translator-b0_LaunchTemplate_/)]);
    // Updated in place besides: what names the new instance id (zone a's alarms and the dashboard).
    expect(updated.filter((a) => a.startsWith("aws_cloudwatch_metric_alarm."))).toHaveLength(5);
    expect(updated.filter((a) => !/^aws_(launch_template\.Edge_Translator-|cloudwatch_metric_alarm\.Edge_Translator-a0_|cloudwatch_dashboard\.)/.test(a))).toEqual([]);
    expect(of("translatorImage", "create")).toEqual([]);
    expect(of("translatorImage", "delete")).toEqual([]);
    durableUntouched("translatorImage");
  });

  test("with zone a on the new image (the first apply's state), the next plan replaces zone b's translator only; the third replaces nothing", () => {
    expect(of("translatorImage@2", "replace")).toEqual([expect.stringMatching(/^aws_instance\.Edge_Translator-b0_Instance_/)]);
    expect(of("translatorImage@2", "update").filter((a) => a.startsWith("aws_launch_template."))).toEqual([]);
    expect(of("translatorImage@2", "create").concat(of("translatorImage@2", "delete"))).toEqual([]);
    expect(changes["translatorImage@2"].filter((c) => ["aws_network_interface", "aws_eip", "aws_eip_association"].includes(c.type) && c.action !== "no-op")).toEqual([]);
    expect(of("translatorImage@3", "replace").concat(of("translatorImage@3", "delete"), of("translatorImage@3", "create"))).toEqual([]);
  });

  test("rollout.allAtOnce: a new translator image replaces both zones' translators in one apply; interfaces, EIPs and associations stay", () => {
    expect(instanceReplacements("translatorImageAllAtOnce")).toEqual([expect.stringMatching(/^aws_instance\.Edge_Translator-a0_Instance_/), expect.stringMatching(/^aws_instance\.Edge_Translator-b0_Instance_/)]);
    durableUntouched("translatorImageAllAtOnce");
  });

  test("adding a service, removing another and adding translators replaces nothing", () => {
    expect(changes.services.filter((c) => c.action === "replace")).toEqual([]);
  });

  test("kept services keep their EIPs and associations untouched", () => {
    const kept = changes.services.filter((c) => /Address-(www|ntp)_/.test(c.address) && ["aws_eip", "aws_eip_association"].includes(c.type));
    expect(kept).toHaveLength(6);
    expect(kept.filter((c) => c.action !== "no-op")).toEqual([]);
  });

  test("only the removed service's resources are deleted", () => {
    const deleted = of("services", "delete");
    expect(deleted.length).toBeGreaterThan(0);
    // Its DNS, its addresses (no declaration kept), and the group of its own on its server.
    expect(deleted.filter((a) => !/(Service|Address)-api_|Web_Server1_PublishedSecurityGroup/.test(a))).toEqual([]);
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
    expect(created.some((a) => a.startsWith("aws_eip.Edge_Address-mail_"))).toBe(true);
    expect(created.filter((a) => /^aws_instance\.Edge_Translator-[ab]1_/.test(a))).toHaveLength(2);
    expect(created.filter((a) => /^aws_route\.Net_servers-eu-north-1[ab]_Translator-Edge-[ab]1_/.test(a))).toHaveLength(4);
  });

  const durable = (pair: string) => changes[pair].filter((c) => ["aws_eip", "aws_eip_association"].includes(c.type) && /Edge_Address-/.test(c.address));
  const replaced = (pair: string) => of(pair, "replace").concat(of(pair, "delete"));
  /** Existing EIPs and associations stay as they are (EIP tags may update in place); new zones may add some. */
  const serviceAddressesUntouched = (pair: string, allowed: PlannedChange["action"][] = ["no-op"]) => {
    expect(durable(pair).length).toBeGreaterThanOrEqual(10);
    expect(durable(pair).filter((c) => c.action !== "create" && !(allowed.includes(c.action) && (c.action === "no-op" || c.type === "aws_eip")))).toEqual([]);
    const enis = changes[pair].filter((c) => c.type === "aws_network_interface" && /Edge_Translator-/.test(c.address));
    expect(enis.filter((c) => c.action === "replace" || c.action === "delete")).toEqual([]);
  };

  test.each([
    ["ports", "a new port: security group rules only"],
    ["dnsName", "a new DNS name: records only"],
    ["target", "a new target: EAM entry, rules and AAAA only"],
    ["edgeTags", "tags: updated in place"],
    ["alarmActions", "alarm actions: alarms updated in place"],
  ])("%s — %s; no instance, interface or address is replaced", (pair) => {
    serviceAddressesUntouched(pair, pair === "edgeTags" ? ["no-op", "update"] : ["no-op"]);
    expect(durable(pair).filter((c) => c.action === "create")).toEqual([]);
    expect(replaced(pair).filter((a) => /^aws_(instance|network_interface|eip|eip_association)\./.test(a))).toEqual([]);
  });

  test("reordering the zone list changes nothing but the dashboard's widget order", () => {
    expect(changes.zoneOrder.filter((c) => c.action !== "no-op").map((c) => `${c.type} ${c.action}`)).toEqual(["aws_cloudwatch_dashboard update"]);
  });

  test("adding a zone adds its subnets and translator and moves no translator, EIP or association; fleet servers beyond the first per zone move (pin the fleet's zones)", () => {
    serviceAddressesUntouched("zoneAdded");
    // Services on every zone's translator 0 (www, api) gain an address in the new zone.
    expect(durable("zoneAdded").filter((c) => c.action === "create").map((c) => c.address.replace(/_[0-9A-F]{8}$/, "")).sort()).toEqual([
      "aws_eip.Edge_Address-api_c0_Eip",
      "aws_eip.Edge_Address-www_c0_Eip",
      "aws_eip_association.Edge_Address-api_c0_Association",
      "aws_eip_association.Edge_Address-www_c0_Association",
    ]);
    expect(of("zoneAdded", "create").filter((a) => /^aws_instance\.Edge_Translator-c0_/.test(a))).toHaveLength(1);
    expect(replaced("zoneAdded").filter((a) => /Edge_|Outbound_/.test(a) && /^aws_(instance|network_interface|eip)\./.test(a))).toEqual([]);
    const movedServers = replaced("zoneAdded").filter((a) => /^aws_network_interface\.Web_Server/.test(a));
    expect(movedServers.map((a) => a.replace(/_NetworkInterface_.*/, "")).sort()).toEqual(["aws_network_interface.Web_Server2", "aws_network_interface.Web_Server3"]);
  });

  test("with serversPerZone, adding a zone adds that zone's servers and moves no existing one", () => {
    serviceAddressesUntouched("zoneAddedPerZone");
    expect(replaced("zoneAddedPerZone").filter((a) => /^aws_(instance|network_interface)\.Web_/.test(a))).toEqual([]);
    expect(of("zoneAddedPerZone", "create").filter((a) => /^aws_network_interface\.Web_Server/.test(a)).map((a) => a.replace(/_NetworkInterface_.*/, "")).sort()).toEqual([
      "aws_network_interface.Web_Server18",
      "aws_network_interface.Web_Server2",
    ]);
  });

  test("growing the fleet adds servers and moves none", () => {
    expect(replaced("fleetGrows")).toEqual([]);
    expect(of("fleetGrows", "create").filter((a) => /^aws_instance\.Web_Server[45]_/.test(a))).toHaveLength(2);
  });

  test("a new translator instance type is staged too: zone a's translator only; all at once replaces both; interfaces and addresses stay", () => {
    serviceAddressesUntouched("translatorType");
    expect(instanceReplacements("translatorType")).toEqual([expect.stringMatching(/Edge_Translator-a0_/)]);
    serviceAddressesUntouched("translatorTypeAllAtOnce");
    expect(instanceReplacements("translatorTypeAllAtOnce")).toEqual([expect.stringMatching(/Edge_Translator-a0_/), expect.stringMatching(/Edge_Translator-b0_/)]);
  });

  test("a canary rollout (rollout.zones) replaces one zone's translator per step, and finishing it replaces nothing", () => {
    for (const [pair, zone] of [["rolloutStep1", "a0"], ["rolloutStep2", "b0"]] as const) {
      serviceAddressesUntouched(pair);
      expect(of(pair, "replace")).toEqual([expect.stringMatching(new RegExp(`^aws_instance\\.Edge_Translator-${zone}_Instance_`))]);
    }
    expect(replaced("rolloutDone")).toEqual([]);
  });

  test("switching the NAT64 provider leaves every service address and translator alone", () => {
    serviceAddressesUntouched("nat64Provider");
    // Deleted: the Jool NAT64 nodes and their configuration objects (kept in the translators' store).
    expect(replaced("nat64Provider").filter((a) => /Edge_|Web_/.test(a) && !/Edge_ConfigStore_Config-net-outbound-/.test(a))).toEqual([]);
    expect(of("nat64Provider", "create").filter((a) => a.startsWith("aws_nat_gateway."))).toHaveLength(2);
  });
});

tier.describe("changes that would replace translator interfaces", () => {
  test("a new VPC IPv4 block or firstHostIndex fails the plan, naming each interface (prevent_destroy), unless allowed", async () => {
    const reference = (o: ReferenceOptions = {}) => synthForTerraform((s) => referenceTopology(s, o), region);
    const attempt = planChanges(tier.env!, [
      { name: "ipv4Block", before: reference(), after: reference({ ipv4Cidr: "10.1.0.0/16" }) },
      { name: "firstHostIndex", before: reference(), after: reference({ translatorFirstHostIndex: 12 }) },
    ]);
    await expect(attempt).rejects.toThrow(/Instance cannot be destroyed[\s\S]*module\.(ipv4Block|firstHostIndex)\.aws_network_interface\.Edge_Translator-a0_NetworkInterface_/);
    const message = await attempt.catch((e: Error) => e.message);
    for (const m of ["ipv4Block", "firstHostIndex"]) for (const t of ["a0", "b0"]) expect(message).toMatch(new RegExp(`module\\.${m}\\.aws_network_interface\\.Edge_Translator-${t}_NetworkInterface_`));
  }, 900_000);
});
