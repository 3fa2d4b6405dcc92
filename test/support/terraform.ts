import { execFile, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Ec2ReadEndpoint } from "./ec2-read-endpoint";

/**
 * Runs the real Terraform and AWS provider 5.100.0 offline against synthesized stacks.
 *
 * - Terraform: $TERRAFORM_BINARY or `terraform` on PATH.
 * - Provider: an unpacked filesystem mirror holding registry.terraform.io/hashicorp/aws/5.100.0,
 *   from $TERRAFORM_PROVIDER_MIRROR or found in the usual places. The harness writes its own CLI
 *   config (provider_installation -> that mirror) in a temp dir; nothing is downloaded.
 * - Batching: each Terraform call pays ~3 s to load the provider, so all scenarios of a test file
 *   become modules of one root configuration: one init, one validate, one plan, one show.
 */

export const AWS_PROVIDER_VERSION = "5.100.0";
const PROVIDER_PATH = path.join("registry.terraform.io", "hashicorp", "aws", AWS_PROVIDER_VERSION);
const MIRROR_CANDIDATES = [
  "/opt/tf-plugins",
  "/usr/local/share/terraform/plugins",
  "/usr/share/terraform/plugins",
  path.join(os.homedir(), ".terraform.d", "plugins"),
  path.join(os.homedir(), ".local", "share", "terraform", "plugins"),
];

export type TerraformAvailability = { ok: true; terraform: string; mirror: string } | { ok: false; reason: string };

function platform(): string {
  const arch = ({ x64: "amd64", arm64: "arm64" } as Record<string, string>)[process.arch] ?? process.arch;
  return `${process.platform}_${arch}`;
}

function mirrorHasProvider(dir: string): boolean {
  const platformDir = path.join(dir, PROVIDER_PATH, platform());
  return fs.existsSync(platformDir) && fs.readdirSync(platformDir).some((f) => f.startsWith("terraform-provider-aws"));
}

/** Finds terraform and the provider mirror, or says why not. */
export function terraformAvailability(): TerraformAvailability {
  const terraform = process.env.TERRAFORM_BINARY ?? "terraform";
  const version = spawnSync(terraform, ["version", "-json"], { encoding: "utf8", env: terraformEnv(undefined) });
  if (version.error || version.status !== 0) {
    return { ok: false, reason: `cannot run ${terraform} (${version.error?.message ?? version.stderr.trim()}); set TERRAFORM_BINARY or put terraform on PATH` };
  }
  const configured = process.env.TERRAFORM_PROVIDER_MIRROR;
  if (configured) {
    if (!mirrorHasProvider(configured)) {
      return { ok: false, reason: `TERRAFORM_PROVIDER_MIRROR=${configured} holds no ${PROVIDER_PATH}/${platform()}/terraform-provider-aws*` };
    }
    return { ok: true, terraform, mirror: configured };
  }
  const found = MIRROR_CANDIDATES.find(mirrorHasProvider);
  if (!found) {
    return {
      ok: false,
      reason: `no filesystem mirror with ${PROVIDER_PATH}/${platform()} in ${MIRROR_CANDIDATES.join(", ")}; set TERRAFORM_PROVIDER_MIRROR`,
    };
  }
  return { ok: true, terraform, mirror: found };
}

export function terraformEnv(cliConfig: string | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TF_IN_AUTOMATION: "1", TF_INPUT: "0", CHECKPOINT_DISABLE: "1" };
  delete env.TF_CLI_CONFIG_FILE;
  delete env.TF_PLUGIN_CACHE_DIR;
  if (cliConfig) env.TF_CLI_CONFIG_FILE = cliConfig;
  return env;
}

/** A synthesized stack (cdk.tf.json content) to validate and plan. */
export interface TerraformScenario {
  /** Module name: letters, digits, underscores and hyphens. */
  readonly name: string;
  readonly config: Record<string, unknown>;
}

export interface PlannedResource {
  /** Address inside its scenario's module (as in the configuration section). */
  readonly address: string;
  readonly module: string;
  readonly type: string;
  readonly name: string;
  readonly values: Record<string, unknown>;
}

/** A resource of the plan's configuration section: what each argument references. */
export interface ConfiguredResource {
  readonly address: string;
  readonly type: string;
  readonly expressions: Record<string, unknown>;
}

export interface PlanResult {
  /** `terraform validate -json` output. */
  readonly validate: { valid: boolean; error_count: number; warning_count: number; diagnostics: unknown[] };
  /** `terraform show -json` of the saved plan. */
  readonly plan: {
    resource_changes: { address: string; module_address?: string; type: string; name: string; change: { actions: string[]; after: Record<string, unknown>; after_unknown: Record<string, unknown> } }[];
    configuration: { root_module: { module_calls: Record<string, { module: { resources: ConfiguredResource[] } }> } };
  };
  /** Planned resources of one scenario, by type. */
  resources(scenario: string, type?: string): PlannedResource[];
  /** Configured resources of one scenario, with the references of each argument. */
  configured(scenario: string, type?: string): ConfiguredResource[];
  /** Seconds spent in each Terraform call. */
  readonly timings: Record<string, number>;
}

export class TerraformError extends Error {
  /** Terraform's standard output, when it ran and failed. */
  stdout?: string;
}

