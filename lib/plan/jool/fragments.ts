// placeholder until the fragments branch merges (the helper owns this file)
/** "siit/Stack/Edge/a0.json" -> "siit/Stack/Edge/a0.d/": where a node's team fragments live. */
export function fragmentPrefix(nodeKey: string): string {
  return `${nodeKey.replace(/\.json$/, "")}.d/`;
}
/** fragmentPrefix(nodeKey) + team + ".json". */
export function fragmentKey(nodeKey: string, team: string): string {
  return `${fragmentPrefix(nodeKey)}${team}.json`;
}
