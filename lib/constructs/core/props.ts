import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import { Annotations, TerraformStack, Token } from "../../cdktf";
import { ShownAs } from "../../plan/errors";
import { checkShape, PropContext, Rule, Shape } from "../../plan/props/check";
import { resolveToken } from "./render";
import { aws } from "./aws";

/** The construct side of runtime prop checks: tokens are recognised here, rules live in lib/plan/props. */
export function propContext(scope: Construct): PropContext {
  return {
    path: scope.node.path,
    isToken: (value) => Token.isUnresolved(value),
    showToken: (value) => showToken(scope, value),
  };
}

/** What a token stands for in Terraform (`${var.servers}`), never its numeric or string encoding. */
export function showToken(scope: Construct, value: unknown): ShownAs {
  try {
    const resolved = resolveToken(scope, value as string);
    return new ShownAs(typeof resolved === "string" ? resolved : JSON.stringify(resolved));
  } catch {
    return new ShownAs("(a value Terraform resolves at apply time)");
  }
}

/** Checks a construct's props object against its shape (types, ranges, enums, required, unknown keys). */
export function checkProps(scope: Construct, typeName: string, shape: Shape, props: unknown): void {
  checkShape(shape, props, "", typeName, propContext(scope));
}

/** Checks one method argument or option object. */
export function checkValue(scope: Construct, property: string, rule: Rule, value: unknown): void {
  rule.check(value, property, propContext(scope));
}

/** Checks an options object of a method (`publish(www)`, `allowInbound(Office)`). */
export function checkOptions(scope: Construct, property: string, typeName: string, shape: Shape, options: unknown): void {
  checkShape(shape, options, property, typeName, propContext(scope));
}

/** The literal region of the stack's single default AWS provider, when there is one. */
export function providerRegion(scope: Construct): string | undefined {
  const providers = TerraformStack.of(scope)
    .node.findAll()
    .filter((c): c is AwsProvider => c instanceof aws.AwsProvider && c.alias === undefined);
  const region = providers.length === 1 ? providers[0].region : undefined;
  return region === undefined || Token.isUnresolved(region) ? undefined : region;
}

/** A synth-time warning on `scope` (shown with its construct path by `cdktf synth` and `npm run synth`). */
export function warn(scope: Construct, message: string): void {
  Annotations.of(scope).addWarning(message);
}
