import * as http from "http";
import { AddressInfo } from "net";

/**
 * A loopback EC2 API that keeps state for the address-carrying resources (network interfaces,
 * Elastic IPs and their associations), so the real AWS provider can run `terraform apply`
 * offline, and that records every call. It follows the EC2 API reference where it matters for
 * public addresses:
 * - an EIP can only be associated with a private IPv4 address assigned to the interface
 *   (AssociateAddress fails otherwise, as on AWS);
 * - unassigning a secondary private IPv4 address disassociates the EIP bound to it (EC2 User
 *   Guide, "Multiple IP addresses": "If the secondary private IPv4 address is associated with an
 *   Elastic IP address, the Elastic IP address is disassociated"); the fake records that as an
 *   implicit disassociation, since the provider never sees it;
 * - the primary private IPv4 address of an interface cannot be unassigned;
 * - IPv4 prefix delegation (EC2 User Guide, "Assign prefixes to Amazon EC2 network interfaces",
 *   awsdocs/amazon-ec2-user-guide doc_source/ec2-prefix-eni.md): an interface holds explicit
 *   /28 prefixes (CreateNetworkInterface `Ipv4Prefix.N.Ipv4Prefix`, AssignPrivateIpAddresses and
 *   UnassignPrivateIpAddresses `Ipv4Prefix.N`, DescribeNetworkInterfaces `ipv4PrefixSet`), and
 *   "you can also assign an Elastic IP address to the IP address part of the assigned prefix":
 *   AssociateAddress accepts any address inside a delegated prefix. A prefix overlapping an
 *   address of the interface (or a secondary address inside a prefix) is refused. Unassigning a
 *   prefix disassociates the EIPs on its addresses, recorded as implicit: an ASSUMPTION (the
 *   guide does not say; it is what EC2 does for a secondary address, and the safe reading for a
 *   durability test, since the provider never sees it either way).
 * Anything else is answered with an error and recorded, so a test sees a request it cannot
 * answer truthfully instead of a made-up success.
 */

export interface Ec2Call {
  readonly action: string;
  readonly params: Record<string, string>;
  /** Milliseconds since the fake started. */
  readonly at: number;
}

/** What happened to an address, in order: the evidence a durability test asserts on. */
export type AddressEvent =
  | { kind: "assign"; eni: string; ip: string }
  | { kind: "unassign"; eni: string; ip: string }
  | { kind: "assign-ipv6"; eni: string; ip: string }
  | { kind: "unassign-ipv6"; eni: string; ip: string }
  | { kind: "assign-prefix"; eni: string; prefix: string }
  | { kind: "unassign-prefix"; eni: string; prefix: string }
  | { kind: "associate"; allocationId: string; eni: string; ip: string }
  | { kind: "disassociate"; allocationId: string; eni: string; ip: string; implicit: boolean }
  | { kind: "allocate"; allocationId: string; publicIp: string }
  | { kind: "release"; allocationId: string; publicIp: string }
  | { kind: "delete-eni"; eni: string };

interface Eni {
  id: string;
  subnetId: string;
  description: string;
  sourceDestCheck: boolean;
  groups: string[];
  privateIps: { ip: string; primary: boolean }[];
  /** Delegated IPv4 prefixes (CIDR strings), in the order assigned. */
  prefixes: string[];
  ipv6: string[];
  tags: Map<string, string>;
}

interface Address {
  allocationId: string;
  publicIp: string;
  tags: Map<string, string>;
  association?: { id: string; eni: string; ip: string };
}

const NS = 'xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"';

export class FakeEc2 {
  readonly calls: Ec2Call[] = [];
  readonly events: AddressEvent[] = [];
  readonly refused: string[] = [];
  readonly enis = new Map<string, Eni>();
  readonly addresses = new Map<string, Address>();
  private counter = 0;
  private readonly started = Date.now();
  private server?: http.Server;

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        const params = Object.fromEntries(new URLSearchParams(body).entries());
        const action = params.Action ?? "?";
        this.calls.push({ action, params, at: Date.now() - this.started });
        let status = 200;
        let reply: string;
        try {
          reply = this.answer(action, params);
        } catch (e) {
          status = 400;
          const [code, message] = e instanceof Ec2Error ? [e.code, e.message] : ["UnsupportedOperation", String(e)];
          if (!(e instanceof Ec2Error)) this.refused.push(`${action}: ${body}`);
          reply = `<Response><Errors><Error><Code>${code}</Code><Message>${escape(message)}</Message></Error></Errors><RequestID>fake</RequestID></Response>`;
        }
        res.writeHead(status, { "Content-Type": "text/xml" });
        res.end(reply);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Calls of one action, optionally since a mark (an index into `calls`). */
  callsOf(action: string, since = 0): Ec2Call[] {
    return this.calls.slice(since).filter((c) => c.action === action);
  }

