import { Construct } from "constructs";
import { referenceTopology } from "./reference";

/** An example stack: its name, region and the function that fills it. */
export interface ExampleStack {
  readonly name: string;
  readonly region: string;
  readonly build: (scope: Construct) => void;
}

/** Every bundled example. `npm run synth` synthesizes them all; the Terraform tier plans them all. */
export const EXAMPLE_STACKS: readonly ExampleStack[] = [{ name: "reference", region: "eu-north-1", build: referenceTopology }];
