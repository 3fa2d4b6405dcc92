import { NetworkInterface } from "@cdktf/provider-aws/lib/network-interface";
import { Construct } from "constructs";
import { anyToHclTerraform, anyToTerraform, hashMapper, hashMapperHcl, Lazy, TerraformResource, TerraformResourceLifecycle } from "../../cdktf";
import { interfaceAddressMode } from "../../plan/aws/interface-addresses";
import { withRequiredTerraform } from "../core/required-terraform";

/**
 * A `terraform_data` resource, synthesized as cdktf's DataResource is, except for the version
 * check. DataResource checks for Terraform >= 1.4 by running `terraform version` at synth
 * (50-200 ms a process), which checks the machine that synthesizes, not the one that plans, and
 * fails synth where no Terraform is installed. The marker states the stack's requirement
 * instead (core/required-terraform.ts).
 */
class TerraformData extends TerraformResource {
  private readonly input: Record<string, unknown>;
  private readonly triggersReplace: Record<string, unknown>;

  constructor(scope: Construct, id: string, config: { input: Record<string, unknown>; triggersReplace: Record<string, unknown>; lifecycle: TerraformResourceLifecycle }) {
    super(scope, id, { terraformResourceType: "terraform_data", terraformGeneratorMetadata: { providerName: "terraform" }, lifecycle: config.lifecycle });
    this.input = config.input;
    this.triggersReplace = config.triggersReplace;
  }

  protected synthesizeAttributes(): { [name: string]: unknown } {
    return { input: hashMapper(anyToTerraform)(this.input), triggers_replace: hashMapper(anyToTerraform)(this.triggersReplace) };
  }

  protected synthesizeHclAttributes(): { [name: string]: unknown } {
    return { input: hashMapperHcl(anyToHclTerraform)(this.input), triggers_replace: hashMapperHcl(anyToHclTerraform)(this.triggersReplace) };
  }

  /** The resource, with the stack's Terraform requirement. */
  public toTerraform(): Record<string, unknown> {
    return withRequiredTerraform(super.toTerraform() as Record<string, unknown>);
  }

  /** As `toTerraform`, for HCL output. */
  public toHclTerraform(): Record<string, unknown> {
    return withRequiredTerraform(super.toHclTerraform() as Record<string, unknown>);
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