  private answer(action: string, p: Record<string, string>): string {
    switch (action) {
      case "CreateNetworkInterface":
        return this.createNetworkInterface(p);
      case "DescribeNetworkInterfaces": {
        const ids = listOf(p, "NetworkInterfaceId").concat(filterValues(p, "network-interface-id"));
        const found = ids.map((id) => this.enis.get(id)).filter((e): e is Eni => !!e);
        if (ids.length && !found.length && listOf(p, "NetworkInterfaceId").length) throw new Ec2Error("InvalidNetworkInterfaceID.NotFound", `The networkInterface ID '${ids[0]}' does not exist`);
        return `<DescribeNetworkInterfacesResponse ${NS}><requestId>fake</requestId><networkInterfaceSet>${found.map((e) => `<item>${this.eniXml(e)}</item>`).join("")}</networkInterfaceSet></DescribeNetworkInterfacesResponse>`;
      }
      case "ModifyNetworkInterfaceAttribute": {
        const eni = this.eni(p.NetworkInterfaceId);
        if (p["SourceDestCheck.Value"] !== undefined) eni.sourceDestCheck = p["SourceDestCheck.Value"] === "true";
        if (p["Description.Value"] !== undefined) eni.description = p["Description.Value"];
        const groups = listOf(p, "SecurityGroupId");
        if (groups.length) eni.groups = groups;
        return ok("ModifyNetworkInterfaceAttributeResponse");
      }
      case "AssignPrivateIpAddresses": {
        const eni = this.eni(p.NetworkInterfaceId);
        const ips = listOf(p, "PrivateIpAddress");
        const prefixes = listOf(p, "Ipv4Prefix");
        if (p.SecondaryPrivateIpAddressCount !== undefined || p.Ipv4PrefixCount !== undefined) throw new Ec2Error("InvalidParameterValue", "the fake assigns only explicit addresses and prefixes");
        if (!ips.length && !prefixes.length) throw new Ec2Error("InvalidParameterValue", "the fake assigns only explicit addresses");
        for (const ip of ips) {
          if (eni.privateIps.some((a) => a.ip === ip)) throw new Ec2Error("InvalidParameterValue", `${ip} is already assigned to ${eni.id}`);
          const holder = eni.prefixes.find((x) => inPrefix(ip, x));
          if (holder) throw new Ec2Error("InvalidParameterValue", `${ip} lies in the prefix ${holder} of ${eni.id}`);
          eni.privateIps.push({ ip, primary: false });
          this.events.push({ kind: "assign", eni: eni.id, ip });
        }
        for (const prefix of prefixes) this.assignPrefix(eni, prefix);
        return `<AssignPrivateIpAddressesResponse ${NS}><requestId>fake</requestId><networkInterfaceId>${eni.id}</networkInterfaceId><assignedPrivateIpAddressesSet>${ips.map((ip) => `<item><privateIpAddress>${ip}</privateIpAddress></item>`).join("")}</assignedPrivateIpAddressesSet><assignedIpv4PrefixSet>${prefixes.map((x) => `<item><ipv4Prefix>${x}</ipv4Prefix></item>`).join("")}</assignedIpv4PrefixSet></AssignPrivateIpAddressesResponse>`;
      }
      case "UnassignPrivateIpAddresses": {
        const eni = this.eni(p.NetworkInterfaceId);
        for (const ip of listOf(p, "PrivateIpAddress")) {
          const entry = eni.privateIps.find((a) => a.ip === ip);
          if (!entry) throw new Ec2Error("InvalidParameterValue", `${ip} is not assigned to ${eni.id}`);
          if (entry.primary) throw new Ec2Error("InvalidParameterValue", `${ip} is the primary address of ${eni.id}`);
          for (const a of this.addresses.values()) {
            if (a.association?.eni === eni.id && a.association.ip === ip) {
              this.events.push({ kind: "disassociate", allocationId: a.allocationId, eni: eni.id, ip, implicit: true });
              a.association = undefined;
            }
          }
          eni.privateIps = eni.privateIps.filter((a) => a !== entry);
          this.events.push({ kind: "unassign", eni: eni.id, ip });
        }
        for (const prefix of listOf(p, "Ipv4Prefix")) {
          if (!eni.prefixes.includes(prefix)) throw new Ec2Error("InvalidParameterValue", `${prefix} is not delegated to ${eni.id}`);
          // ASSUMPTION (see the class comment): the EIPs on the prefix's addresses go with it.
          for (const a of this.addresses.values()) {
            if (a.association?.eni === eni.id && inPrefix(a.association.ip, prefix)) {
              this.events.push({ kind: "disassociate", allocationId: a.allocationId, eni: eni.id, ip: a.association.ip, implicit: true });
              a.association = undefined;
            }
          }
          eni.prefixes = eni.prefixes.filter((x) => x !== prefix);
          this.events.push({ kind: "unassign-prefix", eni: eni.id, prefix });
        }
        return ok("UnassignPrivateIpAddressesResponse");
      }
      case "AssignIpv6Addresses": {
        const eni = this.eni(p.NetworkInterfaceId);
        const ips = listOf(p, "Ipv6Addresses");
        if (!ips.length) throw new Ec2Error("InvalidParameterValue", "the fake assigns only explicit IPv6 addresses");
        for (const ip of ips) {
          eni.ipv6.push(ip);
          this.events.push({ kind: "assign-ipv6", eni: eni.id, ip });
        }
        return `<AssignIpv6AddressesResponse ${NS}><requestId>fake</requestId><networkInterfaceId>${eni.id}</networkInterfaceId><assignedIpv6Addresses>${ips.map((ip) => `<item>${ip}</item>`).join("")}</assignedIpv6Addresses></AssignIpv6AddressesResponse>`;
      }
      case "UnassignIpv6Addresses": {
        const eni = this.eni(p.NetworkInterfaceId);
        for (const ip of listOf(p, "Ipv6Addresses")) {
          eni.ipv6 = eni.ipv6.filter((a) => a !== ip);
          this.events.push({ kind: "unassign-ipv6", eni: eni.id, ip });
        }
        return ok("UnassignIpv6AddressesResponse");
      }
      case "DeleteNetworkInterface": {
        const eni = this.eni(p.NetworkInterfaceId);
        for (const a of this.addresses.values()) {
          if (a.association?.eni === eni.id) {
            this.events.push({ kind: "disassociate", allocationId: a.allocationId, eni: eni.id, ip: a.association.ip, implicit: true });
            a.association = undefined;
          }
        }
        this.enis.delete(eni.id);
        this.events.push({ kind: "delete-eni", eni: eni.id });
        return ok("DeleteNetworkInterfaceResponse");
      }
      case "AllocateAddress": {
        const n = ++this.counter;
        const a: Address = { allocationId: `eipalloc-${hex(n)}`, publicIp: `203.0.113.${n % 250}`, tags: tagSpecification(p, "elastic-ip") };
        this.addresses.set(a.allocationId, a);
        this.events.push({ kind: "allocate", allocationId: a.allocationId, publicIp: a.publicIp });
        return `<AllocateAddressResponse ${NS}><requestId>fake</requestId><publicIp>${a.publicIp}</publicIp><domain>vpc</domain><allocationId>${a.allocationId}</allocationId><networkBorderGroup>eu-north-1</networkBorderGroup></AllocateAddressResponse>`;
      }
      case "DescribeAddresses": {
        let found = [...this.addresses.values()];
        const ids = listOf(p, "AllocationId").concat(filterValues(p, "allocation-id"));
        if (ids.length) found = found.filter((a) => ids.includes(a.allocationId));
        const ips = listOf(p, "PublicIp").concat(filterValues(p, "public-ip"));
        if (ips.length) found = found.filter((a) => ips.includes(a.publicIp));
        const associations = filterValues(p, "association-id");
        if (associations.length) found = found.filter((a) => a.association && associations.includes(a.association.id));
        if (listOf(p, "AllocationId").length && !found.length) throw new Ec2Error("InvalidAllocationID.NotFound", `The allocation ID '${ids[0]}' does not exist`);
        return `<DescribeAddressesResponse ${NS}><requestId>fake</requestId><addressesSet>${found.map((a) => `<item>${addressXml(a)}</item>`).join("")}</addressesSet></DescribeAddressesResponse>`;
      }
      case "DescribeAddressesAttribute": {
        const ids = listOf(p, "AllocationId");
        const found = ids.map((id) => this.addresses.get(id)).filter((a): a is Address => !!a);
        return `<DescribeAddressesAttributeResponse ${NS}><requestId>fake</requestId><addressSet>${found.map((a) => `<item><allocationId>${a.allocationId}</allocationId><publicIp>${a.publicIp}</publicIp></item>`).join("")}</addressSet></DescribeAddressesAttributeResponse>`;
      }
      case "ReleaseAddress": {
        const a = this.addresses.get(p.AllocationId);
        if (!a) throw new Ec2Error("InvalidAllocationID.NotFound", `The allocation ID '${p.AllocationId}' does not exist`);
        if (a.association) throw new Ec2Error("InvalidIPAddress.InUse", `Address ${a.publicIp} is in use`);
        this.addresses.delete(a.allocationId);
        this.events.push({ kind: "release", allocationId: a.allocationId, publicIp: a.publicIp });
        return ok("ReleaseAddressResponse");
      }
      case "AssociateAddress": {
        const a = this.addresses.get(p.AllocationId);
        if (!a) throw new Ec2Error("InvalidAllocationID.NotFound", `The allocation ID '${p.AllocationId}' does not exist`);
        const eni = this.eni(p.NetworkInterfaceId);
        const ip = p.PrivateIpAddress ?? eni.privateIps.find((x) => x.primary)?.ip ?? "";
        if (!eni.privateIps.some((x) => x.ip === ip) && !eni.prefixes.some((x) => inPrefix(ip, x))) throw new Ec2Error("InvalidParameterValue", `${ip} is not assigned to ${eni.id}`);
        if (a.association && p.AllowReassociation !== "true") throw new Ec2Error("Resource.AlreadyAssociated", `${a.allocationId} is already associated`);
        const taken = [...this.addresses.values()].find((o) => o !== a && o.association?.eni === eni.id && o.association.ip === ip);
        if (taken) {
          if (p.AllowReassociation !== "true") throw new Ec2Error("Resource.AlreadyAssociated", `${ip} on ${eni.id} already has ${taken.allocationId}`);
          this.events.push({ kind: "disassociate", allocationId: taken.allocationId, eni: eni.id, ip, implicit: true });
          taken.association = undefined;
        }
        a.association = { id: `eipassoc-${hex(++this.counter)}`, eni: eni.id, ip };
        this.events.push({ kind: "associate", allocationId: a.allocationId, eni: eni.id, ip });
        return `<AssociateAddressResponse ${NS}><requestId>fake</requestId><return>true</return><associationId>${a.association.id}</associationId></AssociateAddressResponse>`;
      }
      case "DisassociateAddress": {
        const a = [...this.addresses.values()].find((x) => x.association?.id === p.AssociationId);
        if (!a) throw new Ec2Error("InvalidAssociationID.NotFound", `The association ID '${p.AssociationId}' does not exist`);
        this.events.push({ kind: "disassociate", allocationId: a.allocationId, eni: a.association!.eni, ip: a.association!.ip, implicit: false });
        a.association = undefined;
        return ok("DisassociateAddressResponse");
      }
      case "CreateTags":
      case "DeleteTags": {
        for (const id of listOf(p, "ResourceId")) {
          const tags = this.enis.get(id)?.tags ?? this.addresses.get(id)?.tags;
          if (!tags) throw new Ec2Error("InvalidID", `The ID '${id}' is not valid`);
          for (const [k, v] of tagList(p, "Tag")) {
            if (action === "CreateTags") tags.set(k, v);
            else tags.delete(k);
          }
        }
        return ok(`${action}Response`);
      }
      default:
        throw new Error(`not answered by the fake EC2 API: ${action}`);
    }
  }

