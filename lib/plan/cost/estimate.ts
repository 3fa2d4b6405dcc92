import { blocks, isTrue, StackView, TerraformJson } from "../policy/stack-view";
import { PRICES, PriceTable } from "./prices";

/**
 * `siit-dc cost`: a monthly estimate of a synthesized stack (instances by type, EBS, public IPv4
 * addresses, NAT gateways and load balancers, read from its Terraform JSON) beside two
 * alternatives serving the same services without translators:
 * - "NAT gateways, dual-stack servers": each service's server holds one public IPv4 address of
 *   its own (one zone, as a server lives in one), servers reach IPv4 through a NAT gateway per
 *   zone; translators and the NAT64 go.
 * - "a load balancer per service": an internet-facing Network Load Balancer per service in the
 *   zones the service has addresses in (one public IPv4 per zone); translators go, the NAT64 stays.
 * Internet data transfer is the same for all three and left out; per-GB charges of NAT gateways
 * and load balancers are priced from the data amounts given.
 */

/** Which resources of the stack play which role: what the two alternatives remove or keep. */
export interface CostRoles {
  /** Terraform addresses (`aws_instance.x`) of the translators' instances. */
  readonly translatorInstances: readonly string[];
  /** Terraform addresses of the NAT64's Jool instances. */
  readonly nat64Instances: readonly string[];
  /** Terraform addresses of the NAT64's NAT gateways. */
  readonly nat64NatGateways: readonly string[];
  /** EIPs of service addresses (including reserved, declared ones). */
  readonly serviceEips: readonly string[];
  /** Terraform addresses of the NAT64 devices' EIPs. */
  readonly nat64Eips: readonly string[];
}

/** What `estimateCost` prices: a synthesized stack, the roles of its resources, and traffic amounts. */
export interface CostInput {
  /** The stack's name. */
  readonly stack: string;
  /** The stack's synthesized Terraform JSON. */
  readonly json: TerraformJson;
  /** Which resources the alternatives replace. */
  readonly roles: CostRoles;
  /** Published services and how many zones each has an address in. */
  readonly services: readonly {
    /** The service's name. */
    readonly name: string;
    /** How many zones it has a public address in (the load-balancer alternative's public IPv4 addresses per balancer). */
    readonly zones: number;
  }[];
  /** Zones that hold servers (one NAT gateway each in the first alternative). */
  readonly serverZones: number;
  /** GB a month that servers send and receive through the NAT64 / a NAT gateway. */
  readonly outboundGb: number;
  /** GB a month of service traffic (both directions) that a load balancer would process. */
  readonly inboundGb: number;
  /**
   * Prices of instance types missing from the table (or overriding it), USD per hour, by type.
   * @default - none: an instance type missing from the table is a CostError
   */
  readonly extraInstancePrices?: Readonly<Record<string, number>>;
  /**
   * The price table.
   * @default PRICES
   */
  readonly prices?: PriceTable;
}

/** One line item of an estimate: quantity times unit price gives the monthly amount (before rounding). */
export interface CostLine {
  /** What is charged, e.g. `c7gn.medium instances`. */
  readonly item: string;
  /** How many units. */
  readonly quantity: number;
  /** The unit, e.g. `instance-month`, `GB`. */
  readonly unit: string;
  /** USD per unit (rounded to 6 decimal places). */
  readonly unitPrice: number;
  /** USD a month (rounded to cents). */
  readonly monthly: number;
}

/** The monthly cost of one design, line by line. */
export interface CostEstimate {
  /** The design, e.g. `a load balancer per service`. */
  readonly name: string;
  /** Its line items. */
  readonly lines: readonly CostLine[];
  /** USD a month, the sum of the lines (rounded to cents). */
  readonly monthly: number;
}

/** The result of `estimateCost`: the stack as synthesized and its two alternatives, with the prices and assumptions used. */
export interface CostReport {
  /** The stack's name. */
  readonly stack: string;
  /**
   * The region of the stack's AWS provider, e.g. `eu-north-1`.
   * @default - absent when no AWS provider of the stack states a region
   */
  readonly region?: string;
  /** The region of the price table, e.g. `us-east-1`. */
  readonly priceRegion: string;
  /** When the table's prices were transcribed. */
  readonly priceDate: string;
  /** The pricing pages the table comes from. */
  readonly sources: readonly string[];
  /** Hours in the month the estimate prices. */
  readonly hoursPerMonth: number;
  /** What the estimate assumes, in words. */
  readonly assumptions: readonly string[];
  /** As synthesized, then the NAT-gateway and the load-balancer alternative. */
  readonly estimates: readonly CostEstimate[];
}

/** A stack the estimate cannot price (an instance type missing from the table). */
export class CostError extends Error {}

