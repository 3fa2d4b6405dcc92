import * as fs from "fs";
import { TerraformStack, Testing } from "../../lib/cdktf";
import { labInputFromStack, labInputFromStacks } from "../../lib/lab/extract";
import { LabInput } from "../../lib/lab/model/input";
import { LabLayout } from "../../lib/lab/model/layout";
import { buildLabTopology, LabOptions, LabTopology } from "../../lib/lab/model/topology";
import { referenceTopology, ReferenceOptions } from "../../examples/reference";
import { teamsInOneApp } from "../../examples/teams/one-app";
import { TeamsOptions } from "../../examples/teams/platform";
import { MANIFEST_FILE, searchApp } from "../../examples/teams/search-app";
import { offlineProvider, testStack } from "../support/stacks";

/** The bundled reference example in a test stack (named `test`), as the lab reads it. */
export function referenceInput(options: ReferenceOptions = {}): LabInput {
  return stackInput((stack) => referenceTopology(stack, options));
}

/** Any stack built by `build`, as the lab reads it (validations run first, as `npm run lab` does). */
export function stackInput(build: (stack: TerraformStack) => void): LabInput {
  const stack = testStack();
  build(stack);
  stack.runAllValidations();
  return labInputFromStack(stack);
}

export function referenceLab(options: LabOptions = {}, input: LabInput = referenceInput()): { topology: LabTopology; layout: LabLayout } {
  const topology = buildLabTopology(input, options);
  return { topology, layout: new LabLayout(topology) };
}

/** The teams example in one app (model a): the platform's stack and the payments team's, as the lab reads them together. */
export function teamsOneAppInput(options: TeamsOptions = {}): LabInput {
  const app = Testing.app();
  const { platform, payments } = teamsInOneApp(app, (stack) => offlineProvider(stack, "eu-north-1"), options);
  for (const stack of [platform, payments]) stack.runAllValidations();
  return labInputFromStacks([platform, payments]);
}

/**
 * Both models of the teams example assembled: the platform's app (platform, team-payments) and
 * the search team's own app built from the committed manifest (examples/teams/platform.json),
 * read together; the manifest pairs the search app's literal ids with the platform's resources
 * and binds the VPC's /56 to the manifest's 2a05:d016:abc:de00::/56.
 */
export function teamsBothModelsInput(options: TeamsOptions = {}): LabInput {
  const setup = (stack: TerraformStack) => offlineProvider(stack, "eu-north-1");
  const { platform, payments } = teamsInOneApp(Testing.app(), setup, options);
  const manifest: unknown = JSON.parse(fs.readFileSync(MANIFEST_FILE, "utf8"));
  const search = searchApp(manifest, setup, undefined, options).node.findChild("team-search") as TerraformStack;
  for (const stack of [platform, payments, search]) stack.runAllValidations();
  return labInputFromStacks([platform, payments, search], { manifest });
}