  private createNetworkInterface(p: Record<string, string>): string {
    const privateIps: Eni["privateIps"] = [];
    for (let i = 1; p[`PrivateIpAddresses.${i}.PrivateIpAddress`] !== undefined; i++) {
      privateIps.push({ ip: p[`PrivateIpAddresses.${i}.PrivateIpAddress`], primary: p[`PrivateIpAddresses.${i}.Primary`] === "true" });
    }
    if (p.PrivateIpAddress !== undefined && !privateIps.some((a) => a.ip === p.PrivateIpAddress)) privateIps.unshift({ ip: p.PrivateIpAddress, primary: true });
    if (!privateIps.length && p.SecondaryPrivateIpAddressCount) throw new Ec2Error("InvalidParameterValue", "the fake assigns only explicit private addresses");
    // EC2 makes the first listed address primary when none is marked. An interface in an
    // IPv6-only subnet has no IPv4 address at all.
    if (privateIps.length && !privateIps.some((a) => a.primary)) privateIps[0].primary = true;
    // The primary comes first in EC2's answers.
    privateIps.sort((a, b) => Number(b.primary) - Number(a.primary));
    const ipv6: string[] = [];
    for (let i = 1; p[`Ipv6Addresses.${i}.Ipv6Address`] !== undefined; i++) ipv6.push(p[`Ipv6Addresses.${i}.Ipv6Address`]);
    if (p.Ipv4PrefixCount !== undefined) throw new Ec2Error("InvalidParameterValue", "the fake delegates only explicit prefixes");
    const prefixes: string[] = [];
    for (let i = 1; p[`Ipv4Prefix.${i}.Ipv4Prefix`] !== undefined; i++) prefixes.push(p[`Ipv4Prefix.${i}.Ipv4Prefix`]);
    const eni: Eni = {
      id: `eni-${hex(++this.counter)}`,
      subnetId: p.SubnetId,
      description: p.Description ?? "",
      sourceDestCheck: true,
      groups: listOf(p, "SecurityGroupId"),
      privateIps,
      prefixes: [],
      ipv6,
      tags: tagSpecification(p, "network-interface"),
    };
    for (const prefix of prefixes) this.assignPrefix(eni, prefix, false);
    this.enis.set(eni.id, eni);
    for (const a of privateIps) this.events.push({ kind: "assign", eni: eni.id, ip: a.ip });
    for (const prefix of eni.prefixes) this.events.push({ kind: "assign-prefix", eni: eni.id, prefix });
    for (const ip of ipv6) this.events.push({ kind: "assign-ipv6", eni: eni.id, ip });
    return `<CreateNetworkInterfaceResponse ${NS}><requestId>fake</requestId><networkInterface>${this.eniXml(eni)}</networkInterface></CreateNetworkInterfaceResponse>`;
  }