/** Assumed root volume size when a launch template leaves it to the image (Debian 12 AMIs: 8 GiB). */
export const DEFAULT_ROOT_GIB = 8;

interface InstanceUse {
  readonly address: string;
  readonly type: string;
  readonly count: number;
  readonly ebsGib: number;
  readonly ebsAssumed: boolean;
}

const round = (n: number) => Math.round(n * 100) / 100;

/** The estimate of a synthesized stack and of the two alternatives (see above). */
export function estimateCost(input: CostInput): CostReport {
  const p = input.prices ?? PRICES;
  const view = new StackView(input.json);
  const assumptions: string[] = [];
  const instances = instanceUses(view);
  if (instances.some((i) => i.ebsAssumed)) assumptions.push(`root volumes that take the image's size are counted as ${DEFAULT_ROOT_GIB} GiB gp3 (Debian 12 AMIs)`);
  const price = (type: string) => {
    const v = input.extraInstancePrices?.[type] ?? p.instancePerHour[type];
    if (v === undefined) {
      throw new CostError(`instance type ${type} is not in the price table (${p.region}, ${p.date}); give its hourly price, e.g. --price ${type}=0.05 (USD per hour, from https://aws.amazon.com/ec2/pricing/on-demand/)`);
    }
    return v;
  };
  const H = p.hoursPerMonth;
  const eips = view.resources("aws_eip").map((r) => r.address);
  const natGateways = view.resources("aws_nat_gateway").map((r) => r.address);
  const loadBalancers = view.resources("aws_lb").filter((r) => !isTrue(r.config.internal));
  const volumes = view.resources("aws_ebs_volume").reduce((n, r) => n + Number(r.config.size ?? 0), 0);
  if (view.resources("aws_imagebuilder_image").length || view.resources("aws_imagebuilder_image_pipeline").length) {
    assumptions.push("image builds (EC2 Image Builder) run briefly per build and are not counted");
  }
  assumptions.push("internet data transfer is the same for every design and not counted");

  const instanceLines = (uses: readonly InstanceUse[]): CostLine[] => {
    const byType = new Map<string, number>();
    for (const u of uses) byType.set(u.type, (byType.get(u.type) ?? 0) + u.count);
    return [...byType]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([type, n]) => ({ item: `${type} instances`, quantity: n, unit: "instance-month", unitPrice: price(type) * H, monthly: n * price(type) * H }));
  };
  const ebsLine = (uses: readonly InstanceUse[]): CostLine[] => {
    const gib = uses.reduce((n, u) => n + u.count * u.ebsGib, 0) + volumes;
    return gib ? [{ item: "EBS gp3 volumes", quantity: gib, unit: "GiB-month", unitPrice: p.gp3PerGbMonth, monthly: gib * p.gp3PerGbMonth }] : [];
  };
  const ipv4Line = (n: number, what: string): CostLine[] => (n ? [{ item: `public IPv4 addresses (${what})`, quantity: n, unit: "address-month", unitPrice: p.publicIpv4PerHour * H, monthly: n * p.publicIpv4PerHour * H }] : []);
  const natLines = (n: number): CostLine[] =>
    n
      ? [
          { item: "NAT gateways", quantity: n, unit: "gateway-month", unitPrice: p.natGatewayPerHour * H, monthly: n * p.natGatewayPerHour * H },
          { item: "NAT gateway data processed", quantity: input.outboundGb, unit: "GB", unitPrice: p.natGatewayPerGb, monthly: input.outboundGb * p.natGatewayPerGb },
        ]
      : [];
  const lbLines = (n: number, gb: number, what: string): CostLine[] =>
    n
      ? [
          { item: `Network Load Balancers (${what})`, quantity: n, unit: "balancer-month", unitPrice: p.networkLoadBalancerPerHour * H, monthly: n * p.networkLoadBalancerPerHour * H },
          { item: "load balancer capacity units (1 NLCU per GB processed in an hour)", quantity: gb, unit: "NLCU-hour", unitPrice: p.networkLoadBalancerPerLcuHour, monthly: gb * p.networkLoadBalancerPerLcuHour },
        ]
      : [];
  const estimate = (name: string, lines: CostLine[]): CostEstimate => {
    const rounded = lines.map((l) => ({ ...l, unitPrice: round(l.unitPrice * 1e4) / 1e4, monthly: round(l.monthly) }));
    return { name, lines: rounded, monthly: round(lines.reduce((n, l) => n + l.monthly, 0)) };
  };

  const without = (uses: readonly InstanceUse[], addresses: readonly string[]) => uses.filter((u) => !addresses.includes(u.address));
  const otherEips = eips.filter((e) => !input.roles.serviceEips.includes(e) && !input.roles.nat64Eips.includes(e)).length;
  const addressZones = input.services.reduce((n, s) => n + s.zones, 0);

  const ours = estimate("as synthesized (SIIT-DC translators, NAT64)", [
    ...instanceLines(instances),
    ...ebsLine(instances),
    ...ipv4Line(eips.length, "EIPs"),
    ...natLines(natGateways.length),
    ...lbLines(loadBalancers.length, 0, "of the stack"),
  ]);
  const nonTranslator = without(instances, input.roles.translatorInstances);
  const dualStack = without(nonTranslator, input.roles.nat64Instances);
  const natAlternative = estimate("NAT gateways, dual-stack servers", [
    ...instanceLines(dualStack),
    ...ebsLine(dualStack),
    ...ipv4Line(input.services.length + input.serverZones + otherEips, "one per service server, one per NAT gateway"),
    ...natLines(natGateways.length - input.roles.nat64NatGateways.length + input.serverZones),
  ]);
  const lbAlternative = estimate("a load balancer per service", [
    ...instanceLines(nonTranslator),
    ...ebsLine(nonTranslator),
    ...ipv4Line(eips.length - input.roles.serviceEips.length + addressZones, "one per balancer and zone, NAT64"),
    ...natLines(natGateways.length),
    ...lbLines(input.services.length, input.inboundGb, "one per service"),
  ]);
  const providers = blocks((input.json.provider as Record<string, unknown> | undefined)?.aws);
  const region = providers.map((b) => b.region).find((r): r is string => typeof r === "string");
  if (region && region !== p.region) assumptions.unshift(`prices are the table's ${p.region} prices: it has none for the stack's region ${region}`);
  return { stack: input.stack, region, priceRegion: p.region, priceDate: p.date, sources: p.sources, hoursPerMonth: H, assumptions, estimates: [ours, natAlternative, lbAlternative] };
}

