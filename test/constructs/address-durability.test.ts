import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Ipv6OnlyVpc, Ipv6ServerFleet, Port, SiitDcTranslators } from "../../lib";
import { interfaceAddressMode, setOrderFirst } from "../../lib/plan/aws/interface-addresses";
import { REQUIRED_TERRAFORM_VERSION } from "../../lib/constructs/core/required-terraform";
import { resourceAt, resourcesOf, synthJson, testStack } from "../support/stacks";
import { Testing } from "../../lib/cdktf";

/** Invariants 12 and 15 as synthesized: what the apply tier (test/terraform/apply-safety) runs. */
const zones = ["eu-north-1a", "eu-north-1b"];

describe("interface addresses", () => {
  test("the set's creation order is the provider's (HashSchema: CRC-32 of the value plus ';', codes sorted as strings)", () => {
    // Orders the real provider 5.100.0 produced for these sets (recorded by the apply tier).
    expect(setOrderFirst(["10.0.0.10", "10.0.0.82", "10.0.0.117"])).toBe("10.0.0.117");
    expect(setOrderFirst(["10.0.0.10", "10.0.0.91", "10.0.0.126"])).toBe("10.0.0.91");
    expect(setOrderFirst(["10.0.16.10", "10.0.16.65", "10.0.16.66", "10.0.16.67"])).toBe("10.0.16.10");
  });

  test("an interface whose set would not put the primary first is created from the ordered list once", () => {
    expect(interfaceAddressMode("10.0.0.10", ["10.0.0.65", "10.0.0.66"])).toEqual({ kind: "set" });
    expect(interfaceAddressMode("10.0.0.10", ["10.0.0.82", "10.0.0.117"])).toEqual({ kind: "list-at-create", wouldBePrimary: "10.0.0.117" });
  });

  test("translator interfaces hold their addresses as a set and their IPv6 in ipv6_addresses", () => {
    const synth = synthJson((s) => {
      const vpc = new Ipv6OnlyVpc(s, "Net", { availabilityZones: zones });
      const edge = new SiitDcTranslators(s, "Edge", { vpc });
      edge.publish("www", "2001:db8::5", { number: 1, ports: [Port.tcp(443)] });
    });
    const eni = resourceAt(synth, "aws_network_interface", "Edge/Translator-a0/NetworkInterface");
    expect(eni.private_ips).toEqual(["10.0.0.10", "10.0.0.65"]);
    expect(eni.private_ip_list).toBeUndefined();
    expect(eni.private_ip_list_enabled).toBeUndefined();
    expect(eni.ipv6_addresses).toEqual([expect.stringContaining("cidrhost")]);
    expect(eni.ipv6_address_list).toBeUndefined();
  });

  test("where the set's order is wrong, the creating run uses the ordered list", () => {
    const synth = synthJson((s) => {
      const vpc = new Ipv6OnlyVpc(s, "Net", { availabilityZones: zones });
      const edge = new SiitDcTranslators(s, "Edge", { vpc, instanceType: "c7gn.large" });
      // 10.0.0.82 (number 18) and 10.0.0.117 (number 53): the set would make .117 primary.
      edge.publish("a", "2001:db8::5", { number: 18, ports: [Port.tcp(443)], translators: [edge.translator("eu-north-1a")] });
      edge.publish("b", "2001:db8::6", { number: 53, ports: [Port.tcp(443)], translators: [edge.translator("eu-north-1a")] });
    });
    const eni = resourceAt(synth, "aws_network_interface", "Edge/Translator-a0/NetworkInterface");
    const marker = Object.keys(resourcesOf(synth, "terraform_data")).find((n) => n.startsWith("Edge_Translator-a0_CreatedInRun_"))!;
    const creating = `terraform_data.${marker}.output.run == plantimestamp()`;
    expect(eni.private_ip_list_enabled).toBe(`\${${creating}}`);
    expect(eni.private_ip_list).toBe(`\${${creating} ? ["10.0.0.10","10.0.0.82","10.0.0.117"] : null}`);
    expect(eni.private_ips).toBe(`\${${creating} ? null : ["10.0.0.10","10.0.0.82","10.0.0.117"]}`);
    expect(resourcesOf(synth, "terraform_data")[marker]).toMatchObject({ input: { run: "${plantimestamp()}" }, lifecycle: { ignore_changes: ["input"] } });
  });
});

