import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AddressEvent, Ec2Call, FakeEc2 } from "./fake-ec2";
import { asyncTerraform, rootModule, TerraformAvailability, writeCliConfig } from "./terraform";

/**
 * A real `terraform apply` of the address-carrying part of synthesized stacks (network
 * interfaces, EIPs, EIP associations), against the stateful loopback EC2 API in ./fake-ec2.
 * Those resources keep exactly the attributes the library synthesizes; what they reference
 * outside that part (subnets, security groups, the VPC) is inlined: a configured expression is
 * followed to where it comes from (a subnet's `cidrsubnet(...)` of the VPC prefix), a value known
 * only after apply gets a stand-in (ids; the Amazon-provided /56 becomes 2001:db8:100::/56).
 *
 * Every scenario is a child module of one root: one init, one apply of every "before", one apply
 * of every "after", then one refreshing plan that must show no change.
 */

// terraform_data: the marker that decides how a new interface's addresses are created.
const KEPT_TYPES = ["aws_network_interface", "aws_eip", "aws_eip_association", "terraform_data"];
const VPC_STAND_IN = "2001:db8:100::/56";

export interface ApplyScenario {
  /** Module name. */
  readonly name: string;
  readonly before: Record<string, unknown>;
  readonly after: Record<string, unknown>;
}

/** One resource as the state holds it after an apply. */
export interface AppliedResource {
  readonly address: string;
  readonly type: string;
  readonly values: Record<string, unknown>;
}

export interface ApplyPhase {
  /** Calls of this phase, in order. */
  readonly calls: Ec2Call[];
  /** What happened to addresses in this phase, including implicit disassociations. */
  readonly events: AddressEvent[];
  /** Resources of each scenario after this phase, by address within its module. */
  readonly resources: Record<string, Map<string, AppliedResource>>;
}

export interface ApplyResult {
  readonly before: ApplyPhase;
  readonly after: ApplyPhase;
  /** Addresses (per scenario) a refreshing plan after the second apply still wants to change. */
  readonly drift: Record<string, string[]>;
  /** The fake EC2 API at the end: what AWS would hold. */
  readonly ec2: FakeEc2;
}

