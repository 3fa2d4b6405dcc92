import { Construct, IConstruct } from "constructs";
import { Annotations, App, Aspects, TerraformStack } from "../../cdktf";
import { appEipQuotaWarning, EIPS_PER_REGION, eipQuotaWarning } from "../../plan/aws/quotas";
import { aws } from "../core/aws";
import { providerRegion } from "../core/props";

const checked = new WeakSet<TerraformStack>();

const eipsOf = (stack: TerraformStack) => stack.node.findAll().filter((c) => c instanceof aws.Eip).length;

/**
 * Warns (once per stack) when the stack's EIPs exceed AWS's default quota of 5 per region, or,
 * when none alone does, the EIPs of the app's stacks in the stack's region together (a platform
 * and its teams' stacks in one app): the apply would fail part-way, after other resources changed.
 * Stacks of other apps (a team in its own app) are not seen.
 */
export function checkEipQuota(scope: Construct): void {
  const stack = TerraformStack.of(scope);
  if (checked.has(stack)) return;
  checked.add(stack);
  Aspects.of(stack).add({
    visit(node: IConstruct) {
      if (node !== stack) return;
      const count = eipsOf(stack);
      if (count > EIPS_PER_REGION) {
        Annotations.of(stack).addWarning(eipQuotaWarning(count));
        return;
      }
      const region = providerRegion(stack);
      const app = stack.node.scope;
      if (count === 0 || region === undefined || !App.isApp(app)) return;
      const counts = app.node.children
        .filter((c): c is TerraformStack => TerraformStack.isStack(c) && providerRegion(c) === region)
        .map((s) => ({ stack: s.node.id, count: eipsOf(s) }))
        .filter((c) => c.count > 0);
      if (counts.reduce((n, c) => n + c.count, 0) > EIPS_PER_REGION) Annotations.of(stack).addWarning(appEipQuotaWarning(region, counts));
    },
  });
}
