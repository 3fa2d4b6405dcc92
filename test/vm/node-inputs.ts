import { bootScript } from "../../lib/plan/boot/user-data";
import { nodeConfigBundleText } from "../../lib/plan/jool/bundle";
import { joolFileText, SIIT_INSTANCE, NAT64_INSTANCE, SiitConfig, Nat64Config } from "../../lib/plan/jool/config";
import { fragmentPrefix, JoolFragment } from "../../lib/plan/jool/fragments";
import { LAB_INTERNET } from "../../lib/lab/model/substitution";
import { buildLabTopology } from "../../lib/lab/model/topology";
import { referenceTopology } from "../../examples/reference";
import { referenceInput } from "../lab/support";
import { synthJson } from "../support/stacks";
import { fragmentOf, platformObject, singleStack } from "../support/team-fragments";

/**
 * What a node boot of the VM tier is given, taken from the bundled reference example: the user
 * data exactly as EC2 delivers it (the launch template's base64 of gzip), the Jool file its agent
 * downloads (the lab's rendering: unknown prefixes bound to documentation prefixes, nothing else
 * changed), the instance tag that says where the object lives, and the plan's intent (which
 * services the node carries, its addresses) for the checks. Nothing here is read from the file
 * that the checks test, so a file that loses an EAM entry fails them.
 */
export interface NodeShare {
  /** Files to write into the share, by relative path. */
  readonly files: Record<string, string | Buffer>;
  /** Shell assignments for params.sh. */
  readonly params: Record<string, string>;
}

const REGION = "eu-north-1";
const BUCKET = "sdvm-config";

function instanceTag(synth: ReturnType<typeof synthJson>, name: RegExp): string {
  const [, instance] = Object.entries(synth.resource.aws_instance ?? {}).find(([k]) => name.test(k))!;
  const tag = String((instance.tags as Record<string, string>).SiitDcConfig);
  // The bucket name is known after apply: instance metadata (a stand-in here) gives it literally.
  return tag.replace(/\$\{aws_s3_bucket\.[^}]+\.bucket\}/, BUCKET);
}

function userData(synth: ReturnType<typeof synthJson>, name: RegExp): Buffer {
  const [, lt] = Object.entries(synth.resource.aws_launch_template ?? {}).find(([k]) => name.test(k))!;
  return Buffer.from(String(lt.user_data), "base64");
}

function imds(instanceId: string, localIpv4: string, uri: string): Record<string, string> {
  return {
    "imds/instance-id": instanceId,
    "imds/placement/region": REGION,
    "imds/local-ipv4": localIpv4,
    "imds/tags/instance/SiitDcConfig": uri,
  };
}

function seed(instanceId: string, ipv4: string, len4: number, gw4: string, ipv6: string, gw6: string): Record<string, string> {
  return {
    "meta-data": `instance-id: ${instanceId}\nlocal-hostname: ${instanceId}\n`,
    // What EC2's network configuration gives the primary interface (static here: no DHCP server).
    "network-config": [
      "version: 2",
      "ethernets:",
      "  eth0:",
      `    addresses: ["${ipv4}/${len4}", "${ipv6}/64"]`,
      `    gateway4: ${gw4}`,
      `    gateway6: "${gw6}"`,
      "    mtu: 9001",
      "",
    ].join("\n"),
  };
}

