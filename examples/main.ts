import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App, S3Backend, TerraformStack } from "../lib/cdktf";
import { EXAMPLE_STACKS } from ".";
import { teamsInOneApp } from "./teams/one-app";

/**
 * The example app: one stack per bundled example, each with its AWS provider, and the teams
 * example in one app (a platform stack and a team's stack, each with its S3 backend with native
 * locking; the team's stack reads the platform's state). Credentials come from the environment
 * at plan/apply time; synthesis needs none. Also the `app` of cdktf.json. The teams example's
 * other model, a team in its own app, is examples/teams/search-app.ts.
 */
export function exampleApp(outdir?: string): App {
  const app = new App({ outdir });
  for (const example of EXAMPLE_STACKS) {
    const stack = new TerraformStack(app, example.name);
    new AwsProvider(stack, "aws", { region: example.region });
    example.build(stack);
  }
  teamsInOneApp(app, (stack) => {
    new AwsProvider(stack, "aws", { region: "eu-north-1" });
    // S3 state with S3's own locking (use_lockfile, Terraform 1.10 and later).
    new S3Backend(stack, { bucket: "example-siit-dc-state", key: `${stack.node.id}.tfstate`, region: "eu-north-1" }).addOverride("use_lockfile", true);
  });
  return app;
}

if (require.main === module) {
  exampleApp().synth();
}
