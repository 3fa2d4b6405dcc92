import ELK from "elkjs/lib/elk.bundled.js";
import type { ElkExtendedEdge, ElkNode } from "elkjs/lib/elk-api";
import { documentationBindings, SymbolicIpv6Address } from "../address/symbolic";
import { AddressReport, addressReport, AddressReportInput } from "./address-report";

/**
 * The topology picture of one stack: zones with their edge and server subnets, translators with
 * their /96 and EAM count, the NAT64 devices, fleets' servers, and the published services with
 * their addresses, each service linked to the server it publishes. ELK's layered algorithm (elkjs,
 * Eclipse Layout Kernel) places every box and routes every edge; this module only measures text
 * and draws what ELK returns, in absolute coordinates.
 */

export interface TopologyInput extends AddressReportInput {
  readonly fleets: readonly {
    readonly path: string;
    readonly vpc: string;
    readonly instanceType: string;
    /** Fixed-address servers; undefined for an autoscaled fleet. */
    readonly servers?: readonly { readonly index: number; readonly zone: string; readonly address: SymbolicIpv6Address }[];
  }[];
}

/** One drawn box: absolute position, kind (for styling and tests) and its lines of text. */
export interface DiagramBox {
  readonly id: string;
  readonly kind: "vpc" | "zone" | "subnet" | "translator" | "nat64" | "server" | "fleet" | "services" | "service" | "internet";
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly lines: readonly string[];
  /** Id of the enclosing box. */
  readonly parent?: string;
}

export interface TopologyDiagram {
  readonly width: number;
  readonly height: number;
  readonly boxes: readonly DiagramBox[];
  readonly edges: readonly { readonly id: string; readonly points: readonly { x: number; y: number }[] }[];
  readonly svg: string;
}

const FONT = 12;
/** Monospace advance width of the font, so text width is known without a renderer. */
const CHAR = FONT * 0.6;
const LINE = FONT + 4;
const PAD = 8;
const HEADER = LINE + PAD;

/** The text of every box, by node id (kept out of the ELK graph: ELK places boxes, we place text). */
type Texts = Map<string, string[]>;

const leaf = (texts: Texts, id: string, lines: string[]): ElkNode => {
  texts.set(id, lines);
  return { id, width: Math.ceil(Math.max(...lines.map((l) => l.length)) * CHAR + 2 * PAD), height: lines.length * LINE + 2 * PAD };
};

const group = (texts: Texts, id: string, title: string, children: ElkNode[], options: Record<string, string> = {}): ElkNode => {
  texts.set(id, [title]);
  return {
    id,
    children,
    layoutOptions: {
      "elk.padding": `[top=${HEADER + PAD},left=${PAD * 2},bottom=${PAD * 2},right=${PAD * 2}]`,
      // A group is at least as wide as its title.
      "elk.nodeSize.constraints": "MINIMUM_SIZE",
      "elk.nodeSize.minimum": `(${Math.ceil(title.length * CHAR + 4 * PAD)},${HEADER + 2 * PAD})`,
      ...options,
    },
  };
};

const EDGE_SUBNET = { "elk.hierarchyHandling": "SEPARATE_CHILDREN", "elk.algorithm": "box", "elk.spacing.nodeNode": "16", "elk.box.packingMode": "SIMPLE" };

const KIND: Record<string, DiagramBox["kind"]> = { vpc: "vpc", zone: "zone", sub: "subnet", tr: "translator", nat: "nat64", srv: "server", fleet: "fleet", services: "services", svc: "service", internet: "internet" };

/** Lays out and draws the topology of one stack. */
export async function topologyDiagram(input: TopologyInput): Promise<TopologyDiagram> {
  const report = addressReport(input);
  const bindings = documentationBindings([...input.vpcs.flatMap((v) => v.plan.ipv6Cidr.references()), ...input.fleets.flatMap((f) => (f.servers ?? []).flatMap((s) => s.address.references()))]);
  const texts: Texts = new Map();
  const graph = elkGraph(texts, report, input, bindings);
  const laid = await new ELK().layout(graph);
  const boxes: DiagramBox[] = [];
  const edges: TopologyDiagram["edges"][number][] = [];
  const walk = (node: ElkNode, ox: number, oy: number, parent?: string) => {
    const x = ox + (node.x ?? 0);
    const y = oy + (node.y ?? 0);
    if (node !== laid) {
      boxes.push({ id: node.id, kind: KIND[node.id.split(":")[0]], x, y, width: node.width ?? 0, height: node.height ?? 0, lines: texts.get(node.id) ?? [], parent });
    }
    for (const e of node.edges ?? []) edges.push(edgePoints(e, x, y));
    for (const c of node.children ?? []) walk(c, x, y, node === laid ? undefined : node.id);
  };
  walk(laid, 0, 0);
  const width = Math.ceil(laid.width ?? 0);
  const height = Math.ceil(laid.height ?? 0);
  return { width, height, boxes, edges, svg: renderSvg(report.stack, width, height, boxes, edges, report.documentation.length > 0) };
}