/** Instances (aws_instance) and autoscaling groups (desired capacity) with type and root volume. */
function instanceUses(view: StackView): InstanceUse[] {
  const template = (value: unknown) => {
    const lt = blocks(value)[0];
    return lt ? view.target(lt.id, "aws_launch_template") : undefined;
  };
  const root = (t: ReturnType<typeof template>, own?: unknown): { gib: number; assumed: boolean } => {
    const ownSize = blocks(own)[0]?.volume_size;
    if (ownSize !== undefined) return { gib: Number(ownSize), assumed: false };
    const size = blocks(t?.config.block_device_mappings)
      .map((m) => blocks(m.ebs)[0]?.volume_size)
      .find((s) => s !== undefined);
    return size === undefined ? { gib: DEFAULT_ROOT_GIB, assumed: true } : { gib: Number(size), assumed: false };
  };
  const uses: InstanceUse[] = [];
  for (const r of view.resources("aws_instance")) {
    const t = template(r.config.launch_template);
    const type = String(r.config.instance_type ?? t?.config.instance_type ?? "(none)");
    const v = root(t, r.config.root_block_device);
    uses.push({ address: r.address, type, count: 1, ebsGib: v.gib, ebsAssumed: v.assumed });
  }
  for (const r of view.resources("aws_autoscaling_group")) {
    const t = template(r.config.launch_template);
    const type = String(t?.config.instance_type ?? "(none)");
    const v = root(t);
    uses.push({ address: r.address, type, count: Number(r.config.desired_capacity ?? r.config.min_size ?? 0), ebsGib: v.gib, ebsAssumed: v.assumed });
  }
  return uses;
}

const usd = (n: number) => `$${n.toFixed(2)}`;

/** The estimate as Markdown. */
export function renderCostReport(r: CostReport): string {
  const lines = [
    `# Monthly cost estimate: stack ${r.stack}`,
    "",
    `Prices: ${r.priceRegion}, on-demand list prices of ${r.priceDate}, ${r.hoursPerMonth} hours a month (pinned in the package, not fetched).${r.region ? ` Stack region: ${r.region}.` : ""}`,
    "",
    ...r.sources.map((s) => `- ${s}`),
    "",
    ...r.assumptions.map((a) => `Assumed: ${a}.`),
    "",
    "| design | monthly |",
    "|---|---|",
    ...r.estimates.map((e) => `| ${e.name} | ${usd(e.monthly)} |`),
  ];
  for (const e of r.estimates) {
    lines.push("", `## ${e.name}: ${usd(e.monthly)}`, "", "| item | quantity | unit | unit price | monthly |", "|---|---|---|---|---|");
    for (const l of e.lines) lines.push(`| ${l.item} | ${l.quantity} | ${l.unit} | $${l.unitPrice} | ${usd(l.monthly)} |`);
  }
  return lines.join("\n") + "\n";
}
