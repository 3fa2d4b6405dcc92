/**
 * The Terraform the library's stacks need, stated in their `terraform.required_version`, which
 * `terraform init` enforces on the machine that plans (cdktf instead checks at synth, on the
 * machine that synthesizes, by running `terraform version`). The newest feature used:
 * `plantimestamp()`, in Terraform 1.5.0; `terraform_data` came in 1.4.0, `moved` blocks in 1.1.0.
 * A stack that sets `terraform.required_version` itself (`stack.addOverride`) replaces this and
 * then owns the constraint.
 */
export const REQUIRED_TERRAFORM_VERSION = ">= 1.5.0";

/** A stack fragment with the requirement beside it (cdktf merges it like a provider's block). */
export function withRequiredTerraform(fragment: Record<string, unknown>): Record<string, unknown> {
  return { ...fragment, terraform: { required_version: REQUIRED_TERRAFORM_VERSION } };
}