  private assignPrefix(eni: Eni, prefix: string, record = true): void {
    const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(prefix);
    // EC2 delegates /28s only (the guide: "IPv4 prefixes: /28").
    if (!m || m[2] !== "28" || (ipv4ToNumber(m[1]) & 15) !== 0) throw new Ec2Error("InvalidParameterValue", `${prefix} is not a /28 network address`);
    if (eni.prefixes.includes(prefix)) throw new Ec2Error("InvalidParameterValue", `${prefix} is already delegated to ${eni.id}`);
    const clash = eni.privateIps.find((a) => inPrefix(a.ip, prefix));
    if (clash) throw new Ec2Error("InvalidParameterValue", `${prefix} holds ${clash.ip}, an address of ${eni.id}`);
    eni.prefixes.push(prefix);
    if (record) this.events.push({ kind: "assign-prefix", eni: eni.id, prefix });
  }

  private eni(id: string): Eni {
    const eni = this.enis.get(id);
    if (!eni) throw new Ec2Error("InvalidNetworkInterfaceID.NotFound", `The networkInterface ID '${id}' does not exist`);
    return eni;
  }

  private eniXml(e: Eni): string {
    const primary = e.privateIps.find((a) => a.primary);
    const association = (ip: string) => {
      const a = [...this.addresses.values()].find((x) => x.association?.eni === e.id && x.association.ip === ip);
      return a ? `<association><publicIp>${a.publicIp}</publicIp><ipOwnerId>amazon</ipOwnerId><allocationId>${a.allocationId}</allocationId><associationId>${a.association!.id}</associationId></association>` : "";
    };
    return [
      `<networkInterfaceId>${e.id}</networkInterfaceId><subnetId>${escape(e.subnetId)}</subnetId><vpcId>vpc-0fake</vpcId>`,
      `<availabilityZone>eu-north-1a</availabilityZone><description>${escape(e.description)}</description><ownerId>123456789012</ownerId>`,
      `<requesterManaged>false</requesterManaged><status>available</status><macAddress>02:00:00:00:00:01</macAddress><interfaceType>interface</interfaceType>`,
      primary ? `<privateIpAddress>${primary.ip}</privateIpAddress>` : "",
      `<sourceDestCheck>${e.sourceDestCheck}</sourceDestCheck>`,
      `<groupSet>${e.groups.map((g) => `<item><groupId>${escape(g)}</groupId><groupName>${escape(g)}</groupName></item>`).join("")}</groupSet>`,
      `<privateIpAddressesSet>${e.privateIps.map((a) => `<item><privateIpAddress>${a.ip}</privateIpAddress><primary>${a.primary}</primary>${association(a.ip)}</item>`).join("")}</privateIpAddressesSet>`,
      `<ipv4PrefixSet>${e.prefixes.map((x) => `<item><ipv4Prefix>${x}</ipv4Prefix></item>`).join("")}</ipv4PrefixSet>`,
      `<ipv6AddressesSet>${e.ipv6.map((ip) => `<item><ipv6Address>${ip}</ipv6Address></item>`).join("")}</ipv6AddressesSet>`,
      `<tagSet>${tagsXml(e.tags)}</tagSet>`,
      primary ? association(primary.ip) : "",
    ].join("");
  }
}

