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
  DataResource,
  DefaultTokenResolver,
  Fn,
  Lazy,
  Op,
  StringConcat,
  TerraformOutput,
  TerraformStack,
  TerraformVariable,
  Testing,
  Token,
  Tokenization,
  ref,
} from "cdktf";
// How cdktf names a resource from its construct path (TerraformStack.allocateLogicalId), for
// `moved` blocks from names of earlier releases.
export { makeUniqueId } from "cdktf/lib/private/unique";
export type { IResolvable, ITerraformDependable, TerraformResource } from "cdktf";
