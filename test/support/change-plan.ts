import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Ec2ReadEndpoint, LaunchTemplateFacts, LiveInstance } from "./ec2-read-endpoint";
import { asModule, asyncTerraform, rootModule, TerraformAvailability, TerraformError, writeCliConfig } from "./terraform";

/**
 * What Terraform would do to deployed resources when a configuration changes, decided by the real
 * AWS provider: plan the "before" configuration, turn that plan into a prior state (computed
 * values the plan leaves unknown get type-correct stand-ins: ids, ARNs, addresses), then plan the
 * "after" configuration against that state with `-refresh=false`. The provider's own diff logic
 * (ForceNew attributes, in-place updates) decides replace versus update, so a test can show that
 * no EIP, interface or translator instance is replaced.
 */

export interface ChangePair {
  /** Module name. */
  readonly name: string;
  readonly before: Record<string, unknown>;
  readonly after: Record<string, unknown>;
  /**
   * Applies of "after" to plan: with 2 or more, each plan is applied (its changes turned into
   * state, as the prior state is built) and the same configuration planned again, reading the
   * new state through the loopback endpoint; the k-th plan (k >= 2) is reported as `<name>@k`.
   * @default 1
   */
  readonly applies?: number;
}

export type Action = "no-op" | "create" | "update" | "delete" | "replace";

export interface PlannedChange {
  readonly address: string;
  readonly type: string;
  readonly action: Action;
  /** Attribute paths that forced a replacement, as the provider reports them. */
  readonly replacePaths: unknown[];
}

type Schema = { block: SchemaBlock; version: number };
type SchemaBlock = {
  attributes?: Record<string, { type: unknown; computed?: boolean }>;
  block_types?: Record<string, { nesting_mode: string; block: SchemaBlock }>;
};

interface ShowJson {
  resource_changes: {
    address: string;
    module_address?: string;
    mode: string;
    type: string;
    name: string;
    index?: unknown;
    change: { actions: string[]; before?: Record<string, unknown>; after: Record<string, unknown>; after_unknown: Record<string, unknown>; replace_paths?: unknown[] };
  }[];
}

