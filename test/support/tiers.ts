import { spawnSync } from "child_process";
import { terraformAvailability, TerraformAvailability } from "./terraform";

/**
 * Gates for test tiers that need outside tools. Without the tool a tier says so loudly and skips;
 * under CI=true the same condition is a failing test, so CI can never pass a tier silently.
 */
export function gate(tier: string, missing: string | undefined): jest.Describe {
  if (missing === undefined) return describe;
  const message = `${tier.toUpperCase()} TIER SKIPPED: ${missing}`;
  if (process.env.CI === "true") {
    test(`${tier}: required tools are available (CI=true)`, () => {
      throw new Error(message);
    });
  } else {
    console.warn(`\n${"!".repeat(80)}\n${message}\n${"!".repeat(80)}\n`);
  }
  return describe.skip;
}

/** The Terraform tier: terraform plus the AWS provider mirror. */
export function terraformTier(): { env: Extract<TerraformAvailability, { ok: true }> | undefined; describe: jest.Describe } {
  const env = terraformAvailability();
  return env.ok ? { env, describe } : { env: undefined, describe: gate("terraform", env.reason) };
}

/** Commands that must be on PATH, e.g. `cloud-init`, `shellcheck`. */
export function commandsTier(tier: string, commands: string[], installHint: string): jest.Describe {
  const missing = commands.filter((c) => spawnSync("sh", ["-c", `command -v ${c}`]).status !== 0);
  return gate(tier, missing.length ? `${missing.join(", ")} not found; ${installHint}` : undefined);
}
