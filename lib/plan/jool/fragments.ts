import { Port } from "../ports";

/**
 * A team's fragment of a translator's configuration: the EAM entries and the filter data of the
 * team's service addresses on one translator, written by the team's own stack to
 * `<stem>.d/<team>.json` beside the platform's object `<stem>.json` (lib/plan/jool/bundle.ts).
 * The translator's config agent merges the platform's object with every fragment
 * (lib/plan/boot/scripts/jool-config-agent.sh) and refuses the whole merge if one fragment names
 * another translator, an address outside its team's ranges, an address someone else maps, or a
 * malformed port. A fragment is data only: EAM pairs and, per address, its ports, echo and
 * outbound flags; the agent writes the nft elements itself, so a team can neither add nft
 * statements nor change Jool globals.
 */

/** Format marker of a fragment object; the agent refuses any other. */
export const JOOL_FRAGMENT_FORMAT = "siit-dc-jool-fragment/1";

/** One service address of a team on one translator. */
export interface FragmentAddress {
  /** Private IPv4 of the service address, e.g. `10.0.16.129` (inside the team's range). */
  readonly ipv4: string;
  /** Its form in the translator's pool6, e.g. `64:ff9b:1::a00:1081`. */
  readonly pool6: string;
  /** The server's IPv6 address as text (may be a Terraform `${...}` expression at synth time). */
  readonly target: string;
  /** The service's published ports. */
  readonly ports: readonly Port[];
  /** The service's `outboundIpv4`. */
  readonly outbound: boolean;
}

/** One EAM entry of a fragment, as in a Jool file. */
export interface FragmentEamEntry {
  readonly "ipv6 prefix": string;
  readonly "ipv4 prefix": string;
}

/** The filter data of one address of a fragment. */
export interface FragmentFilterEntry {
  readonly ipv4: string;
  readonly pool6: string;
  /** `"tcp 443"`, `"udp 123-124"`: TCP and UDP ports or ranges (echo is `echo`). */
  readonly ports: readonly string[];
  /** Whether echo requests pass. */
  readonly echo: boolean;
  /** Whether replies to what the server started pass (the service's `outboundIpv4`). */
  readonly outbound: boolean;
}

/** A fragment object. */
export interface JoolFragment {
  readonly format: typeof JOOL_FRAGMENT_FORMAT;
  readonly team: string;
  readonly translator: string;
  readonly eamt: readonly FragmentEamEntry[];
  readonly filter: readonly FragmentFilterEntry[];
}

/** A port as a fragment's filter entry lists it: `tcp 443`, `udp 123-124`; undefined for echo. */
export function fragmentPortText(port: Port): string | undefined {
  if (port.protocol === "icmp") return undefined;
  return `${port.protocol} ${port.fromPort === port.toPort ? port.fromPort : `${port.fromPort}-${port.toPort}`}`;
}

/** The fragment object of `team` on `translator` (entries by IPv4 address). */
export function teamFragment(team: string, translator: string, addresses: readonly FragmentAddress[]): JoolFragment {
  const sorted = [...addresses].sort((a, b) => ipv4Order(a.ipv4) - ipv4Order(b.ipv4));
  return {
    format: JOOL_FRAGMENT_FORMAT,
    team,
    translator,
    eamt: sorted.map((a) => ({ "ipv6 prefix": `${a.target}/128`, "ipv4 prefix": `${a.ipv4}/32` })),
    filter: sorted.map((a) => ({
      ipv4: a.ipv4,
      pool6: a.pool6,
      ports: a.ports.map(fragmentPortText).filter((p): p is string => p !== undefined),
      echo: a.ports.some((p) => p.protocol === "icmp"),
      outbound: a.outbound,
    })),
  };
}

/** The fragment object's text (stable key order, 2-space indent, final newline). */
export function teamFragmentText(team: string, translator: string, addresses: readonly FragmentAddress[]): string {
  return `${JSON.stringify(teamFragment(team, translator, addresses), null, 2)}\n`;
}

/** `siit/Stack/Edge/a0.json` -> `siit/Stack/Edge/a0.d/`: where a node's team fragments live. */
export function fragmentPrefix(nodeKey: string): string {
  if (!nodeKey.endsWith(".json")) throw new Error(`a node's configuration key ends in .json: ${JSON.stringify(nodeKey)}`);
  return `${nodeKey.slice(0, -".json".length)}.d/`;
}

/** `fragmentPrefix(nodeKey) + team + ".json"`. */
export function fragmentKey(nodeKey: string, team: string): string {
  return `${fragmentPrefix(nodeKey)}${team}.json`;
}

// Dotted-quad order; text that is not one sorts first (the agent refuses it anyway).
function ipv4Order(text: string): number {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  return m ? ((Number(m[1]) * 256 + Number(m[2])) * 256 + Number(m[3])) * 256 + Number(m[4]) : -1;
}
