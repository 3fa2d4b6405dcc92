/**
 * The pinned price table of `siit-dc cost`: on-demand list prices in USD, one region. The command
 * never fetches prices (no network at run time); it states this table's region, date and sources
 * beside every estimate. Prices were transcribed from the AWS pricing pages below; they were not
 * re-checked on the machine that built this package, which has no route to them: check the
 * sources before relying on a figure.
 */
export interface PriceTable {
  /** The region whose prices these are. */
  readonly region: string;
  /** When the prices were transcribed (ISO date). */
  readonly date: string;
  /** The AWS pricing pages the prices come from. */
  readonly sources: readonly string[];
  /** Hours in a month for monthly figures (AWS uses 730). */
  readonly hoursPerMonth: number;
  /** Per public IPv4 address (EIP, or a load balancer's per-zone address) and hour. */
  readonly publicIpv4PerHour: number;
  /** Per NAT gateway and hour. */
  readonly natGatewayPerHour: number;
  /** Per GB a NAT gateway processes. */
  readonly natGatewayPerGb: number;
  /** Per Network Load Balancer and hour. */
  readonly networkLoadBalancerPerHour: number;
  /** Per NLCU-hour; one NLCU carries 1 GB per hour of TCP traffic, so about this much per GB. */
  readonly networkLoadBalancerPerLcuHour: number;
  /** Per GiB-month of gp3 storage. */
  readonly gp3PerGbMonth: number;
  /** On-demand Linux, per hour. */
  readonly instancePerHour: Readonly<Record<string, number>>;
}

/** The pinned table: us-east-1 on-demand list prices. */
export const PRICES: PriceTable = {
  region: "us-east-1",
  date: "2025-06-01",
  sources: [
    "https://aws.amazon.com/vpc/pricing/ (public IPv4 addresses, NAT gateways)",
    "https://aws.amazon.com/ec2/pricing/on-demand/ (instances, Linux)",
    "https://aws.amazon.com/ebs/pricing/ (gp3 storage)",
    "https://aws.amazon.com/elasticloadbalancing/pricing/ (Network Load Balancer)",
  ],
  hoursPerMonth: 730,
  publicIpv4PerHour: 0.005,
  natGatewayPerHour: 0.045,
  natGatewayPerGb: 0.045,
  networkLoadBalancerPerHour: 0.0225,
  networkLoadBalancerPerLcuHour: 0.006,
  gp3PerGbMonth: 0.08,
  instancePerHour: {
    "t4g.nano": 0.0042,
    "t4g.micro": 0.0084,
    "t4g.small": 0.0168,
    "t4g.medium": 0.0336,
    "t4g.large": 0.0672,
    "t3.micro": 0.0104,
    "t3.small": 0.0208,
    "t3.medium": 0.0416,
    "c7g.medium": 0.0363,
    "c7g.large": 0.0725,
    "c7g.xlarge": 0.145,
    "c7gn.medium": 0.0624,
    "c7gn.large": 0.1248,
    "c7gn.xlarge": 0.2496,
    "c6gn.medium": 0.0432,
    "c6gn.large": 0.0864,
    "m7g.medium": 0.0408,
    "m7g.large": 0.0816,
    "c7i.large": 0.08925,
    "m7i.large": 0.1008,
  },
};
