import { IConstruct } from "constructs";
import { DefaultTokenResolver, Fn, StringConcat, Token, Tokenization } from "../../cdktf";
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

  /** Whether `ref` has a token bound (i.e. belongs to this renderer's VPC). */
  binds(ref: PrefixReference): boolean {
    return this.bound.has(ref.name);
  }

  reference(ref: PrefixReference): string {
    const token = this.bound.get(ref.name);
    if (token === undefined) throw new Error(`internal: prefix reference ${ref.name} has no token bound`);
    return token;
  }

  cidrsubnet(prefix: string, newBits: number, netNum: number): string {
    return this.once(`cidrsubnet\n${prefix}\n${newBits}\n${netNum}`, () => Fn.cidrsubnet(prefix, newBits, netNum));
  }

  cidrhost(prefix: string, hostNum: number): string {
    return this.once(`cidrhost\n${prefix}\n${hostNum}`, () => Fn.cidrhost(prefix, hostNum));
  }

  /** Each expression's token, made once: a token resolves alike wherever it is used. */
  private readonly made = new Map<string, string>();
  private once(key: string, make: () => string): string {
    let token = this.made.get(key);
    if (token === undefined) this.made.set(key, (token = make()));
    return token;
  }
}

/** What a token stands for in Terraform (e.g. `${aws_network_interface.x.id}`), for comparing references. */
export function resolveToken(scope: IConstruct, value: string): unknown {
  return Tokenization.resolve(value, { scope, resolver: new DefaultTokenResolver(new StringConcat()) });
}

/**
 * A literal string for a Terraform argument: `${` and `%{` would otherwise start a template
 * interpolation or directive (shell scripts are full of `${VAR}`). Only for text without tokens.
 */
export function terraformLiteral(text: string): string {
  if (Token.isUnresolved(text)) throw new Error("internal: terraformLiteral() takes text without tokens");
  return text.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}
