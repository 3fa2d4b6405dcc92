import { ssmAgentBootConfig } from "./server-boot";
import { bootScript, CloudConfig, renderCloudConfig } from "./user-data";

/**
 * User data of a Jool node (SIIT-DC border relay or stateful NAT64 instance). It is the same for
 * every node of a kind and never mentions services: what changes travels as an S3 object, so
 * publishing a service never replaces or reboots a translator (docs/DESIGN.md invariant 13).
 */

/** What a Jool node runs: `siit` (a stateless SIIT-DC translator, `jool_siit`) or `nat64` (a stateful NAT64, `jool`). */
export type JoolNodeMode = "siit" | "nat64";

export const JOOL_NODE_PATHS = {
  setup: "/usr/local/sbin/siit-dc-jool-node-setup",
  agent: "/usr/local/sbin/siit-dc-jool-agent",
  metrics: "/usr/local/sbin/siit-dc-jool-metrics",
};

/** Ubuntu images (baked) carry the AWS CLI as a snap; systemd's default PATH may not list /snap/bin. */
const UNIT_PATH = "Environment=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/snap/bin";

/** The instance tag from which the agent learns where its configuration object lives. */
export const CONFIG_LOCATION_TAG = "SiitDcConfig";

// At boot, before the network: the last configuration Jool accepted (docs/DESIGN.md invariant 13).
const RESTORE_SERVICE = `[Unit]
Description=Restore the last good SIIT-DC Jool configuration (%i)
DefaultDependencies=no
# After nftables.service: its ruleset load must not come after the restored filter table.
After=local-fs.target systemd-modules-load.service nftables.service
Before=network-pre.target
Wants=network-pre.target

[Service]
Type=oneshot
RemainAfterExit=yes
${UNIT_PATH}
ExecStart=${JOOL_NODE_PATHS.agent} %i --restore

[Install]
WantedBy=multi-user.target
`;

/** A oneshot template unit (instance %i = mode) that runs `command %i` once the network is up. */
function networkOneshot(description: string, command: string): string {
  return `[Unit]
Description=${description} (%i)
After=network-online.target
Wants=network-online.target

[Service]
Type=oneshot
${UNIT_PATH}
ExecStart=${command} %i
`;
}

/** A timer that runs its service `firstAfter` after boot, then every `every`. */
function periodicTimer(description: string, firstAfter: string, every: string): string {
  return `[Unit]
Description=${description} (%i)

[Timer]
OnBootSec=${firstAfter}
OnUnitActiveSec=${every}
AccuracySec=5s

[Install]
WantedBy=timers.target
`;
}

const AGENT_SERVICE = networkOneshot("Apply the published SIIT-DC Jool configuration", JOOL_NODE_PATHS.agent);
// Within a minute of publication: every 30 s, first run 10 s after boot.
const AGENT_TIMER = periodicTimer("Poll for the published SIIT-DC Jool configuration", "10s", "30s");
const METRICS_SERVICE = networkOneshot("Publish Jool counters as CloudWatch metrics", JOOL_NODE_PATHS.metrics);
const METRICS_TIMER = periodicTimer("Publish Jool counters every minute", "60s", "60s");

