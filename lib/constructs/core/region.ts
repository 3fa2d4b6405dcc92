import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import { TerraformStack, Token } from "../../cdktf";
import { fail } from "../../plan/errors";
import { REGION } from "../../plan/props/rules";
import { providerRegion, showToken } from "./props";
import { propOf } from "./validate";
import { aws } from "./aws";

/**
 * The region a construct deploys to, for values that must name it (recovery alarm actions,
 * image distribution): the explicit prop, else the literal region of the stack's single AWS
 * provider. Constructs never create providers; this only reads the app's.
 */
export function regionOf(scope: Construct, explicit: string | undefined): string {
  if (explicit !== undefined) {
    if (Token.isUnresolved(explicit) || !REGION.test(explicit)) fail(propOf(scope, "region"), Token.isUnresolved(explicit) ? showToken(scope, explicit) : explicit, "is not a literal AWS region", 'give a region such as "eu-north-1"');
    const stack = providerRegion(scope);
    if (stack !== undefined && stack !== explicit) {
      fail(
        propOf(scope, "region"),
        explicit,
        `differs from the region of the stack's AWS provider (${stack}), where the resources are created; what names the region (recovery alarm actions, image distribution, dashboard metrics) would point at a region without them`,
        `remove region (it defaults to the provider's ${stack}), or create these resources in a stack whose provider uses ${explicit}`,
      );
    }
    return explicit;
  }
  const providers = TerraformStack.of(scope)
    .node.findAll()
    .filter((c): c is AwsProvider => c instanceof aws.AwsProvider && c.alias === undefined);
  const region = providers.length === 1 ? providers[0].region : undefined;
  if (region === undefined || Token.isUnresolved(region)) {
    fail(
      propOf(scope, "region"),
      region ?? null,
      `needs the stack's region, and the stack has ${providers.length === 1 ? "an AWS provider without a literal region" : `${providers.length} default AWS providers`}`,
      'set region on this construct, e.g. region: "eu-north-1"',
    );
  }
  return region;
}