describe("public addresses", () => {
  const build = (addresses: { id: string; number: number; translators?: string[] }[] | undefined, publish: [string, number][]) => {
    const stack = testStack();
    const vpc = new Ipv6OnlyVpc(stack, "Net", { availabilityZones: zones });
    const edge = new SiitDcTranslators(stack, "Edge", { vpc, publicAddresses: addresses });
    publish.forEach(([name, number], i) => edge.publish(name, `2001:db8::${i + 5}`, { number, ports: [Port.tcp(443)] }));
    const synth = JSON.parse(Testing.synth(stack, true)) as { resource: Record<string, Record<string, Record<string, unknown>>>; moved?: unknown[] };
    return { stack, synth };
  };

  test("EIPs are named by the address id, not the service name", () => {
    const { synth } = build([{ id: "www", number: 1 }], [["web-renamed", 1]]);
    expect(Object.keys(resourcesOf(synth, "aws_eip")).sort()).toEqual([expect.stringMatching(/^Edge_Address-www_a0_Eip_/), expect.stringMatching(/^Edge_Address-www_b0_Eip_/)]);
    expect(resourceAt(synth, "aws_eip", "Edge/Address-www/a0/Eip").tags).toMatchObject({ Service: "web-renamed" });
  });

  test("a declared address no service uses stays allocated, with a warning of what it costs", () => {
    const { synth, stack } = build([{ id: "www", number: 1 }, { id: "api", number: 2 }], [["www", 1]]);
    expect(resourceAt(synth, "aws_eip", "Edge/Address-api/a0/Eip").tags).toMatchObject({ Reserved: "true", Address: "api" });
    expect(Object.keys(resourcesOf(synth, "aws_eip_association")).filter((n) => n.includes("api"))).toEqual([]);
    const edge = stack.node.findChild("Edge");
    const warnings = edge.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => m.data);
    expect(warnings).toEqual([expect.stringContaining("2 public IPv4 address(es) are reserved but used by no service (api on a0, api on b0): about $7.30 a month")]);
  });

  test("publishing a number without a declared address is refused", () => {
    expect(() => build([{ id: "www", number: 1 }], [["api", 2]])).toThrow(
      'test/Edge: publish(api).number = 2: has no declared public address. Fix: declare it in publicAddresses, e.g. { id: "api", number: 2 }',
    );
  });

  test("without declared addresses, EIPs are named by the service number and follow their 0.1 names", () => {
    const { synth } = build(undefined, [["www", 1]]);
    expect(Object.keys(resourcesOf(synth, "aws_eip")).sort()).toEqual([expect.stringMatching(/^Edge_Address-1_a0_Eip_/), expect.stringMatching(/^Edge_Address-1_b0_Eip_/)]);
    expect(JSON.stringify(synth.moved)).toContain('"from":"aws_eip.Edge_Service-www_eu-north-1a_Eip_EE7C1F89"');
  });
});

describe("placement and metadata", () => {
  test("reordering the zone list moves no server", () => {
    const addresses = (order: string[]) =>
      synthJson((s) => {
        const vpc = new Ipv6OnlyVpc(s, "Net", { availabilityZones: zones });
        new Ipv6ServerFleet(s, "Web", { vpc, servers: 3, instanceType: "c7g.large", zones: order });
      });
    const a = addresses(["eu-north-1a", "eu-north-1b"]);
    const b = addresses(["eu-north-1b", "eu-north-1a"]);
    expect(resourcesOf(b, "aws_network_interface")).toEqual(resourcesOf(a, "aws_network_interface"));
  });

  test("tags live on instances and volumes, never in a fixed instance's launch template", () => {
    const synth = synthJson((s) => {
      const vpc = new Ipv6OnlyVpc(s, "Net", { availabilityZones: zones });
      new Ipv6ServerFleet(s, "Web", { vpc, servers: 1, instanceType: "c7g.large", tags: { Team: "web" } });
      new SiitDcTranslators(s, "Edge", { vpc, tags: { Team: "edge" } });
    });
    // Not even the template's own tags: a changed template makes the provider plan a new
    // latest_version, which replaces the instances that follow it.
    for (const lt of Object.values(resourcesOf(synth, "aws_launch_template"))) {
      expect(lt.tag_specifications).toBeUndefined();
      expect(Object.keys(lt.tags as object)).toEqual(["Name"]);
    }
    expect(resourceAt(synth, "aws_instance", "Edge/Translator-a0/Instance")).toMatchObject({ tags: expect.objectContaining({ Team: "edge" }), volume_tags: expect.objectContaining({ Team: "edge" }) });
    expect(resourceAt(synth, "aws_instance", "Web/Server0/Instance")).toMatchObject({ volume_tags: expect.objectContaining({ Team: "web" }) });
  });
});