function edgePoints(e: ElkExtendedEdge, ox: number, oy: number) {
  const points = (e.sections ?? []).flatMap((s) => [s.startPoint, ...(s.bendPoints ?? []), s.endPoint]).map((p) => ({ x: ox + p.x, y: oy + p.y }));
  return { id: e.id, points };
}

function elkGraph(texts: Texts, report: AddressReport, input: TopologyInput, bindings: ReturnType<typeof documentationBindings>): ElkNode {
  const edges: ElkExtendedEdge[] = [];
  const serverId = (address: string) => `srv:${address}`;
  const serverNodes = new Map<string, { zone: string; subnet: string; lines: string[] }>();
  const vpcs: ElkNode[] = report.vpcs.map((vpc, vi) => {
    const plan = input.vpcs[vi].plan;
    const zones = [...new Set(vpc.subnets.map((s) => s.zone))];
    // Servers of fixed fleets, in the subnet that holds their address.
    for (const f of input.fleets.filter((x) => x.vpc === vpc.path)) {
      for (const s of f.servers ?? []) {
        const address = s.address.resolve(bindings);
        const subnet = plan.subnets.find((x) => x.tier.kind === "server" && x.ipv6.resolve(bindings).contains(address));
        serverNodes.set(address.toString(), {
          zone: s.zone,
          subnet: subnet ? `${subnet.tier.name}-${subnet.zone.name}` : `${plan.serverTierNames()[0]}-${s.zone}`,
          lines: [`${f.path}[${s.index}]`, `${address}`, f.instanceType],
        });
      }
    }
    return group(
      texts,
      `vpc:${vi}`,
      `VPC ${vpc.path}  IPv4 ${vpc.ipv4Cidr}  IPv6 ${vpc.ipv6Cidr.value}${vpc.ipv6Cidr.documentation ? " (doc.)" : ""}`,
      zones.map((zone) =>
        group(
          texts,
          `zone:${vi}:${zone}`,
          `zone ${zone}`,
          vpc.subnets
            .filter((s) => s.zone === zone)
            .map((s) => {
              const children: ElkNode[] = [];
              if (s.kind === "edge") {
                for (const set of report.translatorSets.filter((t) => t.vpc === vpc.path)) {
                  for (const t of set.translators.filter((x) => x.zone === zone)) {
                    children.push(leaf(texts, `tr:${set.path}:${t.id}`, [`translator ${t.id} (${set.path})`, `pool6 ${t.prefix}`, `ENI ${t.primaryIpv4}`, `${t.eam.length} EAM entries`]));
                  }
                }
                for (const n of report.nat64s.filter((x) => x.vpc === vpc.path)) {
                  for (const d of n.devices.filter((x) => x.zone === zone)) children.push(leaf(texts, `nat:${n.path}:${zone}`, [`NAT64 ${n.provider}`, `${n.prefix} (DNS64)`, `serves ${d.serves.join(", ")}`]));
                }
              } else {
                for (const [address, srv] of serverNodes) if (srv.subnet === s.name) children.push(leaf(texts, serverId(address), srv.lines));
                if (s.tier === plan.serverTierNames()[0]) {
                  for (const f of input.fleets.filter((x) => x.vpc === vpc.path && !x.servers)) children.push(leaf(texts, `fleet:${f.path}:${zone}`, [`${f.path} (autoscaled)`, f.instanceType]));
                }
              }
              const title = `${s.kind} subnet ${s.name}  ${s.ipv4 ? `${s.ipv4}  ` : ""}${s.ipv6.value}${s.ipv6.documentation ? " (doc.)" : ""}`;
              // No edge ends in an edge subnet: its boxes are packed on their own, in plan order.
              return group(texts, `sub:${vi}:${s.name}`, title, children, s.kind === "edge" ? EDGE_SUBNET : {});
            }),
        ),
      ),
    );
  });

  const services: ElkNode[] = [];
  for (const set of report.translatorSets) {
    for (const s of set.services) {
      const id = `svc:${set.path}:${s.name}`;
      services.push(
        leaf(texts, id, [
          `${s.name} #${s.number}  ${s.ports.join(" ")}`,
          ...(s.dnsNames.length ? [s.dnsNames.join(" ")] : []),
          ...s.addresses.map((a) => `${a.zone}: EIP ${a.slot} -> ${a.privateIpv4} on ${a.translator}`),
          `-> ${s.target.value}${s.target.documentation ? " (doc.)" : ""}`,
        ]),
      );
      if (serverNodes.has(s.target.value)) edges.push({ id: `e:${id}`, sources: [id], targets: [serverId(s.target.value)] });
    }
  }
  const internet = leaf(texts, "internet:0", ["Internet", "IPv4 clients -> EIPs", "IPv6 clients -> servers"]);
  const children = [internet, ...vpcs];
  if (services.length) {
    children.splice(1, 0, group(texts, "services:0", "Published services (IPv4: EIP -> translator -> EAM -> server)", services));
    edges.push({ id: "e:internet:services", sources: ["internet:0"], targets: ["services:0"] });
  }
  return {
    id: "root",
    layoutOptions: {
      "elk.algorithm": "layered",
      "elk.direction": "RIGHT",
      "elk.hierarchyHandling": "INCLUDE_CHILDREN",
      "elk.edgeRouting": "ORTHOGONAL",
      // Zones, translators and services in plan order (a, b, c; a0..a3), as readers look for them.
      "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
      "elk.layered.crossingMinimization.forceNodeModelOrder": "true",
      // Unconnected boxes (translators, NAT64) would be packed as separate components, out of order.
      "elk.separateConnectedComponents": "false",
      "elk.spacing.nodeNode": "16",
      "elk.layered.spacing.nodeNodeBetweenLayers": "48",
      "elk.padding": "[top=40,left=16,bottom=16,right=16]",
    },
    children,
    edges,
  };
}

