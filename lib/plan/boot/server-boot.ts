import { Origin } from "../errors";
import { APPEND_MERGE, applicationPart, bootScript, CloudConfig, combineUserData, renderCloudConfig, UserDataPart } from "./user-data";

/** Where the SSM agent setup script lands on every instance the library launches. */
export const SSM_SETUP_PATH = "/usr/local/sbin/siit-dc-ssm-agent-setup";

/** Boot configuration every IPv6-capable instance of the library gets: Session Manager without IPv4. */
export function ssmAgentBootConfig(): CloudConfig {
  return {
    write_files: [{ path: SSM_SETUP_PATH, owner: "root:root", permissions: "0755", content: bootScript("ssm-agent-setup.sh") }],
    runcmd: [[SSM_SETUP_PATH]],
  };
}

/**
 * User data of a server: the application's own user data (if any) first, then the library's
 * cloud-config, which appends to the application's lists rather than replacing them.
 */
export function renderServerUserData(application: string | undefined, origin: Origin): string {
  const parts: UserDataPart[] = [];
  if (application !== undefined) parts.push(applicationPart(application, origin));
  parts.push({ contentType: "text/cloud-config", filename: "siit-dc-server.cfg", content: renderCloudConfig({ merge_how: APPEND_MERGE, ...ssmAgentBootConfig() }) });
  return combineUserData(parts);
}
