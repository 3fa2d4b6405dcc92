/**
 * The one module through which the library imports core cdktf symbols.
 *
 * cdktf was archived upstream in December 2025 and continues as the community fork CDK Terrain
 * (cdktn), which began as a pure rename. Keeping every core import here makes that switch a
 * one-file change. Provider classes are imported by deep path where they are used.
 */
export {
  Annotations,
  App,
  Aspects,
  DefaultTokenResolver,
  Fn,
  Lazy,
  Op,
  S3Backend,
  StringConcat,
  TerraformLocal,
  TerraformOutput,
  TerraformStack,
  TerraformVariable,
  TerraformElement,
  TerraformResource,
  Testing,
  Token,
  Tokenization,
  anyToHclTerraform,
  anyToTerraform,
  hashMapper,
  hashMapperHcl,
  ref,
} from "cdktf";
// How cdktf names a resource from its construct path (TerraformStack.allocateLogicalId), for
// `moved` blocks from names of earlier releases.
export { makeUniqueId } from "cdktf/lib/private/unique";
export type { IResolvable, ITerraformDependable, TerraformResourceLifecycle } from "cdktf";
// The string a resource's `dependsOn` holds for a dependency (what cdktf makes of each one given).
export { dependable } from "cdktf/lib/tfExpression";
