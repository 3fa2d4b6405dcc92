import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App, S3Backend } from "../../lib/cdktf";
import { teamsInOneApp } from "./one-app";

/**
 * The teams example in one app (model a): the platform's stack and the payments team's stack,
 * each with its AWS provider and an S3 backend with S3's own locking (`use_lockfile`, Terraform
 * 1.10 and later); the team's stack reads the platform's state. `siit-dc synth --app
 * dist/examples/teams/app.js` synthesizes it and prints the deploy order. The other model, a team
 * in its own app, is search-app.ts.
 */
export function teamsApp(outdir?: string): App {
  const app = new App({ outdir });
  teamsInOneApp(app, (stack) => {
    new AwsProvider(stack, "aws", { region: "eu-north-1" });
    new S3Backend(stack, { bucket: "example-siit-dc-state", key: `${stack.node.id}.tfstate`, region: "eu-north-1" }).addOverride("use_lockfile", true);
  });
  return app;
}

if (require.main === module) {
  teamsApp().synth();
}
