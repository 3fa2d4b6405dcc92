import { Nat64Config, SiitConfig } from "./config";

/**
 * What a Jool node downloads: one object holding its complete Jool file and, on translators, the
 * nftables filter that belongs with it. One object, so the EAM table and the filter of the same
 * publication always arrive together; the config agent checks both before it applies either
 * (lib/plan/boot/scripts/jool-config-agent.sh).
 */

/** Format marker the agent requires; a new layout gets a new number. */
export const NODE_CONFIG_FORMAT = "siit-dc-node-config/1";

export interface NodeConfigBundle {
  readonly format: typeof NODE_CONFIG_FORMAT;
  /** The complete file for `jool_siit file handle` / `jool file handle`. */
  readonly jool: SiitConfig | Nat64Config;
  /** An `nft -f` script that replaces the node's filter table; absent on NAT64 nodes. */
  readonly nftables?: string;
}

/** One team's delegated addresses on one translator. */
export interface TeamRangeOnTranslator {
  /** The team's name; its fragment is `<stem>.d/<team>.json`. */
  readonly team: string;
  /** Its IPv4 /28s on this translator. */
  readonly ipv4: readonly string[];
  /** Their forms in the translator's pool6 (/124s). */
  readonly pool6: readonly string[];
}

/** The teams whose fragments the agent merges. (placeholder until the fragments branch merges) */
export interface NodeConfigFragments {
  readonly translator: string;
  readonly vpcIpv4: string;
  readonly teams: readonly TeamRangeOnTranslator[];
}

/** The object's text: stable key order, two-space indent, final newline. */
export function nodeConfigBundleText(jool: SiitConfig | Nat64Config, nftables?: string, fragments?: NodeConfigFragments): string {
  const bundle = { format: NODE_CONFIG_FORMAT, jool, ...(nftables === undefined ? {} : { nftables }), ...(fragments ? { fragments } : {}) };
  return `${JSON.stringify(bundle, null, 2)}\n`;
}

/** The Jool file inside a bundle's text, as `joolFileText` renders it. */
export function joolFileOfBundle(text: string): string {
  const bundle = JSON.parse(text) as NodeConfigBundle;
  if (bundle.format !== NODE_CONFIG_FORMAT) throw new Error(`not a ${NODE_CONFIG_FORMAT} object: format ${JSON.stringify(bundle.format)}`);
  return `${JSON.stringify(bundle.jool, null, 2)}\n`;
}
