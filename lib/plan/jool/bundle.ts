import { Nat64Config, SiitConfig } from "./config";

/**
 * What a Jool node downloads: one object holding its complete Jool file and, on translators, the
 * nftables filter that belongs with it. One object, so the EAM table and the filter of the same
 * publication always arrive together; the config agent checks both before it applies either
 * (lib/plan/boot/scripts/jool-config-agent.sh).
 *
 * A translator that carries teams' addresses also names, under `fragments`, the teams and the
 * ranges each may use on it: the agent then merges every team's fragment object
 * (`<stem>.d/<team>.json`, lib/plan/jool/fragments.ts) into the Jool file and the filter, and
 * refuses the whole merge if any fragment strays outside its team's ranges.
 */

/**
 * Format marker of an object without teams; a new layout gets a new number. An object without
 * `fragments` keeps version 1, so upgrading the library changes nothing an older agent reads.
 */
export const NODE_CONFIG_FORMAT = "siit-dc-node-config/1";

/**
 * Format marker of an object with `fragments`: an agent that knows only version 1 refuses it
 * instead of applying the platform's part without the teams' addresses.
 */
export const NODE_CONFIG_FORMAT_WITH_FRAGMENTS = "siit-dc-node-config/2";

/** One team's delegated addresses on one translator. */
export interface TeamRangeOnTranslator {
  /** DNS-label team name; its fragment is `<stem>.d/<team>.json`. */
  readonly team: string;
  /** The team's IPv4 prefixes on this translator, e.g. `["10.0.16.128/28"]`. */
  readonly ipv4: readonly string[];
  /** The same prefixes' forms in this translator's pool6 (RFC 6052 /96 + /28 = /124), e.g. `["64:ff9b:1::a00:1080/124"]`. */
  readonly pool6: readonly string[];
}

/** What the agent needs to merge teams' fragments into a translator's configuration. */
export interface NodeConfigFragments {
  /** The translator id, e.g. `a0`; every fragment must name it. */
  readonly translator: string;
  /** The VPC IPv4 block: the merged denylist4 is this block without every merged EAM IPv4 address. */
  readonly vpcIpv4: string;
  /** The teams with addresses on this translator. */
  readonly teams: readonly TeamRangeOnTranslator[];
}

/** The object a Jool node downloads (see {@link NODE_CONFIG_FORMAT}). */
export interface NodeConfigBundle {
  readonly format: typeof NODE_CONFIG_FORMAT | typeof NODE_CONFIG_FORMAT_WITH_FRAGMENTS;
  /** The complete file for `jool_siit file handle` / `jool file handle` (on a translator with teams: the platform's part). */
  readonly jool: SiitConfig | Nat64Config;
  /** An `nft -f` script that replaces the node's filter table; absent on NAT64 nodes. */
  readonly nftables?: string;
  /** The teams whose fragments the agent merges; absent when none (the object is then complete). */
  readonly fragments?: NodeConfigFragments;
}

/** The object's text: stable key order, two-space indent, final newline. No `fragments` key when `fragments` is absent. */
export function nodeConfigBundleText(jool: SiitConfig | Nat64Config, nftables?: string, fragments?: NodeConfigFragments): string {
  const bundle: NodeConfigBundle = {
    format: fragments === undefined ? NODE_CONFIG_FORMAT : NODE_CONFIG_FORMAT_WITH_FRAGMENTS,
    jool,
    ...(nftables === undefined ? {} : { nftables }),
    ...(fragments === undefined
      ? {}
      : {
          fragments: {
            translator: fragments.translator,
            vpcIpv4: fragments.vpcIpv4,
            teams: fragments.teams.map((t) => ({ team: t.team, ipv4: [...t.ipv4], pool6: [...t.pool6] })),
          },
        }),
  };
  return `${JSON.stringify(bundle, null, 2)}\n`;
}

/** The Jool file inside a bundle's text, as `joolFileText` renders it (the platform's part, before any merge). */
export function joolFileOfBundle(text: string): string {
  const bundle = JSON.parse(text) as NodeConfigBundle;
  if (!isNodeConfigFormat(bundle.format)) throw new Error(`not a ${NODE_CONFIG_FORMAT} or /2 object: format ${JSON.stringify(bundle.format)}`);
  return `${JSON.stringify(bundle.jool, null, 2)}\n`;
}

/** Whether `format` is a node configuration object's marker (either version). */
export function isNodeConfigFormat(format: unknown): format is NodeConfigBundle["format"] {
  return format === NODE_CONFIG_FORMAT || format === NODE_CONFIG_FORMAT_WITH_FRAGMENTS;
}