const STYLE: Record<DiagramBox["kind"], string> = {
  internet: "fill:#fff7e6;stroke:#b36b00",
  services: "fill:#fdf2ff;stroke:#8a3ea8",
  service: "fill:#ffffff;stroke:#8a3ea8",
  vpc: "fill:#f4f8ff;stroke:#2a5db0",
  zone: "fill:#eef3fb;stroke:#5b7db8;stroke-dasharray:6 3",
  subnet: "fill:#ffffff;stroke:#7a8ca8",
  translator: "fill:#e8f6ec;stroke:#2e8b57",
  nat64: "fill:#fff0f0;stroke:#b03a2e",
  server: "fill:#f2f2f2;stroke:#555555",
  fleet: "fill:#f2f2f2;stroke:#555555;stroke-dasharray:4 2",
};

const esc = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function renderSvg(stack: string, width: number, height: number, boxes: readonly DiagramBox[], edges: TopologyDiagram["edges"], documentation: boolean): string {
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans Mono, monospace" font-size="${FONT}">`,
    `<title>SIIT-DC topology of stack ${esc(stack)}</title>`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#8a3ea8"/></marker></defs>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="16" y="24" font-size="${FONT + 4}" font-weight="bold">SIIT-DC topology: stack ${esc(stack)}${documentation ? " (prefixes known at apply shown as documentation prefixes, marked doc.)" : ""}</text>`,
  ];
  for (const b of boxes) {
    const leafBox = !["vpc", "zone", "subnet", "services"].includes(b.kind);
    out.push(`<g class="${b.kind}" id="${esc(b.id)}">`);
    out.push(`<rect x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" rx="4" style="${STYLE[b.kind]}"/>`);
    b.lines.forEach((line, i) => {
      const y = b.y + PAD + FONT + i * LINE;
      out.push(`<text x="${b.x + PAD}" y="${y}"${!leafBox || i === 0 ? ' font-weight="bold"' : ""}>${esc(line)}</text>`);
    });
    out.push("</g>");
  }
  for (const e of edges) {
    if (e.points.length < 2) continue;
    out.push(`<polyline class="edge" id="${esc(e.id)}" points="${e.points.map((p) => `${p.x},${p.y}`).join(" ")}" fill="none" stroke="#8a3ea8" stroke-width="1.2" marker-end="url(#arrow)"/>`);
  }
  out.push("</svg>");
  return out.join("\n");
}
