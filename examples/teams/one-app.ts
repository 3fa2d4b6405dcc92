import { App, TerraformStack } from "../../lib/cdktf";
import { paymentsTeam, teamsPlatform, TeamsOptions } from "./platform";

/** Makes a stack deployable: its provider and backend (the example app's, or a test's offline ones). */
export type StackSetup = (stack: TerraformStack) => void;

/**
 * Composition model (a): one app, the platform's stack and a team's stack. The team's stack
 * refers to the platform's translators through `edge.forTeam(...)`; cdktf turns those references
 * into outputs of the platform's stack and a `terraform_remote_state` of its backend in the
 * team's stack. Deploy order: `platform`, then `team-payments` (synth says so).
 */
export function teamsInOneApp(app: App, setup: StackSetup, options: TeamsOptions = {}): { platform: TerraformStack; payments: TerraformStack } {
  const platform = new TerraformStack(app, "platform");
  setup(platform);
  const { edge } = teamsPlatform(platform, { teams: options.teams });
  const payments = new TerraformStack(app, "team-payments");
  setup(payments);
  paymentsTeam(payments, edge.forTeam("payments"), options);
  return { platform, payments };
}