export async function applyChanges(env: Extract<TerraformAvailability, { ok: true }>, scenarios: ApplyScenario[]): Promise<ApplyResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "siit-tf-apply-"));
  const ec2 = new FakeEc2();
  const endpoint = await ec2.start();
  try {
    const root = path.join(dir, "root");
    const run = asyncTerraform(env, root, writeCliConfig(dir, env.mirror), () => (ec2.refused.length ? `\nrequests the fake EC2 API refused: ${ec2.refused.join("; ")}` : ""));
    const write = (pick: (s: ApplyScenario) => Record<string, unknown>) => {
      for (const s of scenarios) {
        fs.mkdirSync(path.join(root, s.name), { recursive: true });
        fs.writeFileSync(path.join(root, s.name, "main.tf.json"), JSON.stringify(addressCarryingPart(pick(s))));
      }
      // One provider, configured in the root and inherited by every scenario module: a provider
      // block per module would start one provider process (~600 MB, ~3 s) per scenario.
      fs.writeFileSync(path.join(root, "main.tf.json"), JSON.stringify({ ...rootModule(scenarios.map((s) => s.name)), provider: offlineProvider(endpoint) }));
    };
    const phase = async (pick: (s: ApplyScenario) => Record<string, unknown>): Promise<ApplyPhase> => {
      const [calls, events] = [ec2.calls.length, ec2.events.length];
      write(pick);
      await run(["apply", "-auto-approve", "-input=false", "-no-color", "-lock=false"]);
      const state = JSON.parse(await run(["show", "-json"])) as ShowState;
      return { calls: ec2.calls.slice(calls), events: ec2.events.slice(events), resources: byScenario(state, scenarios) };
    };

    fs.mkdirSync(root, { recursive: true });
    write((s) => s.before);
    await run(["init", "-input=false", "-no-color", "-backend=false"]);
    const before = await phase((s) => s.before);
    const after = await phase((s) => s.after);
    await run(["plan", "-input=false", "-no-color", "-lock=false", "-out=drift.tfplan"]);
    const plan = JSON.parse(await run(["show", "-json", "drift.tfplan"])) as { resource_changes?: { address: string; module_address?: string; change: { actions: string[] } }[] };
    const drift: Record<string, string[]> = Object.fromEntries(scenarios.map((s) => [s.name, []]));
    for (const c of plan.resource_changes ?? []) {
      const module = c.module_address?.replace(/^module\./, "");
      if (module && c.change.actions.join() !== "no-op") drift[module].push(`${c.address.replace(/^module\.[^.]+\./, "")} ${c.change.actions.join("+")}`);
    }
    return { before, after, drift, ec2 };
  } finally {
    await ec2.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

interface ShowState {
  values?: { root_module: { child_modules?: { address: string; resources?: { address: string; type: string; values: Record<string, unknown> }[] }[] } };
}

function byScenario(state: ShowState, scenarios: ApplyScenario[]): Record<string, Map<string, AppliedResource>> {
  const out: Record<string, Map<string, AppliedResource>> = Object.fromEntries(scenarios.map((s) => [s.name, new Map()]));
  for (const m of state.values?.root_module.child_modules ?? []) {
    const name = m.address.replace(/^module\./, "");
    for (const r of m.resources ?? []) {
      const address = r.address.replace(/^module\.[^.]+\./, "");
      out[name]?.set(address, { address, type: r.type, values: r.values });
    }
  }
  return out;
}

type Resources = Record<string, Record<string, Record<string, unknown>>>;

/** The AWS provider with fake keys, sending EC2 calls to `endpoint`. */
function offlineProvider(endpoint: string): Record<string, unknown> {
  return {
    aws: [
      {
        region: "eu-north-1",
        access_key: "AKIAIOSFODNN7EXAMPLE",
        secret_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        skip_credentials_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: "true",
        skip_region_validation: true,
        endpoints: [{ ec2: endpoint }],
      },
    ],
  };
}

/** What of a stack's cross-stack wiring the applied part keeps (a root of its own, see `ApplyRoots`). */
export interface CarvingOptions {
  /**
   * Outputs of the stack to keep, by name, their values inlined like the resources' (an
   * interface's id stays a reference: the id the fake assigned; a subnet's becomes its stand-in).
   */
  readonly outputs?: string[];
  /**
   * `terraform_remote_state` data sources to keep, by name, each rewritten to `backend = "local"`
   * reading the given state file (the producing root's, applied before).
   */
  readonly remoteState?: Record<string, string>;
}

/** The address-carrying resources of a synthesized stack as a module of their own, references to the rest inlined. */
export function addressCarryingPart(config: Record<string, unknown>, options: CarvingOptions = {}): Record<string, unknown> {
  const all = (config.resource ?? {}) as Resources;
  const kept: Resources = {};
  for (const type of KEPT_TYPES) if (all[type]) kept[type] = JSON.parse(JSON.stringify(all[type])) as Resources[string];
  const isKept = (type: string, name: string) => KEPT_TYPES.includes(type) && name in (all[type] ?? {});

  const inline = (expr: string, depth: number): string =>
    expr.replace(/\b(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)(\[\d+\])?/g, (whole, type: string, name: string, attr: string, index?: string) => {
      if (isKept(type, name)) return whole;
      const configured = all[type]?.[name]?.[attr];
      if (depth > 8) throw new Error(`references nest too deep at ${whole}`);
      if (typeof configured === "string" && !index) return `(${asExpression(configured, depth + 1)})`;
      if (Array.isArray(configured) && index) return `(${asExpression(String(configured[Number(index.slice(1, -1))]), depth + 1)})`;
      return JSON.stringify(standIn(type, name, attr, whole));
    });
  const asExpression = (value: string, depth: number): string => {
    const m = /^\$\{([\s\S]*)\}$/.exec(value);
    return m ? inline(m[1], depth) : JSON.stringify(value);
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return v.replace(/\$\{([^}]*(?:\{[^}]*\}[^}]*)*)\}/g, (_, inner: string) => `\${${inline(inner, 0)}}`);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  for (const byName of Object.values(kept)) {
    for (const [name, r] of Object.entries(byName)) {
      const resource = walk(r) as Record<string, unknown>;
      // Ordering on resources outside this part has nothing to wait for here.
      if (Array.isArray(resource.depends_on)) {
        resource.depends_on = (resource.depends_on as string[]).filter((d) => {
          const [t, n] = d.split(".");
          return isKept(t, n);
        });
        if (!(resource.depends_on as string[]).length) delete resource.depends_on;
      }
      delete (resource as { provider?: unknown }).provider;
      byName[name] = resource;
    }
  }
  const part: Record<string, unknown> = { resource: kept };
  const outputs = (config.output ?? {}) as Record<string, Record<string, unknown>>;
  if (options.outputs?.length) {
    part.output = Object.fromEntries(
      options.outputs.map((name) => {
        if (!outputs[name]) throw new Error(`the stack has no output ${name}`);
        const { value, sensitive } = outputs[name];
        return [name, { value: walk(value), ...(sensitive === undefined ? {} : { sensitive }) }];
      }),
    );
  }
  const used = remoteStateReads(part);
  if (used.length) {
    const states: Record<string, unknown> = {};
    for (const { state } of used) {
      const file = options.remoteState?.[state];
      if (!file) throw new Error(`the applied part reads data.terraform_remote_state.${state}, which has no state file`);
      states[state] = { backend: "local", config: { path: file } };
    }
    part.data = { terraform_remote_state: states };
  }
  return part;
}

