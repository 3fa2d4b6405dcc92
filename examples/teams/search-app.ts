import * as fs from "fs";
import * as path from "path";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TeamPlatform } from "../../lib";
import { App, S3Backend, TerraformStack } from "../../lib/cdktf";
import { StackSetup } from "./one-app";
import { searchTeam, TeamsOptions } from "./platform";

/** The platform's manifest as the search team received it (`terraform output -json siit_dc_platform`). */
export const MANIFEST_FILE = path.join(__dirname, "platform.json");

/**
 * Composition model (b): the search team's own app. It reads the platform's manifest (literal
 * ids, no data source, no access to the platform's state) and owns everything of its services.
 */
export function searchApp(manifest: unknown, setup: StackSetup, outdir?: string, options: TeamsOptions = {}): App {
  const app = new App({ outdir });
  const stack = new TerraformStack(app, "team-search");
  setup(stack);
  searchTeam(stack, TeamPlatform.fromManifest(manifest, { team: "search" }), options);
  return app;
}

if (require.main === module) {
  // The manifest sits beside the compiled app as it does beside the source.
  const file = fs.existsSync(MANIFEST_FILE) ? MANIFEST_FILE : path.join(__dirname, "../../../examples/teams/platform.json");
  searchApp(JSON.parse(fs.readFileSync(file, "utf8")), (stack) => {
    new AwsProvider(stack, "aws", { region: "eu-north-1" });
    new S3Backend(stack, { bucket: "example-siit-dc-search-state", key: "team-search.tfstate", region: "eu-north-1" }).addOverride("use_lockfile", true);
  }).synth();
}
