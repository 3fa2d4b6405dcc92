import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Ec2ReadEndpoint, LaunchTemplateFacts } from "./ec2-read-endpoint";
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
  const ec2 = new Ec2ReadEndpoint(() => launchTemplateFacts([...state.values()]));
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
        fs.writeFileSync(path.join(root, name, "main.tf.json"), JSON.stringify(forPlanning(config, endpoint)));
      }
      fs.writeFileSync(path.join(root, "main.tf.json"), JSON.stringify(rootModule(modules.map(([name]) => name))));
      await run(["init", "-input=false", "-no-color", "-backend=false"]);
    };
    const plan = async (serial: number): Promise<ShowJson> => {
      fs.writeFileSync(path.join(root, "terraform.tfstate"), JSON.stringify(stateFile([...state.values()], serial)));
      await run(["plan", "-refresh=false", "-input=false", "-no-color", "-lock=false", "-out=changes.tfplan"]);
      return JSON.parse(await run(["show", "-json", "changes.tfplan"])) as ShowJson;
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
    for (const c of after.resource_changes) {
      const module = c.module_address?.replace(/^module\./, "");
      if (!module || !(module in byModule)) continue;
      byModule[module].push({ address: c.address.replace(/^module\.[^.]+\./, ""), type: c.type, action: actionOf(c.change.actions), replacePaths: c.change.replace_paths ?? [] });
    }
    return byModule;
  } finally {
    await ec2.stop();
    fs.rmSync(dir, { recursive: true, force: true });
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
function launchTemplateFacts(resources: StateResource[]): LaunchTemplateFacts {
  const facts: LaunchTemplateFacts = { instances: new Map(), templates: new Map() };
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
