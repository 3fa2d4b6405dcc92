import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { teamsInOneApp } from "../../examples/teams/one-app";
import { searchApp } from "../../examples/teams/search-app";
import { withStandIns } from "../../examples/teams/stand-in-manifest";
import { App } from "../../lib/cdktf";
import { Ec2ReadEndpoint } from "../support/ec2-read-endpoint";
import { offlineProvider } from "../support/stacks";
import { asyncTerraform, writeCliConfig } from "../support/terraform";
import { terraformTier } from "../support/tiers";

/**
 * Issue 13: both composition models plan offline, stack by stack in deploy order, with the real
 * Terraform and AWS provider 5.100.0. The platform's stack first; a team's stack in the same app
 * then reads the platform's outputs through its `terraform_remote_state`, here a local state that
 * holds the platform's planned outputs (stand-ins where a value is known only after apply); a team
 * in its own app reads the manifest built the same way from the platform's planned output.
 */
const tier = terraformTier();

type Config = Record<string, unknown> & { data?: { terraform_remote_state?: Record<string, { backend: string; config: Record<string, unknown> }> }; output?: Record<string, { value: unknown; sensitive?: boolean }> };
interface Planned {
  readonly changes: { address: string; type: string; change: { actions: string[] } }[];
  readonly outputs: Record<string, unknown>;
}

/** Synthesizes the app `make` builds (into `outdir`) and returns each stack's configuration. */
function synthesize(make: (outdir: string) => App): Record<string, Config> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "siit-teams-tf-"));
  try {
    make(outdir).synth();
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, { synthesizedStackPath: string }> };
    return Object.fromEntries(Object.entries(manifest.stacks).map(([name, s]) => [name, JSON.parse(fs.readFileSync(path.join(outdir, s.synthesizedStackPath), "utf8")) as Config]));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Terraform's type of a JSON value, as a state file records an output's. */
function typeOf(value: unknown): unknown {
  if (typeof value === "string") return "string";
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "bool";
  if (Array.isArray(value)) return ["tuple", value.map(typeOf)];
  return ["object", Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, typeOf(v)]))];
}

tier.describe("teams: every stack of both composition models plans offline in deploy order", () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "siit-teams-plan-"));
  const ec2 = new Ec2ReadEndpoint(() => ({ instances: new Map(), templates: new Map(), running: [] }));
  let endpoint = "";
  const planned: Record<string, Planned> = {};
  let manifest: unknown;

  /** init + plan + show of one stack as its own root (its own state, as deployed). */
  const plan = async (name: string, config: Config): Promise<Planned> => {
    const dir = path.join(work, name);
    fs.mkdirSync(dir, { recursive: true });
    const copy = JSON.parse(JSON.stringify(config)) as Config & { terraform?: { backend?: unknown }; provider?: { aws?: Record<string, unknown>[] } };
    if (copy.terraform) delete copy.terraform.backend;
    for (const p of copy.provider?.aws ?? []) p.endpoints = [{ ec2: endpoint }];
    fs.writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify(copy, null, 2));
    const terraform = asyncTerraform(tier.env!, dir, writeCliConfig(dir, tier.env!.mirror), () => (ec2.refused.length ? `\nrefused EC2 requests: ${ec2.refused.join("; ")}` : ""));
    await terraform(["init", "-input=false", "-no-color"]);
    await terraform(["plan", "-input=false", "-no-color", "-lock=false", "-out=tfplan"]);
    const show = JSON.parse(await terraform(["show", "-json", "tfplan"])) as { resource_changes?: Planned["changes"]; planned_values?: { outputs?: Record<string, { value?: unknown }> } };
    const outputs = Object.fromEntries(
      Object.entries(copy.output ?? {}).map(([k, o]) => {
        // Known at plan: Terraform's value; known only after apply: what AWS would assign (stand-ins).
        const known = show.planned_values?.outputs?.[k]?.value;
        return [k, known !== undefined ? known : withStandIns(o.value)];
      }),
    );
    return { changes: show.resource_changes ?? [], outputs };
  };

  /** A local state holding `outputs`, as the platform's applied state would. */
  const stateWith = (name: string, outputs: Record<string, unknown>, sensitive: Record<string, boolean | undefined>): string => {
    const file = path.join(work, `${name}.tfstate`);
    const state = { version: 4, terraform_version: "1.11.0", serial: 1, lineage: "stand-in", outputs: Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, { value: v, type: typeOf(v), ...(sensitive[k] ? { sensitive: true } : {}) }])), resources: [] };
    fs.writeFileSync(file, JSON.stringify(state, null, 2));
    return file;
  };

  beforeAll(async () => {
    endpoint = await ec2.start();
    const stacks = synthesize((outdir) => {
      const app = new App({ outdir });
      teamsInOneApp(app, (s) => offlineProvider(s, "eu-north-1"));
      return app;
    });
    planned.platform = await plan("platform", stacks.platform);
    // Model (a): the team's remote state reads the platform's outputs from a local state.
    const team = stacks["team-payments"];
    const state = stateWith("platform", planned.platform.outputs, Object.fromEntries(Object.entries(stacks.platform.output ?? {}).map(([k, o]) => [k, o.sensitive])));
    for (const remote of Object.values(team.data?.terraform_remote_state ?? {})) {
      remote.backend = "local";
      remote.config = { path: state };
    }
    planned["team-payments"] = await plan("team-payments", team);
    // Model (b): the search team's app reads the manifest made of the platform's planned output.
    manifest = planned.platform.outputs.siit_dc_platform;
    const search = synthesize((outdir) => searchApp(manifest, (s) => offlineProvider(s, "eu-north-1"), outdir));
    planned["team-search"] = await plan("team-search", search["team-search"]);
  }, 600_000);

  afterAll(async () => {
    await ec2.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  test.each(["platform", "team-payments", "team-search"])("%s plans only creations", (name) => {
    const changes = planned[name].changes;
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.filter((c) => c.change.actions.join() !== "create").map((c) => c.address)).toEqual([]);
  });

  test("each team's stack holds its own services' EIPs, associations and fragments, the platform none of them", () => {
    const of = (name: string, type: string) => planned[name].changes.filter((c) => c.type === type).map((c) => c.address);
    expect(of("team-payments", "aws_eip_association").sort()).toEqual([expect.stringMatching(/Address-hooks_a0/), expect.stringMatching(/Address-pay_a0/), expect.stringMatching(/Address-pay_b0/)]);
    expect(of("team-search", "aws_eip_association")).toHaveLength(2);
    expect(of("platform", "aws_eip_association")).toEqual([expect.stringMatching(/Address-1_a0/), expect.stringMatching(/Address-1_b0/)]);
    expect(of("team-payments", "aws_s3_object")).toHaveLength(2);
    expect(of("team-search", "aws_s3_object")).toHaveLength(2);
  });

  test("the platform's planned manifest carries what the committed example manifest carries, ids aside", () => {
    const committed = JSON.parse(fs.readFileSync(path.join(__dirname, "../../examples/teams/platform.json"), "utf8")) as Record<string, unknown>;
    const withoutIds = (m: unknown) => JSON.parse(JSON.stringify(m, (k, v: unknown) => (/(Id|Ids|Arn|^arn|^name|ipv6Cidr|interfaceId)$/.test(k) && typeof v !== "object" ? "<id>" : k === "serverSubnetIds" ? Object.keys(v as object).sort() : v))) as unknown;
    expect(withoutIds(manifest)).toEqual(withoutIds(committed));
  });
});