describe("translator interfaces are guarded", () => {
  const eni = (allow?: boolean) =>
    resourceAt(
      synthJson((s) => new SiitDcTranslators(s, "Edge", { vpc: new Ipv6OnlyVpc(s, "Net", { availabilityZones: zones }), allowInterfaceReplacement: allow })),
      "aws_network_interface",
      "Edge/Translator-a0/NetworkInterface",
    );
  test("prevent_destroy by default; allowInterfaceReplacement lifts it", () => {
    expect(eni().lifecycle).toEqual({ prevent_destroy: true });
    expect(eni(true).lifecycle).toBeUndefined();
  });
});

describe("the Terraform version the stacks need (terraform_data markers, moved blocks)", () => {
  // A process of its own (the built library, as an app runs it): jest's sandbox keeps its own
  // copy of process.env, which child processes of the library would not see.
  test("is required in the configuration (enforced where Terraform runs), not checked by running `terraform version` at synth, for markers and moved blocks", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "siit-tf-"));
    const calls = path.join(dir, "calls");
    // A Terraform too old for the markers: cdktf's DataResource check would fail synth with it.
    fs.writeFileSync(path.join(dir, "terraform"), `#!/bin/sh\necho "$*" >> "${calls}"\necho "Terraform v1.3.9"\n`, { mode: 0o755 });
    const app = `
      const lib = require(${JSON.stringify(path.resolve(__dirname, "../../dist/lib"))});
      const { App, TerraformStack } = require(${JSON.stringify(path.resolve(__dirname, "../../dist/lib/cdktf"))});
      const { AwsProvider } = require("@cdktf/provider-aws/lib/provider");
      const app = new App({ outdir: ${JSON.stringify(dir)} });
      for (const name of ["one", "own"]) {
        const s = new TerraformStack(app, name);
        new AwsProvider(s, "aws", { region: "eu-north-1" });
        if (name === "own") s.addOverride("terraform.required_version", "~> 1.11.0");
        const vpc = new lib.Ipv6OnlyVpc(s, "Net", { availabilityZones: ["eu-north-1a", "eu-north-1b"] });
        // Without declared public addresses, the EIPs follow their 0.1 names: moved blocks.
        new lib.SiitDcTranslators(s, "Edge", { region: "eu-north-1", vpc }).publish("web", vpc.serverSubnet("eu-north-1a").plan.ipv6.host(16), { number: 1, ports: [lib.Port.tcp(443)] });
      }
      app.synth();`;
    try {
      execFileSync(process.execPath, ["-e", app], { env: { ...process.env, PATH: `${dir}:${process.env.PATH}` }, encoding: "utf8" });
      expect(fs.existsSync(calls)).toBe(false);
      const synthesized = (stack: string) => JSON.parse(fs.readFileSync(path.join(dir, "stacks", stack, "cdk.tf.json"), "utf8")) as { terraform: Record<string, unknown>; moved: unknown[] };
      const terraformBlock = (stack: string) => synthesized(stack).terraform;
      expect(synthesized("one").moved).toHaveLength(4);
      expect(terraformBlock("one").required_version).toBe(REQUIRED_TERRAFORM_VERSION);
      // A stack's own constraint is the user's to keep.
      expect(terraformBlock("own").required_version).toBe("~> 1.11.0");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
