import { Fn } from "../../cdktf";
import { ExpressionRenderer, PrefixReference } from "../../plan/address/symbolic";

/**
 * Renders symbolic plan addresses as cdktf tokens: references become resource attributes and
 * carving becomes `cidrsubnet`/`cidrhost` calls, evaluated by Terraform at apply time.
 */
export class TokenRenderer implements ExpressionRenderer {
  private readonly bound = new Map<string, string>();

  /** Declares which token stands for a prefix reference (e.g. `aws_vpc.ipv6_cidr_block`). */
  bind(ref: PrefixReference, token: string): void {
    this.bound.set(ref.name, token);
  }

  reference(ref: PrefixReference): string {
    const token = this.bound.get(ref.name);
    if (token === undefined) throw new Error(`internal: prefix reference ${ref.name} has no token bound`);
    return token;
  }

  cidrsubnet(prefix: string, newBits: number, netNum: number): string {
    return Fn.cidrsubnet(prefix, newBits, netNum);
  }

  cidrhost(prefix: string, hostNum: number): string {
    return Fn.cidrhost(prefix, hostNum);
  }
}
