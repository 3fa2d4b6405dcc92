import { Construct } from "constructs";
import { TerraformElement, TerraformResource, TerraformStack } from "../../cdktf";
import { once } from "./once";
import { withRequiredTerraform } from "./required-terraform";

interface MovedBlock {
  readonly from: string;
  readonly to: string;
}

/**
 * A stack's `moved` blocks for resources that earlier releases named differently. cdktf's own
 * `moveFromId` writes the same blocks, but also makes synth run `terraform version` (its
 * Terraform >= 1.5 check), which checks the machine that synthesizes rather than the one that
 * plans, and fails synth where no Terraform is installed. These blocks state the stack's
 * requirement instead (required-terraform.ts). cdktf concatenates the `moved` lists of a stack's elements,
 * so these stand beside any the user writes with `moveFromId`.
 */
class MovedBlocks extends TerraformElement {
  /** In the order the moves were declared. */
  readonly blocks: MovedBlock[] = [];

  constructor(scope: Construct, id: string) {
    super(scope, id, "moved");
  }

  /** The blocks, with the stack's Terraform requirement. */
  public toTerraform(): Record<string, unknown> {
    return this.blocks.length ? withRequiredTerraform({ moved: this.blocks.map(({ from, to }) => ({ from, to })) }) : {};
  }

  /** As `toTerraform`, for HCL output (cdktf's form of a moved block). */
  public toHclTerraform(): Record<string, unknown> {
    const reference = (value: string) => ({ value, isBlock: false, type: "simple", storageClassType: "reference" });
    return this.blocks.length ? withRequiredTerraform({ moved: this.blocks.map(({ from, to }) => ({ from: reference(from), to: reference(to) })) }) : {};
  }
}

/** Moves `from` (a resource address of an earlier release) to `resource` at the next plan. */
export function movedFrom(resource: TerraformResource, from: string): void {
  const stack = TerraformStack.of(resource);
  const moved = once(stack, "moved blocks", () => new MovedBlocks(stack, "SiitDcMovedBlocks"));
  moved.blocks.push({ from, to: `${resource.terraformResourceType}.${resource.friendlyUniqueId}` });
}
