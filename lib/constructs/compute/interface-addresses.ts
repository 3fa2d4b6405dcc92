import { NetworkInterface } from "@cdktf/provider-aws/lib/network-interface";
import { Construct } from "constructs";
import { DataResource, Lazy } from "../../cdktf";
import { interfaceAddressMode } from "../../plan/aws/interface-addresses";

/**
 * Makes a set-mode interface come up with `primary` as its primary address, whatever the order of
 * the provider's set (see plan/aws/interface-addresses.ts). A marker records the Terraform run
 * that created the interface (`plantimestamp()`, kept by `ignore_changes`); only in that run, and
 * only where the set's order would pick another address, the interface is created from the
 * ordered list. The marker exists for every interface from its first run, so an existing
 * interface can never be switched back to the list, whose updates reassign every address.
 */
export function createWithPrimaryFirst(scope: Construct, networkInterface: NetworkInterface, subnetId: string, primary: string, secondaries: () => string[]): void {
  const marker = new DataResource(scope, "CreatedInRun", {
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
