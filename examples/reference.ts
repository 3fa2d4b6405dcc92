import { Construct } from "constructs";
import { Ipv6OnlyVpc, Ipv6ServerFleet, MachineImage } from "../lib";

/** Knobs the tests turn to compare versions of the reference topology. */
export interface ReferenceOptions {
  /**
   * The web fleet's image.
   * @default MachineImage.debian12()
   */
  readonly webImage?: MachineImage;
}

/**
 * The bundled reference topology (DESIGN.md section 2): what `npm run synth` synthesizes and
 * what the Terraform test tier validates and plans offline. It creates no provider: the app
 * (examples/main.ts) or the test harness does.
 */
export function referenceTopology(scope: Construct, options: ReferenceOptions = {}): void {
  const net = new Ipv6OnlyVpc(scope, "Net", {
    availabilityZones: ["eu-north-1a", "eu-north-1b"],
  });
  new Ipv6ServerFleet(scope, "Web", {
    vpc: net,
    servers: 4,
    instanceType: "c7g.large",
    image: options.webImage ?? MachineImage.debian12(),
    userData: "#!/bin/sh\napt-get update && apt-get install -y nginx\n",
  });
  new Ipv6ServerFleet(scope, "Workers", {
    vpc: net,
    autoScaling: { minCapacity: 0, maxCapacity: 4, desiredCapacity: 2 },
    instanceType: "t4g.small",
  });
}
