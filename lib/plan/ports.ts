import { fail, Origin } from "./errors";

/** Transport protocols a published service may carry through SIIT. */
export const PROTOCOLS = ["tcp", "udp", "icmp"] as const;
/** A transport protocol a published service may carry. */
export type Protocol = (typeof PROTOCOLS)[number];

/**
 * A port (or port range) of a published service. Values are checked when the port is used, so
 * the message can name the construct path: `Port.tcp(70000)` fails at `publish`, not here.
 */
export class Port {
  /** One TCP port, e.g. `Port.tcp(443)`. */
  static tcp(port: number): Port {
    return new Port("tcp", port, port);
  }

  /** One UDP port, e.g. `Port.udp(53)`. */
  static udp(port: number): Port {
    return new Port("udp", port, port);
  }

  /** TCP ports `fromPort` to `toPort`, both included. */
  static tcpRange(fromPort: number, toPort: number): Port {
    return new Port("tcp", fromPort, toPort);
  }

  /** UDP ports `fromPort` to `toPort`, both included. */
  static udpRange(fromPort: number, toPort: number): Port {
    return new Port("udp", fromPort, toPort);
  }

  /** ICMP echo (ping): ICMPv4 echo on the public address, ICMPv6 echo on the server. */
  static icmpEcho(): Port {
    return new Port("icmp", -1, -1);
  }

  /** From configuration text; the protocol is checked like the numbers. */
  static of(protocol: string, fromPort: number, toPort: number = fromPort): Port {
    return new Port(protocol, fromPort, toPort);
  }

  private constructor(
    /** `tcp`, `udp` or `icmp`. */
    public readonly protocol: string,
    /** First port of the range (-1 for ICMP echo). */
    public readonly fromPort: number,
    /** Last port of the range (-1 for ICMP echo). */
    public readonly toPort: number,
  ) {}

  /** Throws a PlanError naming `origin` if the protocol or range is invalid. */
  check(origin: Origin): this {
    if (!(PROTOCOLS as readonly string[]).includes(this.protocol)) {
      fail(origin, this.protocol, "is not a protocol SIIT translates for a published service", `use one of ${PROTOCOLS.join(", ")}`);
    }
    if (this.protocol === "icmp") return this;
    for (const p of [this.fromPort, this.toPort]) {
      if (typeof p !== "number") fail(origin, p, `is ${p === null ? "null" : Array.isArray(p) ? "a list" : `a ${typeof p}`}, not a port number`, `give a whole number from 1 to 65535, e.g. Port.${this.protocol}(443)`);
      if (!Number.isInteger(p) || p < 1 || p > 65535) fail(origin, `${this.protocol}/${p}`, "ports run from 1 to 65535", "use a port between 1 and 65535");
    }
    if (this.fromPort > this.toPort) fail(origin, this.toString(), "the range ends before it starts", "give the lower port first");
    return this;
  }

  /** `tcp/443`, `udp/1000-2000`, `icmp/echo`. */
  toString(): string {
    if (this.protocol === "icmp") return "icmp/echo";
    return this.fromPort === this.toPort ? `${this.protocol}/${this.fromPort}` : `${this.protocol}/${this.fromPort}-${this.toPort}`;
  }
}
