import { Construct, IConstruct } from "constructs";
import { Annotations, Aspects, TerraformStack } from "../../cdktf";
import { EIPS_PER_REGION, eipQuotaWarning } from "../../plan/aws/quotas";
import { aws } from "../core/aws";

const checked = new WeakSet<TerraformStack>();

/**
 * Warns (once per stack) when the stack's EIPs exceed AWS's default quota of 5 per region: the
 * apply would fail part-way, after other resources changed.
 */
export function checkEipQuota(scope: Construct): void {
  const stack = TerraformStack.of(scope);
  if (checked.has(stack)) return;
  checked.add(stack);
  Aspects.of(stack).add({
    visit(node: IConstruct) {
      if (node !== stack) return;
      const count = stack.node.findAll().filter((c) => c instanceof aws.Eip).length;
      if (count > EIPS_PER_REGION) Annotations.of(stack).addWarning(eipQuotaWarning(count));
    },
  });
}