/** Translator a0 of the reference example: publishing "mail" (and withdrawing "ntp", which a0 does not carry) is the live change. */
export function translatorShare(options: { mutateFile?: (file: string) => string } = {}): NodeShare {
  const synth = synthJson((s) => referenceTopology(s));
  const before = buildLabTopology(referenceInput());
  const after = buildLabTopology(referenceInput({ services: ["www", "api", "mail"] }));
  const t = before.translators.find((x) => x.id === "a0")!;
  const tAfter = after.translators.find((x) => x.id === "a0")!;
  const mutate = options.mutateFile ?? ((f: string) => f);
  const carried = (topo: typeof before) =>
    topo.services
      // The fourth column says whether the service declares echo: the translator's filter drops it otherwise.
      .flatMap((s) => s.addresses.filter((a) => a.translator === t.key).map((a) => `${s.key} ${a.privateIpv4} ${s.target} ${s.ports.some((p) => p.protocol === "icmp") ? "echo" : "no-echo"}\n`))
      .join("");
  const edge = before.vpc.edgeSubnets.find((e) => e.zone === t.zone)!;
  const uri = instanceTag(synth, /^Edge_Translator-a0_Instance_/);
  const object = uri.replace(/^s3:\/\//, "");
  const good = mutate(t.joolFile);
  const changed = mutate(tAfter.joolFile);
  const broken = JSON.stringify({ ...JSON.parse(changed), global: { ...JSON.parse(changed).global, "lowest-ipv6-mtu": 1000 } }, null, 2);
  // What the agent downloads: the Jool file with the translator's filter (lib/plan/jool/bundle.ts).
  const bundle = (file: string, filter: string) => nodeConfigBundleText(JSON.parse(file) as SiitConfig, filter);
  const services = carried(before);
  // Hairpinning: the first service's server reaches the second service through this translator,
  // at the second service's address embedded in the translator's pool6 (RFC 7757 intrinsic).
  const [one, two] = before.services.filter((x) => x.addresses.some((a) => a.translator === t.key));
  const twoAddress = two.addresses.find((a) => a.translator === t.key)!.privateIpv4;
  const instanceId = "i-0sdvm00000000a0";
  return {
    files: {
      "user-data": userData(synth, /^Edge_Translator-a0_LaunchTemplate_/),
      ...seed(instanceId, t.primaryIpv4.toString(), edge.ipv4.length, edge.ipv4.host(1).toString(), t.ipv6.toString(), edge.ipv6.host(1).toString()),
      ...imds(instanceId, t.primaryIpv4.toString(), uri),
      [`s3/${object}`]: bundle(good, t.filter),
      "objects/good.json": bundle(good, t.filter),
      "objects/changed.json": bundle(changed, tAfter.filter),
      "objects/broken.json": bundle(broken, tAfter.filter),
      // The Jool files inside them, as the agent writes the one in force.
      "jool/good.json": good,
      "jool/changed.json": changed,
      "services.txt": services,
      "services-changed.txt": carried(after),
    },
    params: {
      MODE: "siit",
      INSTANCE: SIIT_INSTANCE,
      OBJECT: object,
      NODE4: t.primaryIpv4.toString(),
      LEN4: String(edge.ipv4.length),
      GW4: edge.ipv4.host(1).toString(),
      NODE6: t.ipv6.toString(),
      LEN6: "64",
      GW6: edge.ipv6.host(1).toString(),
      CLIENT4: LAB_INTERNET.ipv4Client.toString(),
      POOL6: t.deployedPrefix.toString(),
      SECONDARY4: services.split(" ")[1],
      HAIRPIN_FROM: one.target.toString(),
      HAIRPIN_TO: t.deployedPrefix.embedIpv4(twoAddress).toString(),
      HAIRPIN_TARGET: two.target.toString(),
      HAIRPIN_PORT: String(two.ports.find((p) => p.protocol === "tcp")!.fromPort),
      HAIRPIN_PEER: t.deployedPrefix.embedIpv4(one.addresses.find((a) => a.translator === t.key)!.privateIpv4).toString(),
      HAIRPIN_NAMES: `${one.key} to ${two.key}`,
      LOWEST_IPV6_MTU: String((JSON.parse(t.joolFile) as { global: { "lowest-ipv6-mtu": number } }).global["lowest-ipv6-mtu"]),
    },
  };
}

/** The Jool NAT64 node of the reference example in its first zone. */
export function nat64Share(): NodeShare {
  const synth = synthJson((s) => referenceTopology(s));
  const input = referenceInput();
  const topo = buildLabTopology(input);
  const d = topo.nat64[0];
  const file = input.nat64!.devices.find((x) => x.zone === d.zone)!.joolFile!;
  const edge = topo.vpc.edgeSubnets.find((e) => e.zone === d.zone)!;
  const uri = instanceTag(synth, new RegExp(`^Outbound_Node-${d.zone}_Instance_`));
  const object = uri.replace(/^s3:\/\//, "");
  const instanceId = "i-0sdvm000000nat64";
  return {
    files: {
      "user-data": userData(synth, new RegExp(`^Outbound_Node-${d.zone}_LaunchTemplate_`)),
      ...seed(instanceId, d.ipv4.toString(), edge.ipv4.length, edge.ipv4.host(1).toString(), d.ipv6.toString(), edge.ipv6.host(1).toString()),
      ...imds(instanceId, d.ipv4.toString(), uri),
      [`s3/${object}`]: nodeConfigBundleText(JSON.parse(file) as Nat64Config),
      "jool/good.json": file,
    },
    params: {
      MODE: "nat64",
      INSTANCE: NAT64_INSTANCE,
      OBJECT: object,
      NODE4: d.ipv4.toString(),
      LEN4: String(edge.ipv4.length),
      GW4: edge.ipv4.host(1).toString(),
      NODE6: d.ipv6.toString(),
      LEN6: "64",
      GW6: edge.ipv6.host(1).toString(),
      CLIENT6: topo.servers[0].address.toString(),
      HOST4: LAB_INTERNET.ipv4Host.toString(),
    },
  };
}

/**
 * The "fragments" boot: the config agent merges a platform's object with two teams' fragments on
 * the real Jool (test/support/team-fragments.ts: translator a0 carrying the platform's, alpha's
 * and beta's services). The expected Jool files are the single-stack renderings, made without
 * the agent.
 */
export function fragmentsShare(): NodeShare {
  const key = "siit/app/Edge/a0.json";
  const prefix = fragmentPrefix(key);
  const all = singleStack(() => true).jool;
  const noAlpha = singleStack((s) => s.who !== "alpha").jool;
  const beta = JSON.parse(fragmentOf("beta")) as JoolFragment;
  // Beta maps an address outside its range (10.0.0.96/28) that Jool itself would take.
  const bad: JoolFragment = {
    ...beta,
    eamt: [...beta.eamt, { "ipv6 prefix": "2001:db8:1200:10::ff/128", "ipv4 prefix": "10.0.0.120/32" }],
    filter: [...beta.filter, { ipv4: "10.0.0.120", pool6: "64:ff9b:1::a00:78", ports: ["tcp 443"], echo: false, outbound: false }],
  };
  const ipv4s = (c: SiitConfig) => (c.eamt ?? []).map((e) => e["ipv4 prefix"].replace("/32", "")).join(" ");
  return {
    files: {
      [`s3/${BUCKET}/${key}`]: platformObject(),
      [`s3/${BUCKET}/${prefix}alpha.json`]: fragmentOf("alpha"),
      [`s3/${BUCKET}/${prefix}beta.json`]: fragmentOf("beta"),
      "objects/beta.json": fragmentOf("beta"),
      "objects/beta-bad.json": `${JSON.stringify(bad, null, 2)}\n`,
      "expected/all.json": joolFileText(all),
      "expected/no-alpha.json": joolFileText(noAlpha),
      // What the agent must log about the bad fragment (a file: params.sh quotes with ').
      "expected/bad-problem.txt": "10.0.0.120 is outside team beta's ranges (10.0.0.96/28)\n",
      "imds/instance-id": "i-0sdvmfragments0",
      "imds/placement/region": REGION,
      "imds/tags/instance/SiitDcConfig": `s3://${BUCKET}/${key}`,
      // The agents exactly as the user data ships them (lib/plan/boot/jool-node-boot.ts, bootScript).
      "jool-config-agent.sh": bootScript("jool-config-agent.sh"),
      "jool-metrics-agent.sh": bootScript("jool-metrics-agent.sh"),
    },
    params: {
      INSTANCE: SIIT_INSTANCE,
      FRAGMENTS: `${BUCKET}/${prefix.replace(/\/$/, "")}`,
      ALL4: ipv4s(all),
      NO_ALPHA4: ipv4s(noAlpha),
    },
  };
}
