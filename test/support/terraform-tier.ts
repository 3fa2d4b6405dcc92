import { terraformAvailability, TerraformAvailability } from "./terraform";

/**
 * Gate for the Terraform tier. Without terraform or the provider mirror the tier says so loudly
 * and skips; under CI=true the same condition is a failure, so CI can never pass it silently.
 */
export function terraformTier(): { env: Extract<TerraformAvailability, { ok: true }> | undefined; describe: jest.Describe } {
  const env = terraformAvailability();
  if (env.ok) return { env, describe };
  const message = `TERRAFORM TIER SKIPPED: ${env.reason}`;
  if (process.env.CI === "true") {
    test("terraform and the AWS provider mirror are available (required under CI=true)", () => {
      throw new Error(message);
    });
  } else {
    console.warn(`\n${"!".repeat(80)}\n${message}\n${"!".repeat(80)}\n`);
  }
  return { env: undefined, describe: describe.skip };
}