// Invariant 9: nothing a node receives may reach instance metadata or link-local addresses, in
// either family or in a form Jool would translate into them. Jool registers its netfilter hooks at
// NF_INET_PRE_ROUTING with priority NF_IP_PRI_NAT_DST + 25 = -75 (NICMx/Jool v4.1.9 and v4.1.15,
// src/mod/common/xlator.c, netfilter_hooks[]) and hands translated packets straight to the
// output path: a forward-chain rule never sees them. The guard therefore runs at prerouting,
// priority raw (-300), before Jool and before connection tracking. Locally generated traffic
// (the node's own metadata and DNS calls) does not pass prerouting and is unaffected.
//   169.254.0.0/16        IPv4 link-local, the IPv4 metadata service (169.254.169.254)
//   fd00:ec2::/32         the IPv6 metadata service, DNS and time sync (fd00:ec2::254, ...)
//   ::a9fe:0/::ffff:0     169.254.0.0/16 embedded (RFC 6052) in any /96: 64:ff9b::a9fe:0/112,
//                         which a NAT64 would translate to 169.254.x.y, and every translator's
//                         own pool6 /96. Nodes receive IPv6 only for their own addresses (host
//                         indexes < 65536: the 7th group is 0) and /96 translation prefixes;
//                         link-local and multicast destinations are left alone.
// fd00:ec2::/32 has no IPv4 form: Jool maps IPv4 destinations to EAM targets or pool6 only.
// Forwarded traffic keeps its own drop as a second line.
// The file replaces only its own table: the translator's per-address filter (lib/plan/siit/
// translator-filter.ts) is a table of its own that a reload of this file must leave in place.
const NFTABLES = `#!/usr/sbin/nft -f
table inet siit_dc
delete table inet siit_dc

table inet siit_dc {
  chain prerouting {
    type filter hook prerouting priority raw; policy accept;
    ip daddr 169.254.0.0/16 counter drop comment "link-local and instance metadata (before Jool)"
    ip6 daddr fd00:ec2::/32 counter drop comment "instance metadata over IPv6 (before Jool)"
    ip6 daddr != { fe80::/10, ff00::/8 } ip6 daddr & ::ffff:0 == ::a9fe:0 counter drop comment "169.254.0.0/16 inside a /96 translation prefix (before Jool)"
  }
  chain forward {
    type filter hook forward priority filter; policy accept;
    ip daddr 169.254.0.0/16 counter drop comment "instance metadata and link-local"
    ip6 daddr fd00:ec2::/32 counter drop comment "instance metadata over IPv6"
  }
}
`;

// Invariant 4: cloud-init on EC2 would configure every secondary IPv4 from metadata.
const NO_SECONDARY_IPS = `# SIIT-DC: mapped IPv4 addresses must never be configured on the node (Jool refuses to translate them).
datasource:
  Ec2:
    apply_full_imds_network_config: false
`;

export function joolNodeBootConfig(mode: JoolNodeMode): CloudConfig {
  const ssm = ssmAgentBootConfig() as { write_files: unknown[]; runcmd: unknown[] };
  return {
    write_files: [
      { path: "/etc/cloud/cloud.cfg.d/99-siit-dc-no-secondary-ips.cfg", owner: "root:root", permissions: "0644", content: NO_SECONDARY_IPS },
      { path: "/etc/nftables.conf", owner: "root:root", permissions: "0755", content: NFTABLES },
      { path: "/etc/systemd/system/siit-dc-jool-restore@.service", owner: "root:root", permissions: "0644", content: RESTORE_SERVICE },
      { path: "/etc/systemd/system/siit-dc-jool-agent@.service", owner: "root:root", permissions: "0644", content: AGENT_SERVICE },
      { path: "/etc/systemd/system/siit-dc-jool-agent@.timer", owner: "root:root", permissions: "0644", content: AGENT_TIMER },
      { path: JOOL_NODE_PATHS.setup, owner: "root:root", permissions: "0755", content: bootScript("jool-node-setup.sh") },
      { path: JOOL_NODE_PATHS.agent, owner: "root:root", permissions: "0755", content: bootScript("jool-config-agent.sh") },
      { path: "/etc/systemd/system/siit-dc-jool-metrics@.service", owner: "root:root", permissions: "0644", content: METRICS_SERVICE },
      { path: "/etc/systemd/system/siit-dc-jool-metrics@.timer", owner: "root:root", permissions: "0644", content: METRICS_TIMER },
      { path: JOOL_NODE_PATHS.metrics, owner: "root:root", permissions: "0755", content: bootScript("jool-metrics-agent.sh") },
      ...ssm.write_files,
    ],
    runcmd: [[JOOL_NODE_PATHS.setup, mode], ...ssm.runcmd],
  };
}

/** The cloud-config text (the launch template gzips it: the agents' scripts exceed 16 KB as text). */
export function renderJoolNodeUserData(mode: JoolNodeMode): string {
  // The same for every node of a mode: rendered once.
  let text = rendered.get(mode);
  if (text === undefined) rendered.set(mode, (text = renderCloudConfig(joolNodeBootConfig(mode))));
  return text;
}
const rendered = new Map<JoolNodeMode, string>();
