import { SymbolicIpv6Address } from "../../plan/address/symbolic";
import { VpcAddressPlan } from "../../plan/address/vpc-plan";
import { Nat64Plan } from "../../plan/nat64/nat64-plan";
import { Port } from "../../plan/ports";
import { IngressRuleSpec } from "../../plan/security-groups";
import { TranslationPlan } from "../../plan/siit/translation-plan";

/**
 * What the packet lab needs from a synthesized topology: plan objects and plain data only. The
 * runner (lib/lab/extract.ts) reads it from the constructs' public properties; tests may build it
 * by hand. Nothing here knows what a construct is.
 */
export interface LabInput {
  /** Stack name, for messages. */
  readonly stack: string;
  readonly vpc: LabVpcInput;
  readonly translatorSets: readonly LabTranslatorSetInput[];
  readonly fleets: readonly LabFleetInput[];
  readonly nat64?: LabNat64Input;
  /** Parts of the stack the lab leaves out on purpose (printed as notes), e.g. autoscaled fleets. */
  readonly outOfScope: readonly string[];
  /** Parts of the stack the extraction found but cannot express for the lab (reported by name). */
  readonly cannotEmulate: readonly CannotEmulate[];
  /**
   * Prefix references whose value is known from outside the plan, e.g. the VPC's /56 as a platform
   * manifest states it (a team's app uses it literally, so the lab must too).
   * @default - none: every reference is bound to a documentation prefix
   */
  readonly bindings?: readonly LabBindingInput[];
}

/** A prefix reference with a known value. */
export interface LabBindingInput {
  /** The reference's name (PrefixReference.name). */
  readonly reference: string;
  /** Its value, e.g. `2a05:d016:abc:de00::/56`. */
  readonly prefix: string;
  /** Where the value comes from, for the printed substitution. */
  readonly source: string;
}

/** A feature of the topology with no stand-in in the lab: the lab refuses to run and says so. */
export interface CannotEmulate {
  /** What, by name: construct path, translator, Jool key, route. */
  readonly subject: string;
  readonly reason: string;
}

export interface LabVpcInput {
  readonly path: string;
  readonly plan: VpcAddressPlan;
  /** Every subnet's route table, as the constructs built it. */
  readonly routeTables: readonly LabRouteTableInput[];
}

export interface LabRouteTableInput {
  /** `<tier>-<zone>`, e.g. `servers-eu-north-1a`. */
  readonly subnet: string;
  readonly tier: string;
  readonly zone: string;
  readonly kind: "edge" | "server";
  readonly routes: readonly LabRouteInput[];
}

export interface LabRouteInput {
  /** Construct path of the route, for messages. */
  readonly path: string;
  readonly family: "ipv4" | "ipv6";
  /** Literal destination prefix. */
  readonly destination: string;
  readonly target: LabRouteTarget;
}

export type LabRouteTarget =
  | { readonly kind: "translator"; readonly set: string; readonly id: string }
  | { readonly kind: "nat64"; readonly zone: string }
  | { readonly kind: "internet-gateway" }
  | { readonly kind: "egress-only-internet-gateway" }
  | { readonly kind: "unknown"; readonly text: string };

export interface LabTranslatorSetInput {
  /** Construct path, e.g. `reference/Edge`. */
  readonly path: string;
  readonly plan: TranslationPlan;
  /** Construct path of the translators' security group. */
  readonly securityGroup: string;
  /**
   * The set's service teams whose stacks the lab reads too (each team's side of the plan, and its
   * group on every translator interface). The lab runs each translator on the merge of the
   * platform's plan and every team's, as the config agent merges the team fragments.
   * @default - none: the platform's plan alone
   */
  readonly teams?: readonly LabTeamInput[];
}

/** One service team of a translator set, as the lab reads it from the team's stack. */
export interface LabTeamInput {
  /** The team's name. */
  readonly name: string;
  /** Construct path of the team's construct (SiitDcTeam), for messages. */
  readonly path: string;
  /** The team's side of the plan: its services and their addresses (translators matched by id). */
  readonly plan: TranslationPlan;
  /** Construct path of the team's security group on the translators (the platform made it). */
  readonly securityGroup: string;
  /** Inbound rules of that group, as the team's stack creates them. */
  readonly rules: readonly IngressRuleSpec[];
}

export interface LabFleetInput {
  readonly path: string;
  /** Construct path of the fleet's security group. */
  readonly securityGroup: string;
  /** Servers, each with the rules of its own group (what its published services opened). */
  readonly servers: readonly { readonly index: number; readonly zone: string; readonly address: SymbolicIpv6Address; readonly rules?: readonly LabFleetRuleInput[] }[];
  /** Inbound rules of the fleet's group added with allowInbound (the ICMPv6 packet-too-big rule always exists). */
  readonly rules: readonly LabFleetRuleInput[];
}

export interface LabFleetRuleInput {
  readonly port: Port;
  readonly description: string;
  readonly source: LabRuleSource;
}

export type LabRuleSource =
  | { readonly kind: "cidr"; readonly cidr: string }
  /** A managed prefix list; `set` names the translator set whose prefixes it lists, when it is one. */
  | { readonly kind: "prefix-list"; readonly name: string; readonly set?: string; readonly entries: readonly string[] }
  | { readonly kind: "unknown"; readonly text: string };

export interface LabNat64Input {
  readonly path: string;
  readonly plan: Nat64Plan;
  readonly provider: "nat-gateway" | "jool-instance";
  /** Construct path of the NAT64 instances' security group (Jool instances only). */
  readonly securityGroup?: string;
  readonly devices: readonly LabNat64DeviceInput[];
}

export interface LabNat64DeviceInput {
  readonly zone: string;
  /** The private IPv4 of a Jool instance's interface; NAT gateways pick theirs at apply. */
  readonly ipv4?: string;
  /** The complete Jool NAT64 file a Jool instance gets. */
  readonly joolFile?: string;
}

/**
 * Breaks in the lab's copy of the plan, for tests that show a broken plan fails with a message
 * naming the service, the address and the hop. Never used by `npm run lab`.
 */
export type LabFault =
  /** Drops one EAM entry (the service's, on that translator) from the converted tayga config and the Jool file. */
  | { readonly kind: "drop-eam"; readonly translator: string; readonly service: string }
  /** Sets a global of a translator's Jool file (real Jool only), e.g. `lowest-ipv6-mtu`. */
  | { readonly kind: "jool-global"; readonly translator: string; readonly name: string; readonly value: string | number | boolean }
  /** Puts the whole VPC IPv4 block back into a translator's denylist4 (no hairpin exception; real Jool only). */
  | { readonly kind: "deny-vpc"; readonly translator: string }
  /** Removes the route of a translator's /96 from server route tables (all, or one subnet). */
  | { readonly kind: "drop-route"; readonly translator: string; readonly subnet?: string }
  /** Points a translator's /96 at another translator in server route tables. */
  | { readonly kind: "misroute"; readonly translator: string; readonly to: string; readonly subnet?: string }
  /** Removes fleet security group rules for a port (`tcp/80`), from one source kind or all. */
  | { readonly kind: "drop-server-rule"; readonly port: string; readonly source?: "prefix-list" | "cidr" };
