import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import * as os from "os";
import * as path from "path";
import { Construct } from "constructs";
import { App, TerraformStack, Testing } from "../../lib/cdktf";
import { decodeUserData } from "../../lib/plan/boot/user-data";

/**
 * The test harness creates the provider, never the library: fake keys and the four skip_* flags
 * let `terraform validate` and `terraform plan -refresh=false` run with no AWS account.
 */
export function offlineProvider(scope: Construct, region: string): AwsProvider {
  return new AwsProvider(scope, "aws", {
    region,
    accessKey: "AKIAIOSFODNN7EXAMPLE",
    secretKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    skipCredentialsValidation: true,
    skipRequestingAccountId: true,
    skipMetadataApiCheck: "true",
    skipRegionValidation: true,
  });
}

/** A fresh stack with an offline provider, for construct tests. */
export function testStack(region = "eu-north-1"): TerraformStack {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  offlineProvider(stack, region);
  return stack;
}

/** Builds a stack with `build` and returns the synthesized Terraform JSON, validations run. */
export function synthJson(build: (stack: TerraformStack) => void, region = "eu-north-1"): SynthesizedStack {
  const stack = testStack(region);
  build(stack);
  return JSON.parse(Testing.synth(stack, true)) as SynthesizedStack;
}

/** Full synthesized form with cdktf metadata, as `app.synth()` writes it (for Terraform runs). */
export function synthForTerraform(build: (scope: Construct) => void, region: string): Record<string, unknown> {
  // An App makes its output directory when built: keep it out of the checkout (cdktf.out is the
  // main job's, and `siit-dc synth` refuses a directory that is not a whole cdktf output).
  const app = new App({ outdir: path.join(os.tmpdir(), `siit-dc-test-${process.pid}.out`), skipValidation: false });
  const stack = new TerraformStack(app, "scenario");
  offlineProvider(stack, region);
  build(stack);
  stack.runAllValidations();
  return stack.toTerraform() as Record<string, unknown>;
}

export interface SynthesizedStack {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  [key: string]: unknown;
}

/** Resources of one type, keyed by Terraform name. */
export function resourcesOf(synth: SynthesizedStack, type: string): Record<string, Record<string, unknown>> {
  return synth.resource[type] ?? {};
}

/**
 * The resource at construct path `path` (relative to the stack, e.g. `Net/edge-eu-north-1a/Subnet`).
 * cdktf names resources by their path joined with `_` plus an 8-character hash.
 */
export function resourceAt(synth: SynthesizedStack, type: string, path: string): Record<string, unknown> {
  const pattern = new RegExp(`^${path.replace(/\//g, "_").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}_[0-9A-F]{8}$`);
  const found = Object.entries(resourcesOf(synth, type)).filter(([name]) => pattern.test(name));
  if (found.length !== 1) throw new Error(`expected one ${type} at ${path}, found ${found.map(([n]) => n).join(", ") || "none"}`);
  return found[0][1];
}

/**
 * The synthesized stack for snapshots: launch template user data decoded from base64, so a
 * snapshot diff shows the changed lines instead of an opaque blob.
 */
export function forSnapshot(synth: SynthesizedStack): SynthesizedStack {
  const copy = JSON.parse(JSON.stringify(synth)) as SynthesizedStack;
  for (const lt of Object.values(copy.resource.aws_launch_template ?? {})) {
    if (typeof lt.user_data === "string") lt.user_data = `(encoded)\n${decodeUserData(lt.user_data)}`;
  }
  return copy;
}
