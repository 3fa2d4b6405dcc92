import { Construct } from "constructs";
import { Token } from "../../cdktf";
import { fail, Origin } from "../../plan/errors";
import { showToken } from "./props";

/** The origin of a construct property, for PlanError messages. */
export function propOf(scope: Construct, property: string): Origin {
  return { path: scope.node.path, property };
}

/**
 * The address plan works on values known at synth time. A token (a value resolved by Terraform
 * at apply time) where the plan needs a literal is a clear error, not a silent guess.
 */
export function requireLiteral<T>(scope: Construct, property: string, value: T): T {
  const tokens = Array.isArray(value) ? value.map((v, i) => [`${property}[${i}]`, v] as const) : [[property, value] as const];
  for (const [p, v] of tokens) {
    if (Token.isUnresolved(v)) {
      fail(
        propOf(scope, p),
        showToken(scope, v),
        "is a token resolved only at apply time, but the address plan needs it at synth time",
        "pass a literal value (a string or number written in the program, not a resource attribute or variable)",
      );
    }
  }
  return value;
}
