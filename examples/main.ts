import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App, TerraformStack } from "../lib/cdktf";
import { EXAMPLE_STACKS } from ".";

/**
 * The example app: one stack per bundled example, each with its AWS provider. Credentials come
 * from the environment at plan/apply time; synthesis needs none. Also the `app` of cdktf.json.
 */
export function exampleApp(outdir?: string): App {
  const app = new App({ outdir });
  for (const example of EXAMPLE_STACKS) {
    const stack = new TerraformStack(app, example.name);
    new AwsProvider(stack, "aws", { region: example.region });
    example.build(stack);
  }
  return app;
}

if (require.main === module) {
  exampleApp().synth();
}
