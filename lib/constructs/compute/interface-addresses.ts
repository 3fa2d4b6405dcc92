import { NetworkInterface } from "@cdktf/provider-aws/lib/network-interface";
import { Construct } from "constructs";
import { anyToHclTerraform, anyToTerraform, hashMapper, hashMapperHcl, Lazy, TerraformResource, TerraformResourceLifecycle, TerraformStack, ValidateTerraformVersion } from "../../cdktf";
import { interfaceAddressMode } from "../../plan/aws/interface-addresses";
import { once } from "../core/once";

/**
 * The problems of cdktf's Terraform >= 1.4 check, run once per process and Terraform binary: the
 * binary on the PATH does not change while an app synthesizes, and each check is a `terraform
 * version` process (50-70 ms), paid by every stack (and every synth of a test suite).
 */
const terraformDataChecks = new Map<string, string[]>();
function terraformDataSupported(): string[] {
  const key = `${process.env.TERRAFORM_BINARY_NAME ?? "terraform"}\n${process.env.PATH ?? ""}`;
  let problems = terraformDataChecks.get(key);
  if (problems === undefined) {
    problems = new ValidateTerraformVersion(">=1.4", "The built-in Terraform data resource is only supported for Terraform >=1.4. Please upgrade your Terraform version.").validate();
    terraformDataChecks.set(key, problems);
  }
  return problems;
}

/**
 * A `terraform_data` resource, synthesized exactly as cdktf's DataResource. DataResource adds its
 * Terraform >= 1.4 check to each instance, and each check runs `terraform version` in a child
 * process at synth (about 70-200 ms apiece, one per translator and NAT64 node); the marker adds
 * the same check once per stack instead, its result kept for the process, and leaves it to
 * cdktf's own Terraform >= 1.5 check of the stack when the stack moves resources.
 */
class TerraformData extends TerraformResource {
  private readonly input: Record<string, unknown>;
  private readonly triggersReplace: Record<string, unknown>;

  constructor(scope: Construct, id: string, config: { input: Record<string, unknown>; triggersReplace: Record<string, unknown>; lifecycle: TerraformResourceLifecycle }) {
    super(scope, id, { terraformResourceType: "terraform_data", terraformGeneratorMetadata: { providerName: "terraform" }, lifecycle: config.lifecycle });
    this.input = config.input;
    this.triggersReplace = config.triggersReplace;
    const stack = TerraformStack.of(this);
    once(stack, "terraform >= 1.4", () => stack.node.addValidation({ validate: () => (stack.hasResourceMove() ? [] : terraformDataSupported()) }));
  }

  protected synthesizeAttributes(): { [name: string]: unknown } {
    return { input: hashMapper(anyToTerraform)(this.input), triggers_replace: hashMapper(anyToTerraform)(this.triggersReplace) };
  }

  protected synthesizeHclAttributes(): { [name: string]: unknown } {
    return { input: hashMapperHcl(anyToHclTerraform)(this.input), triggers_replace: hashMapperHcl(anyToHclTerraform)(this.triggersReplace) };
  }
}

/**
 * Makes a set-mode interface come up with `primary` as its primary address, whatever the order of
 * the provider's set (see plan/aws/interface-addresses.ts). A marker records the Terraform run
 * that created the interface (`plantimestamp()`, kept by `ignore_changes`); only in that run, and
 * only where the set's order would pick another address, the interface is created from the
 * ordered list. The marker exists for every interface from its first run, so an existing
 * interface can never be switched back to the list, whose updates reassign every address.
 */
export function createWithPrimaryFirst(scope: Construct, networkInterface: NetworkInterface, subnetId: string, primary: string, secondaries: () => string[]): void {
  const marker = new TerraformData(scope, "CreatedInRun", {
    input: { run: "${plantimestamp()}" },
    // A new interface (new subnet or primary: the provider replaces it) is a new creating run.
    triggersReplace: { subnet: subnetId, primary },
    lifecycle: { ignoreChanges: ["input"] },
  });
  const creating = `terraform_data.${marker.friendlyUniqueId}.output.run == plantimestamp()`;
  const listAtCreate = () => interfaceAddressMode(primary, secondaries()).kind === "list-at-create";
  const addresses = () => JSON.stringify([primary, ...secondaries()]);
  networkInterface.addOverride(
    "private_ip_list_enabled",
    Lazy.anyValue({ produce: () => (listAtCreate() ? `\${${creating}}` : undefined) }),
  );
  networkInterface.addOverride("private_ip_list", Lazy.anyValue({ produce: () => (listAtCreate() ? `\${${creating} ? ${addresses()} : null}` : undefined) }));
  networkInterface.addOverride("private_ips", Lazy.anyValue({ produce: () => (listAtCreate() ? `\${${creating} ? null : ${addresses()}}` : [primary, ...secondaries()]) }));
}