export async function planChanges(env: Extract<TerraformAvailability, { ok: true }>, pairs: ChangePair[]): Promise<Record<string, PlannedChange[]>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "siit-tf-change-"));
  // Pairs often share their "before": each distinct one converges once, as its own module, and its
  // state is then copied under every pair that starts from it (a plan round of three reference
  // topologies costs ~25 s; of one, ~9 s).
  const befores = [...new Set(pairs.map((p) => JSON.stringify(p.before)))];
  const beforeModule = (p: ChangePair) => `module.before${befores.indexOf(JSON.stringify(p.before))}`;
  const state = new Map<string, StateResource>();
  const ec2 = new Ec2ReadEndpoint((module) => launchTemplateFacts([...state.values()], `module.${module}`));
  const endpoint = await ec2.start();
  try {
    const cli = writeCliConfig(dir, env.mirror);
    const root = path.join(dir, "root");
    const run = asyncTerraform(env, root, cli, () => (ec2.refused.length ? `\nrefused EC2 requests: ${ec2.refused.join("; ")}` : ""));
    /** A fresh root module with these stacks as child modules, initialised. */
    const useModules = async (modules: [name: string, config: Record<string, unknown>][]) => {
      fs.rmSync(root, { recursive: true, force: true });
      for (const [name, config] of modules) {
        fs.mkdirSync(path.join(root, name), { recursive: true });
        fs.writeFileSync(path.join(root, name, "main.tf.json"), JSON.stringify(forPlanning(config, `${endpoint}/${name}`)));
      }
      fs.writeFileSync(path.join(root, "main.tf.json"), JSON.stringify(rootModule(modules.map(([name]) => name))));
      await run(["init", "-input=false", "-no-color", "-backend=false"]);
    };
    const plan = async (serial: number, targets: string[] = []): Promise<ShowJson> => {
      fs.writeFileSync(path.join(root, "terraform.tfstate"), JSON.stringify(stateFile([...state.values()], serial)));
      await run(["plan", "-refresh=false", "-input=false", "-no-color", "-lock=false", ...targets.map((t) => `-target=${t}`), "-out=changes.tfplan"]);
      const text = await run(["show", "-json", "changes.tfplan"]);
      // DEBUG_PLAN_DIR=/some/dir keeps every plan as plan-<serial>.json, to see what the data sources read.
      if (process.env.DEBUG_PLAN_DIR) fs.writeFileSync(path.join(process.env.DEBUG_PLAN_DIR, `plan-${serial}.json`), text);
      return JSON.parse(text) as ShowJson;
    };

    // While the prior state converges, stand-in ids change from round to round and so "replace"
    // resources that a real prior state would keep: prevent_destroy must not stop that. The
    // "after" plan keeps every prevent_destroy.
    await useModules(befores.map((b, i) => [`before${i}`, withoutPreventDestroy(JSON.parse(b) as Record<string, unknown>)]));
    const schemas = (JSON.parse(await run(["providers", "schema", "-json"])) as { provider_schemas: Record<string, { resource_schemas: Record<string, Schema> }> }).provider_schemas[
      "registry.terraform.io/hashicorp/aws"
    ].resource_schemas;
    // Converge on a state the "before" configuration agrees with: values that depend on other
    // resources' computed attributes (ids, the VPC prefix) become known one reference hop per round.
    let pendingLast: string[] = [];
    let round = 0;
    for (; ; round++) {
      if (round === MAX_ROUNDS) throw new TerraformError(`the prior state did not converge in ${MAX_ROUNDS} rounds; still changing: ${pendingLast.join("; ")}`);
      const pending = (await plan(round)).resource_changes.filter((c) => c.mode === "managed" && c.change.actions.join() !== "no-op");
      if (pending.length === 0) break;
      pendingLast = pending.map((c) => `${c.address} ${c.change.actions.join("+")} ${differing(c.change.before, c.change.after, c.change.after_unknown).join(",")}`);
      for (const c of pending) state.set(c.address, c.type === "terraform_data" ? terraformDataState(c) : stateResource(c, schemas[c.type]));
    }

    const converged = [...state.values()];
    state.clear();
    for (const p of pairs) {
      for (const r of converged.filter((r) => r.module === beforeModule(p))) {
        const copy = inModule(r, `module.${p.name}`);
        state.set(`${copy.module}.${copy.type}.${copy.name}`, copy);
      }
    }
    await useModules(pairs.map((p) => [p.name, p.after]));
    const after = await plan(round + 1);
    const byModule: Record<string, PlannedChange[]> = Object.fromEntries(pairs.map((p) => [p.name, []]));
    const record = (shown: ShowJson, suffix: string) => {
      for (const c of shown.resource_changes) {
        const module = c.module_address?.replace(/^module\./, "");
        if (!module || !pairs.some((p) => p.name === module)) continue;
        (byModule[module + suffix] ??= []).push({ address: c.address.replace(/^module\.[^.]+\./, ""), type: c.type, action: actionOf(c.change.actions), replacePaths: c.change.replace_paths ?? [] });
      }
    };
    record(after, "");
    // Further applies of the same configuration, for the pairs that ask for them.
    let shown = after;
    let serial = round + 2;
    for (let k = 2; k <= Math.max(1, ...pairs.map((p) => p.applies ?? 1)); k++) {
      const chained = pairs.filter((p) => (p.applies ?? 1) >= k).map((p) => `module.${p.name}`);
      for (const c of shown.resource_changes.filter((c) => c.mode === "managed" && chained.includes(c.module_address ?? "") && c.change.actions.join() !== "no-op")) {
        if (c.change.actions.join() === "delete") state.delete(c.address);
        else state.set(c.address, c.type === "terraform_data" ? terraformDataState(c) : stateResource(c, schemas[c.type]));
      }
      settleLaunchVersions(state, shown);
      shown = await plan(serial++, chained);
      record(shown, `@${k}`);
    }
    return byModule;
  } finally {
    await ec2.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * After an apply: an instance launched from its template's latest version runs the version the
 * template update made (a stand-in would not be it) and that version's image, and its tags that
 * record them say so. The provider plans a tag map with an unknown value as wholly unknown, so the
 * other tags are the instance's earlier ones (Name and SiitDcConfig do not change in a rollout).
 */
function settleLaunchVersions(state: Map<string, StateResource>, shown: ShowJson): void {
  for (const c of shown.resource_changes.filter((c) => c.type === "aws_instance" && c.mode === "managed")) {
    const unknownVersion = (c.change.after_unknown?.launch_template as { version?: boolean }[] | undefined)?.[0]?.version === true;
    const r = state.get(c.address);
    if (!unknownVersion || !r) continue;
    const a = r.instances[0].attributes;
    const lt = (a.launch_template as { id: string; version: string }[])[0];
    const template = [...state.values()].find((t) => t.type === "aws_launch_template" && t.module === r.module && t.instances[0].attributes.id === lt.id);
    if (!template) continue;
    lt.version = String(template.instances[0].attributes.latest_version);
    for (const key of ["tags", "tags_all", "volume_tags"]) {
      const unknown = c.change.after_unknown?.[key];
      if (!unknown) continue;
      const known = (unknown === true ? c.change.before?.[key] : a[key]) as Record<string, string> | null | undefined;
      a[key] = { ...(known ?? {}), SiitDcImage: String(template.instances[0].attributes.image_id), SiitDcTemplateVersion: lt.version };
    }
  }
}

function withoutPreventDestroy(config: Record<string, unknown>): Record<string, unknown> {
  for (const byName of Object.values((config.resource ?? {}) as Record<string, Record<string, { lifecycle?: { prevent_destroy?: boolean } }>>)) {
    for (const r of Object.values(byName)) if (r.lifecycle) delete r.lifecycle.prevent_destroy;
  }
  return config;
}

function actionOf(actions: string[]): Action {
  const a = actions.join(",");
  if (a === "delete,create" || a === "create,delete") return "replace";
  if (["no-op", "create", "update", "delete"].includes(a)) return a as Action;
  throw new Error(`unexpected actions ${a}`);
}

/** The stack as a child module, its provider reading EC2 from the loopback endpoint. */
function forPlanning(config: Record<string, unknown>, ec2Endpoint: string): Record<string, unknown> {
  const copy = asModule(config) as { provider?: { aws?: Record<string, unknown>[] } };
  for (const p of copy.provider?.aws ?? []) p.endpoints = [{ ec2: ec2Endpoint }];
  return copy;
}

/** What the loopback EC2 endpoint says about instances and launch templates of the prior state. */
function launchTemplateFacts(resources: StateResource[], module: string): LaunchTemplateFacts {
  const facts: LaunchTemplateFacts = { instances: new Map(), templates: new Map(), running: liveInstances(resources.filter((r) => r.module === module)) };
  for (const r of resources) {
    const a = r.instances[0].attributes;
    if (r.type === "aws_launch_template") {
      facts.templates.set(String(a.id), { name: String(a.name), defaultVersion: String(a.default_version ?? 1), latestVersion: String(a.latest_version ?? 1) });
    }
    const lt = (a.launch_template as { id?: string; version?: string }[] | undefined)?.[0];
    if (r.type === "aws_instance" && lt?.id) facts.instances.set(String(a.id), { launchTemplateId: lt.id, version: String(lt.version ?? "1") });
  }
  return facts;
}

/**
 * The prior state's instances as DescribeInstances reports them: each launched from its
 * template's image and type, in its interface's subnet and zone, at the interface's primary
 * address, with its tags (of one module: each module's provider asks under its own path).
 */
function liveInstances(resources: StateResource[]): LiveInstance[] {
  const byId = (type: string, module: string | undefined, id: unknown) =>
    resources.find((r) => r.type === type && r.module === module && r.instances[0].attributes.id === id)?.instances[0].attributes;
  const live: LiveInstance[] = [];
  for (const r of resources.filter((r) => r.type === "aws_instance")) {
    const a = r.instances[0].attributes;
    const lt = byId("aws_launch_template", r.module, (a.launch_template as { id?: string }[] | undefined)?.[0]?.id);
    const eni = byId("aws_network_interface", r.module, (a.network_interface as { network_interface_id?: string }[] | undefined)?.[0]?.network_interface_id);
    const subnet = eni && byId("aws_subnet", r.module, eni.subnet_id);
    if (!lt || !eni || !subnet) continue;
    const image = String(lt.image_id);
    live.push({
      id: String(a.id),
      imageId: image.startsWith("resolve:ssm:") ? "ami-00000000000000000" : image,
      instanceType: String(lt.instance_type),
      availabilityZone: String(subnet.availability_zone),
      privateIp: String(eni.private_ip),
      subnetId: String(subnet.id),
      networkInterfaceId: String(eni.id),
      tags: (a.tags as Record<string, string> | null) ?? {},
    });
  }
  return live;
}

const MAX_ROUNDS = 8;

/** Top-level attributes whose planned value differs from the prior one (for messages). */
function differing(before: Record<string, unknown> | undefined, after: Record<string, unknown>, unknown: Record<string, unknown>): string[] {
  if (!before) return ["(new)"];
  return Object.keys({ ...before, ...after }).filter((k) => unknown[k] === true || JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}

interface StateResource {
  module?: string;
  mode: "managed";
  type: string;
  name: string;
  provider: string;
  instances: { schema_version: number; attributes: Record<string, unknown>; sensitive_attributes: unknown[] }[];
}

function stateFile(resources: StateResource[], serial: number): object {
  return { version: 4, terraform_version: "1.11.4", serial, lineage: "00000000-0000-4000-8000-000000000000", outputs: {}, resources };
}

/** A resource as if its planned change had been applied. */
function stateResource(c: ShowJson["resource_changes"][number], schema: Schema): StateResource {
  const attributes = fill(c.change.after, c.change.after_unknown, schema.block, c.type, c.address) as Record<string, unknown>;
  // What EC2 reports for an interface whose addresses are a set: every address, the primary first.
  // The library's primary is the node's own address, below every service address (edge host
  // 64 + number), so numeric order is what EC2 would report.
  const unknown = (c.change.after_unknown ?? {}) as Record<string, unknown>;
  const ips = (c.change.after as { private_ips?: string[] }).private_ips;
  if (c.type === "aws_network_interface" && Array.isArray(ips) && ips.length && unknown.private_ip_list) {
    const ordered = [...ips].sort((a, b) => Number(a.split(".")[3]) - Number(b.split(".")[3]));
    attributes.private_ip_list = ordered;
    attributes.private_ip = ordered[0];
    attributes.private_ips_count = ordered.length - 1;
  }
  // EC2 numbers launch template versions: an update that makes a new version makes the next one
  // (and, with update_default_version, the default), so an instance pinned to the old version is
  // told apart from one that follows the latest.
  if (c.type === "aws_launch_template" && c.change.before && unknown.latest_version === true) {
    const next = Number(c.change.before.latest_version ?? 1) + 1;
    attributes.latest_version = next;
    if (unknown.default_version === true) attributes.default_version = next;
  }
  return {
    module: c.module_address,
    mode: "managed",
    type: c.type,
    name: c.name,
    provider: providerIn(c.module_address),
    instances: [{ schema_version: schema.version, attributes, sensitive_attributes: [] }],
  };
}

/** The same resource under another module address. */
function inModule(r: StateResource, module: string): StateResource {
  return { ...r, module, provider: providerIn(module, r.type) };
}

function providerIn(module: string | undefined, type = "aws"): string {
  return type === "terraform_data" ? `provider["terraform.io/builtin/terraform"]` : `${module}.provider["registry.terraform.io/hashicorp/aws"]`;
}

/**
 * A `terraform_data` (Terraform's built-in provider, not in the AWS schema) as applied: its
 * output is its input. Dynamic values are stored with their type.
 */
function terraformDataState(c: ShowJson["resource_changes"][number]): StateResource {
  const after = c.change.after as { input?: Record<string, unknown>; triggers_replace?: Record<string, unknown> };
  const unknown = (c.change.after_unknown ?? {}) as { triggers_replace?: Record<string, unknown> | boolean };
  const strings = (value: Record<string, unknown> | undefined, unknownOf?: Record<string, unknown> | boolean) => {
    if (!value && unknownOf !== true && typeof unknownOf !== "object") return null;
    const known = value ?? {};
    const keys = [...new Set([...Object.keys(known), ...(typeof unknownOf === "object" ? Object.keys(unknownOf) : [])])];
    const v = Object.fromEntries(keys.map((k) => [k, typeof unknownOf === "object" && unknownOf[k] === true ? `stand-in-${k}` : String(known[k])]));
    return { value: v, type: ["object", Object.fromEntries(keys.map((k) => [k, "string"]))] };
  };
  // The run that created it: never the run of a later plan.
  const input = { value: { run: "2000-01-01T00:00:00Z" }, type: ["object", { run: "string" }] };
  return {
    module: c.module_address,
    mode: "managed",
    type: c.type,
    name: c.name,
    provider: providerIn(c.module_address, c.type),
    instances: [{ schema_version: 0, attributes: { id: `tfdata-${c.name}`, input, output: input, triggers_replace: strings(after.triggers_replace, unknown.triggers_replace) }, sensitive_attributes: [] }],
  };
}

/** Known values as planned; unknown ones replaced by stand-ins of the schema's type. */
function fill(known: unknown, unknown: unknown, block: SchemaBlock, type: string, where: string): unknown {
  const out: Record<string, unknown> = {};
  const k = (known ?? {}) as Record<string, unknown>;
  const u = (unknown ?? {}) as Record<string, unknown>;
  for (const [name, attr] of Object.entries(block.attributes ?? {})) {
    const at = `${where}.${name}`;
    if (u[name] === true) out[name] = standIn(name, attr.type, type, at);
    else if (Array.isArray(k[name]) && Array.isArray(u[name])) {
      const elementType = Array.isArray(attr.type) ? attr.type[1] : "string";
      out[name] = (k[name] as unknown[]).map((v, i) => ((u[name] as unknown[])[i] === true ? standIn(name, elementType, type, `${at}[${i}]`) : v));
    } else out[name] = k[name] ?? null;
  }
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    const items = k[name];
    const unknownItems = u[name];
    if (nested.nesting_mode === "single" || nested.nesting_mode === "group") {
      out[name] = items == null ? null : fill(items, unknownItems, nested.block, type, `${where}.${name}`);
    } else if (Array.isArray(items)) {
      out[name] = items.map((item, i) => fill(item, Array.isArray(unknownItems) ? unknownItems[i] : undefined, nested.block, type, `${where}.${name}[${i}]`));
    } else {
      out[name] = [];
    }
  }
  return out;
}

/** AWS id prefixes the provider checks when it reads ids back (e.g. launch_template.id must start with lt-). */
const ID_PREFIXES: Record<string, string> = {
  aws_vpc: "vpc-",
  aws_subnet: "subnet-",
  aws_route_table: "rtb-",
  aws_internet_gateway: "igw-",
  aws_egress_only_internet_gateway: "eigw-",
  aws_nat_gateway: "nat-",
  aws_network_interface: "eni-",
  aws_security_group: "sg-",
  aws_instance: "i-",
  aws_launch_template: "lt-",
  aws_eip: "eipalloc-",
  aws_ec2_managed_prefix_list: "pl-",
  aws_eip_association: "eipassoc-",
};

/** ARNs in the shape the provider validates for the resource type. */
function standInArn(resourceType: string, hex: string): string {
  const account = "123456789012";
  const imageBuilder: Record<string, string> = {
    aws_imagebuilder_component: `component/x${hex}/1.0.0/1`,
    aws_imagebuilder_image_recipe: `image-recipe/x${hex}/1.0.0`,
    aws_imagebuilder_infrastructure_configuration: `infrastructure-configuration/x${hex}`,
    aws_imagebuilder_distribution_configuration: `distribution-configuration/x${hex}`,
    aws_imagebuilder_image: `image/x${hex}/1.0.0/1`,
    aws_imagebuilder_image_pipeline: `image-pipeline/x${hex}`,
  };
  if (resourceType in imageBuilder) return `arn:aws:imagebuilder:eu-north-1:${account}:${imageBuilder[resourceType]}`;
  if (resourceType === "aws_iam_role") return `arn:aws:iam::${account}:role/x${hex}`;
  if (resourceType === "aws_iam_instance_profile") return `arn:aws:iam::${account}:instance-profile/x${hex}`;
  if (resourceType.startsWith("aws_s3_bucket")) return `arn:aws:s3:::x${hex}`;
  if (resourceType === "aws_cloudwatch_metric_alarm") return `arn:aws:cloudwatch:eu-north-1:${account}:alarm:x${hex}`;
  return `arn:aws:ec2:eu-north-1:${account}:${resourceType.replace(/^aws_/, "").replace(/_/g, "-")}/x${hex}`;
}

/** A deterministic stand-in for an unknown value: the same address and attribute always get the same one. */
function standIn(name: string, attrType: unknown, resourceType: string, at: string): unknown {
  const hash = [...at].reduce((h, ch) => (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0, 7);
  const hex = hash.toString(16).padStart(8, "0");
  if (attrType === "number") return 1;
  if (attrType === "bool") return false;
  if (name === "version") return "1";
  // Unset on instances launched from a template; a stand-in would read as a change every round.
  if (resourceType === "aws_instance" && (name === "user_data" || name === "user_data_base64")) return null;
  // Computed but validated against fifo_topic by the provider's diff: a stand-in would read as "set on a standard topic".
  if (resourceType === "aws_sns_topic" && name === "fifo_throughput_scope") return null;
  if (Array.isArray(attrType)) {
    if (attrType[0] === "map") return {};
    if (attrType[0] === "object") return null;
    return [];
  }
  if (name === "ipv6_cidr_block") return "2001:db8:100::/56";
  if (name === "arn" || name.endsWith("_arn")) return standInArn(resourceType, hex);
  if (/(^|_)public_ip$/.test(name)) return `192.0.2.${hash % 250}`;
  if (/(^|_)private_ip$/.test(name)) return `10.255.${(hash >> 8) % 250}.${hash % 250}`;
  if (/ipv6_address$/.test(name)) return `2001:db8::${hex.slice(0, 4)}`;
  if (/(dns|domain_name)/.test(name)) return `h${hex}.example`;
  if (name === "id" || name === "allocation_id") return `${(name === "allocation_id" ? "eipalloc-" : ID_PREFIXES[resourceType]) ?? ""}0${hex}${hex.slice(0, 8)}`;
  return `x${hex}`;
}