/** The outputs of other roots a (carved) configuration reads through `terraform_remote_state`. */
export function remoteStateReads(config: Record<string, unknown>): { state: string; output: string }[] {
  const found = new Map<string, { state: string; output: string }>();
  for (const m of JSON.stringify(config.resource ?? {}).matchAll(/data\.terraform_remote_state\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g)) found.set(`${m[1]}/${m[2]}`, { state: m[1], output: m[2] });
  return [...found.values()];
}

/** A value AWS would assign at apply, for a resource outside the applied part. */
function standIn(type: string, name: string, attr: string, reference: string): string {
  if (attr === "id") return `${type.replace(/^aws_/, "").replace(/_/g, "-")}-${hash(name)}`;
  if (type === "aws_vpc" && attr === "ipv6_cidr_block") return VPC_STAND_IN;
  throw new Error(`the applied part refers to ${reference}, which has no stand-in`);
}

function hash(s: string): string {
  let h = 2166136261;
  for (const c of s) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h.toString(16).padStart(8, "0");
}

interface LocalState {
  resources: { mode: string; type: string; name: string; instances: { index_key?: unknown; attributes: Record<string, unknown> }[] }[];
  outputs?: Record<string, { value: unknown }>;
}

/** One apply of one root. */
export interface RootPhase {
  /** Calls of this apply, in order. */
  readonly calls: Ec2Call[];
  /** What happened to addresses in this apply, including implicit disassociations. */
  readonly events: AddressEvent[];
  /** The root's resources after the apply, by address. */
  readonly resources: Map<string, AppliedResource>;
  /** The root's outputs after the apply. */
  readonly outputs: Record<string, unknown>;
  /** Every EIP the fake holds after the apply (any root's), by allocation id, with what it is bound to. */
  readonly live: Map<string, { publicIp: string; association?: { eni: string; ip: string } }>;
}

/**
 * Separate Terraform roots (each its own directory and local state) applied in turn against one
 * fake EC2 API: a platform and a team deployed as they are in production, the platform first,
 * then the team, whose `terraform_remote_state` reads the platform root's state file (see
 * `CarvingOptions.remoteState` and `statePath`). The provider is the same offline one as
 * `applyChanges`, configured in each root.
 */
