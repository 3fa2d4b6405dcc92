// placeholder until the fragments branch merges (the helper owns this file)
/** "siit/Stack/Edge/a0.json" -> "siit/Stack/Edge/a0.d/": where a node's team fragments live. */
export function fragmentPrefix(nodeKey: string): string {
  return `${nodeKey.replace(/\.json$/, "")}.d/`;
}
/** fragmentPrefix(nodeKey) + team + ".json". */
export function fragmentKey(nodeKey: string, team: string): string {
  return `${fragmentPrefix(nodeKey)}${team}.json`;
}
import type { Port } from "../ports";
export const JOOL_FRAGMENT_FORMAT = "siit-dc-jool-fragment/1";
export interface FragmentAddress {
  readonly ipv4: string;
  readonly pool6: string;
  readonly target: string;
  readonly ports: readonly Port[];
  readonly outbound: boolean;
}
export function teamFragmentText(team: string, translator: string, addresses: readonly FragmentAddress[]): string {
  return `${JSON.stringify({ format: JOOL_FRAGMENT_FORMAT, team, translator, eamt: addresses.map((a) => ({ "ipv6 prefix": `${a.target}/128`, "ipv4 prefix": `${a.ipv4}/32` })) }, null, 2)}\n`;
}