class Ec2Error extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function addressXml(a: Address): string {
  const assoc = a.association
    ? `<associationId>${a.association.id}</associationId><networkInterfaceId>${a.association.eni}</networkInterfaceId><networkInterfaceOwnerId>123456789012</networkInterfaceOwnerId><privateIpAddress>${a.association.ip}</privateIpAddress>`
    : "";
  return `<publicIp>${a.publicIp}</publicIp><allocationId>${a.allocationId}</allocationId><domain>vpc</domain><publicIpv4Pool>amazon</publicIpv4Pool><networkBorderGroup>eu-north-1</networkBorderGroup>${assoc}<tagSet>${tagsXml(a.tags)}</tagSet>`;
}

function ipv4ToNumber(ip: string): number {
  return ip.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
}

/** Whether an IPv4 address lies inside a CIDR prefix. */
function inPrefix(ip: string, prefix: string): boolean {
  const [base, length] = prefix.split("/");
  const size = 2 ** (32 - Number(length));
  const start = ipv4ToNumber(base) - (ipv4ToNumber(base) % size);
  return ipv4ToNumber(ip) >= start && ipv4ToNumber(ip) < start + size;
}

/** `Name.1`, `Name.2`, … (EC2 query lists). */
function listOf(p: Record<string, string>, name: string): string[] {
  const values: string[] = [];
  for (let i = 1; p[`${name}.${i}`] !== undefined; i++) values.push(p[`${name}.${i}`]);
  return values;
}