export class ApplyRoots {
  readonly ec2 = new FakeEc2();
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "siit-tf-roots-"));
  private endpoint = "";
  private readonly initialised = new Set<string>();

  private constructor(private readonly env: Extract<TerraformAvailability, { ok: true }>) {}

  static async start(env: Extract<TerraformAvailability, { ok: true }>): Promise<ApplyRoots> {
    const roots = new ApplyRoots(env);
    roots.endpoint = await roots.ec2.start();
    return roots;
  }

  /** The state file of a root (for another root's `terraform_remote_state`). */
  statePath(name: string): string {
    return path.join(this.dir, name, "terraform.tfstate");
  }

  /** Writes `part` (from `addressCarryingPart`) as the root's whole configuration and applies it. */
  async apply(name: string, part: Record<string, unknown>): Promise<RootPhase> {
    const run = await this.root(name, part);
    const [calls, events] = [this.ec2.calls.length, this.ec2.events.length];
    await run(["apply", "-auto-approve", "-input=false", "-no-color", "-lock=false"]);
    // The state file itself (format 4), not `terraform show -json`: that would start the provider
    // once more per apply for the same values.
    const state = JSON.parse(fs.readFileSync(this.statePath(name), "utf8")) as LocalState;
    const resources = new Map(
      state.resources
        .filter((r) => r.mode === "managed")
        .map((r) => {
          if (r.instances.length !== 1 || r.instances[0].index_key !== undefined) throw new Error(`${r.type}.${r.name}: the roots here have no count or for_each`);
          const address = `${r.type}.${r.name}`;
          return [address, { address, type: r.type, values: r.instances[0].attributes }];
        }),
    );
    const outputs = Object.fromEntries(Object.entries(state.outputs ?? {}).map(([k, v]) => [k, v.value]));
    const live = new Map([...this.ec2.addresses.values()].map((a) => [a.allocationId, { publicIp: a.publicIp, ...(a.association ? { association: { eni: a.association.eni, ip: a.association.ip } } : {}) }]));
    return { calls: this.ec2.calls.slice(calls), events: this.ec2.events.slice(events), resources, outputs, live };
  }

  /**
   * What a refreshing plan of the root's current configuration wants to change (`address
   * action`, outputs as `output.<name> action`). Plans of different roots may run at once.
   */
  async drift(name: string): Promise<string[]> {
    const run = await this.root(name);
    const file = path.join(this.dir, name, "drift.tfplan");
    fs.rmSync(file, { force: true });
    try {
      // Exit status 0: no change, and no `show` (another provider start) is needed.
      await run(["plan", "-input=false", "-no-color", "-lock=false", "-detailed-exitcode", "-out=drift.tfplan"]);
      return [];
    } catch (e) {
      // Status 2 (changes) writes the plan; an error writes none.
      if (!fs.existsSync(file)) throw e;
    }
    const plan = JSON.parse(await run(["show", "-json", "drift.tfplan"])) as { resource_changes?: { address: string; change: { actions: string[] } }[]; output_changes?: Record<string, { actions: string[] }> };
    const changes = (plan.resource_changes ?? []).filter((c) => c.change.actions.join() !== "no-op").map((c) => `${c.address} ${c.change.actions.join("+")}`);
    for (const [output, c] of Object.entries(plan.output_changes ?? {})) if (c.actions.join() !== "no-op") changes.push(`output.${output} ${c.actions.join("+")}`);
    return changes;
  }

  async stop(): Promise<void> {
    await this.ec2.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private async root(name: string, part?: Record<string, unknown>): Promise<(args: string[]) => Promise<string>> {
    const root = path.join(this.dir, name);
    fs.mkdirSync(root, { recursive: true });
    const run = asyncTerraform(this.env, root, writeCliConfig(this.dir, this.env.mirror), () => (this.ec2.refused.length ? `\nrequests the fake EC2 API refused: ${this.ec2.refused.join("; ")}` : ""));
    if (part) {
      const { terraform } = rootModule([]) as { terraform: unknown };
      fs.writeFileSync(path.join(root, "main.tf.json"), JSON.stringify({ ...part, terraform, provider: offlineProvider(this.endpoint) }));
    }
    if (!this.initialised.has(name)) {
      await run(["init", "-input=false", "-no-color", "-backend=false"]);
      this.initialised.add(name);
    }
    return run;
  }
}