/**
 * Validates and plans all scenarios in one root configuration. Throws TerraformError with
 * Terraform's own diagnostics when a step fails. Leaves no temporary directory behind.
 *
 * The plan is a first deployment: each provider's EC2 endpoint is a loopback that answers the
 * translators' staged-rollout reads (DescribeInstances) with no instances, as EC2 would before
 * anything exists, and refuses every other request (a refused request fails the plan, naming it).
 */
export async function validateAndPlan(env: Extract<TerraformAvailability, { ok: true }>, scenarios: TerraformScenario[]): Promise<PlanResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "siit-tf-"));
  const ec2 = new Ec2ReadEndpoint(() => ({ instances: new Map(), templates: new Map(), running: [] }));
  const endpoint = await ec2.start();
  try {
    const cliConfig = writeCliConfig(dir, env.mirror);
    const root = path.join(dir, "root");
    fs.mkdirSync(root);
    for (const s of scenarios) {
      if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(s.name)) throw new Error(`bad scenario name ${s.name}`);
      fs.mkdirSync(path.join(root, s.name));
      const config = asModule(s.config) as { provider?: { aws?: Record<string, unknown>[] } };
      for (const p of config.provider?.aws ?? []) p.endpoints = [{ ec2: endpoint }];
      fs.writeFileSync(path.join(root, s.name, "main.tf.json"), JSON.stringify(config, null, 2));
    }
    fs.writeFileSync(path.join(root, "main.tf.json"), JSON.stringify(rootModule(scenarios.map((s) => s.name)), null, 2));

    const timings: Record<string, number> = {};
    const terraform = asyncTerraform(env, root, cliConfig, () => (ec2.refused.length ? `\nrefused EC2 requests: ${ec2.refused.join("; ")}` : ""));
    const run = async (step: string, args: string[]): Promise<string> => {
      const started = Date.now();
      try {
        return await terraform(args);
      } catch (e) {
        // validate reports its diagnostics as JSON with a non-zero exit status.
        if (step === "validate" && e instanceof TerraformError && e.stdout) return e.stdout;
        throw e;
      } finally {
        timings[step] = (Date.now() - started) / 1000;
      }
    };

    await run("init", ["init", "-input=false", "-no-color", "-backend=false"]);
    const validate = JSON.parse(await run("validate", ["validate", "-json", "-no-color"])) as PlanResult["validate"];
    if (!validate.valid) {
      throw new TerraformError(`terraform validate found ${validate.error_count} error(s):\n${JSON.stringify(validate.diagnostics, null, 2)}`);
    }
    await run("plan", ["plan", "-refresh=false", "-input=false", "-no-color", "-lock=false", "-out=tfplan"]);
    const plan = JSON.parse(await run("show", ["show", "-json", "tfplan"])) as PlanResult["plan"];
    return {
      validate,
      plan,
      timings,
      resources(scenario, type) {
        return plan.resource_changes
          .filter((c) => c.module_address === `module.${scenario}` && (type === undefined || c.type === type))
          .map((c) => ({ address: c.address.replace(/^module\.[^.]+\./, ""), module: scenario, type: c.type, name: c.name, values: c.change.after ?? {} }));
      },
      configured(scenario, type) {
        const resources = plan.configuration.root_module.module_calls[scenario]?.module.resources ?? [];
        return resources.filter((r) => type === undefined || r.type === type);
      },
    };
  } finally {
    await ec2.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs terraform in `cwd` asynchronously (so a loopback endpoint in this process can answer
 * while it runs); a failure carries stderr and whatever `context()` adds (e.g. refused requests).
 */
export function asyncTerraform(env: Extract<TerraformAvailability, { ok: true }>, cwd: string, cliConfig: string, context: () => string = () => ""): (args: string[]) => Promise<string> {
  const processEnv = terraformEnv(cliConfig);
  return (args) =>
    new Promise((resolve, reject) =>
      execFile(env.terraform, args, { cwd, encoding: "utf8", env: processEnv, maxBuffer: 1 << 30 }, (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const failure = new TerraformError(`terraform ${args.join(" ")} failed:\n${stderr.slice(0, 1_000_000)}\n${stdout.slice(0, 100_000)}${context()}`);
        failure.stdout = stdout;
        reject(failure);
      }),
    );
}

/** Writes the CLI config that installs the AWS provider from the mirror only; returns its path. */
export function writeCliConfig(dir: string, mirror: string): string {
  const file = path.join(dir, "terraform.tfrc");
  fs.writeFileSync(
    file,
    [
      "provider_installation {",
      `  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }`,
      '  direct {\n    exclude = ["registry.terraform.io/hashicorp/aws"]\n  }',
      "}",
      "",
    ].join("\n"),
  );
  return file;
}

/** The root module that calls one child module per scenario. */
export function rootModule(names: string[]): Record<string, unknown> {
  return {
    terraform: { required_providers: { aws: { source: "hashicorp/aws", version: AWS_PROVIDER_VERSION } } },
    module: Object.fromEntries(names.map((n) => [n, { source: `./${n}` }])),
  };
}

/** A cdktf stack as a child module: the harness, not the stack, owns state and backends. */
export function asModule(config: Record<string, unknown>): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(config)) as Record<string, unknown> & { terraform?: Record<string, unknown> };
  if (copy.terraform) delete copy.terraform.backend;
  return copy;
}
