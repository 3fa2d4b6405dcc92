import { IConstruct } from "constructs";
import { DefaultTokenResolver, Fn, StringConcat, TerraformStack, Token, Tokenization } from "../../cdktf";
import { ExpressionRenderer, HCL_RENDERER, PrefixReference } from "../../plan/address/symbolic";

/**
 * Renders symbolic plan addresses as cdktf tokens: references become resource attributes and
 * carving becomes `cidrsubnet`/`cidrhost` calls, evaluated by Terraform at apply time.
 */
export class TokenRenderer implements ExpressionRenderer {
  private readonly bound = new Map<string, string>();

  /** @param owner the construct (a VPC) whose resources' attributes the bound tokens reference */
  constructor(private readonly owner: IConstruct) {}

  /** Whether texts rendered for `scope` are in this renderer's own stack. */
  sameStack(scope: IConstruct): boolean {
    return TerraformStack.of(scope) === TerraformStack.of(this.owner);
  }

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

/** Marks a reference that is not one plain resource attribute (it keeps its token). */
const NOT_PLAIN = "\u0000not a plain reference\u0000";

/**
 * Renders addresses as finished Terraform interpolations (`${cidrhost(...)}`), the text cdktf
 * would make of the renderer's tokens, without making any: for long texts such as a translator's
 * configuration object, which cdktf would otherwise scan character by character in each of its
 * resolve passes (about 90 µs per address in a 13 KB object), and where every token would cost a
 * stack trace. A string without tokens passes through cdktf untouched. In another stack than
 * the renderer's, addresses stay tokens (cdktf must see a reference to export it).
 */
export function interpolatingRenderer(scope: IConstruct, renderer: TokenRenderer): (address: { render(renderer: ExpressionRenderer): string }) => string {
  if (!renderer.sameStack(scope)) return (address) => address.render(renderer);
  const references = new Map<string, string>();
  let referenced = false;
  const text: ExpressionRenderer = {
    ...HCL_RENDERER,
    reference: (ref) => {
      referenced = true;
      let expression = references.get(ref.name);
      if (expression === undefined) {
        const resolved = String(resolveToken(scope, renderer.reference(ref)));
        // Anything but one plain reference (`${aws_vpc.x.ipv6_cidr_block}`) keeps its token.
        expression = /^\$\{[^${}"]+\}$/.test(resolved) ? resolved.slice(2, -1) : NOT_PLAIN;
        references.set(ref.name, expression);
      }
      return expression;
    },
  };
  return (address) => {
    referenced = false;
    const rendered = address.render(text);
    if (rendered.includes(NOT_PLAIN)) return address.render(renderer);
    // A literal renders as itself, without the renderer; an expression needs the interpolation.
    return referenced ? `\${${rendered}}` : rendered;
  };
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
