import { RouteConfig } from "@cdktf/provider-aws/lib/route";

/** Where a route sends its traffic. */
export class RouteTarget {
  /** A network interface, e.g. a translator's or a NAT64 instance's persistent ENI. */
  static networkInterface(networkInterfaceId: string): RouteTarget {
    return new RouteTarget("network interface", { networkInterfaceId });
  }

  /** A NAT gateway (AWS NAT gateways translate 64:ff9b::/96 to IPv4: NAT64). */
  static natGateway(natGatewayId: string): RouteTarget {
    return new RouteTarget("NAT gateway", { natGatewayId });
  }

  /** An internet gateway. */
  static internetGateway(gatewayId: string): RouteTarget {
    return new RouteTarget("internet gateway", { gatewayId });
  }

  /** An egress-only internet gateway (IPv6 outbound only). */
  static egressOnlyInternetGateway(egressOnlyGatewayId: string): RouteTarget {
    return new RouteTarget("egress-only internet gateway", { egressOnlyGatewayId });
  }

  private constructor(
    /** Kind of target, for messages and reports. */
    public readonly kind: string,
    private readonly fields: Pick<RouteConfig, "networkInterfaceId" | "natGatewayId" | "gatewayId" | "egressOnlyGatewayId">,
  ) {}

  /** The route fields that select this target. */
  routeFields(): Pick<RouteConfig, "networkInterfaceId" | "natGatewayId" | "gatewayId" | "egressOnlyGatewayId"> {
    return { ...this.fields };
  }
}
