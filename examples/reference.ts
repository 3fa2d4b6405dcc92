import { Construct } from "constructs";
import { Ipv6OnlyVpc } from "../lib";

/**
 * The bundled reference topology (DESIGN.md section 2): what `npm run synth` synthesizes and
 * what the Terraform test tier validates and plans offline. It creates no provider: the app
 * (examples/main.ts) or the test harness does.
 */
export function referenceTopology(scope: Construct): void {
  new Ipv6OnlyVpc(scope, "Net", {
    availabilityZones: ["eu-north-1a", "eu-north-1b"],
  });
}