function filterValues(p: Record<string, string>, filter: string): string[] {
  for (let i = 1; p[`Filter.${i}.Name`] !== undefined; i++) {
    if (p[`Filter.${i}.Name`] === filter) return listOf(p, `Filter.${i}.Value`);
  }
  return [];
}

function tagList(p: Record<string, string>, prefix: string): [string, string][] {
  const tags: [string, string][] = [];
  for (let i = 1; p[`${prefix}.${i}.Key`] !== undefined; i++) tags.push([p[`${prefix}.${i}.Key`], p[`${prefix}.${i}.Value`] ?? ""]);
  return tags;
}

function tagSpecification(p: Record<string, string>, resourceType: string): Map<string, string> {
  for (let i = 1; p[`TagSpecification.${i}.ResourceType`] !== undefined; i++) {
    if (p[`TagSpecification.${i}.ResourceType`] === resourceType) return new Map(tagList(p, `TagSpecification.${i}.Tag`));
  }
  return new Map();
}

function tagsXml(tags: Map<string, string>): string {
  return [...tags].map(([k, v]) => `<item><key>${escape(k)}</key><value>${escape(v)}</value></item>`).join("");
}

function ok(element: string): string {
  return `<${element} ${NS}><requestId>fake</requestId><return>true</return></${element}>`;
}

function hex(n: number): string {
  return n.toString(16).padStart(17, "0");
}

function escape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
