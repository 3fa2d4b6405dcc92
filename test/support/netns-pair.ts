import { spawnSync } from "child_process";

/**
 * Two network namespaces joined by a veth pair, for loading a node's real nft ruleset into one
 * (the node, 192.0.2.2 / 2001:db8:1::2 on n0) and sending real packets from the other (the sender,
 * 192.0.2.1 / 2001:db8:1::1 on s0). Neighbours are static, so no packet waits for neighbour
 * discovery. The sender routes nothing at the node until `routeToNode` says what.
 */
export class NetnsPair {
  readonly sender: string;
  readonly node: string;

  constructor(id: string) {
    this.sender = `${id}-s`;
    this.node = `${id}-n`;
  }

  /** Runs a command in the sender's namespace. */
  inSender(...args: string[]): string {
    return run(["ip", "netns", "exec", this.sender, ...args]);
  }

  /** Runs a command in the node's namespace; `input` goes to its standard input. */
  inNode(args: string[], input?: string): string {
    return run(["ip", "netns", "exec", this.node, ...args], input);
  }

  /** Creates both namespaces and the link between them. */
  create(): void {
    run(["ip", "netns", "add", this.sender]);
    run(["ip", "netns", "add", this.node]);
    run(["ip", "link", "add", "s0", "netns", this.sender, "type", "veth", "peer", "name", "n0", "netns", this.node]);
    this.inSender("ip", "addr", "add", "192.0.2.1/24", "dev", "s0");
    this.inSender("ip", "addr", "add", "2001:db8:1::1/64", "dev", "s0", "nodad");
    this.inNode(["ip", "addr", "add", "192.0.2.2/24", "dev", "n0"]);
    this.inNode(["ip", "addr", "add", "2001:db8:1::2/64", "dev", "n0", "nodad"]);
    this.inSender("ip", "link", "set", "s0", "up");
    this.inNode(["ip", "link", "set", "n0", "up"]);
    this.inNode(["ip", "link", "set", "lo", "up"]);
    const [link] = JSON.parse(this.inNode(["ip", "-j", "link", "show", "n0"])) as { address: string }[];
    this.inSender("ip", "neigh", "replace", "192.0.2.2", "lladdr", link.address, "dev", "s0", "nud", "permanent");
    this.inSender("ip", "-6", "neigh", "replace", "2001:db8:1::2", "lladdr", link.address, "dev", "s0", "nud", "permanent");
  }

  /** The sender sends these destinations to the node (as an internet gateway or a route table would). */
  routeToNode(prefixes: readonly string[]): void {
    for (const p of prefixes) this.inSender("ip", ...(p.includes(":") ? ["-6"] : []), "route", "add", p, "via", p.includes(":") ? "2001:db8:1::2" : "192.0.2.2");
  }

  /** Removes both namespaces (and with them the link). */
  remove(): void {
    for (const ns of [this.sender, this.node]) spawnSync("ip", ["netns", "del", ns]);
  }
}

function run(args: string[], input?: string): string {
  const r = spawnSync(args[0], args.slice(1), { encoding: "utf8", input });
  if (r.status !== 0) throw new Error(`${args.join(" ")}: ${r.stderr || r.stdout}`);
  return r.stdout;
}
