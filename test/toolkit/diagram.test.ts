import { execFileSync } from "child_process";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Ipv6OnlyVpc, Ipv6ServerFleet, Nat64Provider, OutboundNat64, Port, SiitDcTranslators } from "../../lib";
import { TerraformStack } from "../../lib/cdktf";
import { main } from "../../lib/toolkit/cli";
import { stackDiagram } from "../../lib/toolkit/reports";
import { testStack } from "../support/stacks";

/**
 * The topology diagram: rendered by the command, parsed back as XML, its boxes checked for the
 * elements of the topology and for overlap (boxes nest or stay apart; text stays inside its box).
 */
interface Box {
  kind: string;
  id: string;
  x: number;
  y: number;
  w: number;
  h: number;
  lines: string[];
}

function parseSvg(svg: string): { boxes: Box[]; edges: number; width: number; height: number } {
  expect(XMLValidator.validate(svg)).toBe(true);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", isArray: (name) => ["g", "text", "polyline"].includes(name) }).parse(svg) as {
    svg: { width: string; height: string; g: { class: string; id: string; rect: Record<string, string>; text?: ({ "#text": string | number } | string | number)[] }[]; polyline?: unknown[] };
  };
  const boxes = doc.svg.g.map((g) => ({
    kind: g.class,
    id: g.id,
    x: Number(g.rect.x),
    y: Number(g.rect.y),
    w: Number(g.rect.width),
    h: Number(g.rect.height),
    lines: (g.text ?? []).map((t) => String(typeof t === "object" ? t["#text"] : t)),
  }));
  return { boxes, edges: doc.svg.polyline?.length ?? 0, width: Number(doc.svg.width), height: Number(doc.svg.height) };
}

/** Boxes nest or are disjoint (no partial overlap); every line of text fits its box. */
function layoutProblems(boxes: readonly Box[], width: number, height: number): string[] {
  const problems: string[] = [];
  const inside = (a: Box, b: Box) => a.x >= b.x && a.y >= b.y && a.x + a.w <= b.x + b.w && a.y + a.h <= b.y + b.h;
  const apart = (a: Box, b: Box) => a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
  for (let i = 0; i < boxes.length; i++) {
    const a = boxes[i];
    if (a.x < 0 || a.y < 0 || a.x + a.w > width || a.y + a.h > height) problems.push(`${a.id} leaves the picture`);
    // 12 px monospace: 7.2 px a character, 8 px padding on each side; 16 px a line.
    const longest = Math.max(...a.lines.map((l) => l.length));
    if (["translator", "nat64", "server", "fleet", "service", "internet"].includes(a.kind)) {
      if (longest * 7.2 + 16 > a.w + 0.5) problems.push(`${a.id}: text ${longest} characters wide in a ${a.w} px box`);
      if (a.lines.length * 16 + 16 > a.h + 0.5) problems.push(`${a.id}: ${a.lines.length} lines in a ${a.h} px box`);
    } else if (longest * 7.2 + 16 > a.w + 0.5) problems.push(`${a.id}: title wider than its box`);
    for (let j = i + 1; j < boxes.length; j++) {
      const b = boxes[j];
      if (!apart(a, b) && !inside(a, b) && !inside(b, a)) problems.push(`${a.id} and ${b.id} overlap`);
    }
  }
  return problems;
}

test("siit-dc diagram on the example: an SVG with every part of the topology, a PNG where rsvg-convert exists", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "siit-diagram-"));
  try {
    const out: string[] = [];
    const code = await main(["diagram", "--app", path.resolve(__dirname, "../../examples/main.ts"), "--out", dir], { out: (l) => out.push(l), err: (l) => out.push(l), progress: () => undefined });
    expect(code).toBe(0);
    const { boxes, edges, width, height } = parseSvg(fs.readFileSync(path.join(dir, "reference.topology.svg"), "utf8"));
    const of = (kind: string) => boxes.filter((b) => b.kind === kind);
    expect(of("zone").map((b) => b.lines[0])).toEqual(["zone eu-north-1a", "zone eu-north-1b"]);
    expect(of("subnet").map((b) => b.lines[0].split("  ")[0]).sort()).toEqual([
      "edge subnet edge-eu-north-1a",
      "edge subnet edge-eu-north-1b",
      "server subnet servers-eu-north-1a",
      "server subnet servers-eu-north-1b",
    ]);
    expect(of("translator").map((b) => b.lines.slice(0, 2))).toEqual([
      ["translator a0 (reference/Edge)", "pool6 64:ff9b:1::/96"],
      ["translator b0 (reference/Edge)", "pool6 64:ff9b:1:1::/96"],
    ]);
    expect(of("nat64").map((b) => b.lines[1])).toEqual(["64:ff9b::/96 (DNS64)", "64:ff9b::/96 (DNS64)"]);
    expect(of("server")).toHaveLength(4);
    expect(of("fleet").map((b) => b.lines[0])).toEqual(["reference/Workers (autoscaled)", "reference/Workers (autoscaled)"]);
    expect(of("service").map((b) => b.lines)).toContainEqual([
      "www #1  tcp/80 tcp/443 icmp/echo",
      "www.example.com",
      "eu-north-1a: EIP www/a0 -> 10.0.0.65 on a0",
      "eu-north-1b: EIP www/b0 -> 10.0.16.65 on b0",
      "-> 2001:db8:100:10::10 (doc.)",
    ]);
    // One edge from the internet to the services, one from each service to its server.
    expect(edges).toBe(4);
    expect(layoutProblems(boxes, width, height)).toEqual([]);
    let converter = true;
    try {
      execFileSync("rsvg-convert", ["--version"], { stdio: "ignore" });
    } catch {
      converter = false;
    }
    expect(fs.existsSync(path.join(dir, "reference.topology.png"))).toBe(converter);
    expect(out).toContainEqual(converter ? expect.stringMatching(/PNG -> .*reference\.topology\.png$/) : expect.stringMatching(/no PNG: rsvg-convert is not installed/));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** 3 zones, 4 translators each, 30 services on 30 servers, and a NAT64 per zone. */
function largeStack(): TerraformStack {
  const stack = testStack();
  const zones = ["eu-north-1a", "eu-north-1b", "eu-north-1c"];
  const vpc = new Ipv6OnlyVpc(stack, "Net", { availabilityZones: zones });
  const fleet = new Ipv6ServerFleet(stack, "Web", { vpc, servers: 30, instanceType: "c7g.large" });
  // c7gn.large: 9 service addresses per translator; 30 services over 4 translators is 8 each.
  const edge = new SiitDcTranslators(stack, "Edge", { vpc, translatorsPerZone: 4, instanceType: "c7gn.large" });
  for (let i = 0; i < 30; i++) {
    edge.publish(`svc${i + 1}`, fleet.server(i), { number: i + 1, ports: [Port.tcp(443), Port.udp(4000 + i)], translators: zones.map((z) => edge.translator(z, i % 4)) });
  }
  new OutboundNat64(stack, "Outbound", { vpc, provider: Nat64Provider.natGateway() });
  return stack;
}

test("3 zones x 4 translators x 30 services: every element drawn, nothing overlaps, text fits", async () => {
  const d = await stackDiagram(largeStack());
  const { boxes, edges, width, height } = parseSvg(d.svg);
  const count = (kind: string) => boxes.filter((b) => b.kind === kind).length;
  expect([count("zone"), count("subnet"), count("translator"), count("nat64"), count("server"), count("service")]).toEqual([3, 6, 12, 3, 30, 30]);
  expect(boxes.filter((b) => b.kind === "translator").map((b) => b.lines[1])).toContain("pool6 64:ff9b:1:2:0:3::/96");
  for (const s of boxes.filter((b) => b.kind === "service")) expect(s.lines.filter((l) => / -> 10\.0\.\d+\.\d+ on [abc][0-3]$/.test(l))).toHaveLength(3);
  expect(edges).toBe(31);
  // Plan order top to bottom: zones a, b, c; translators 0-3 within a zone (services follow their
  // servers, so that their edges do not cross).
  const order = (kind: string) => boxes.filter((b) => b.kind === kind).sort((a, b) => a.y - b.y || a.x - b.x).map((b) => b.lines[0]);
  expect(order("zone")).toEqual(["zone eu-north-1a", "zone eu-north-1b", "zone eu-north-1c"]);
  expect(order("translator").slice(0, 4)).toEqual(["a0", "a1", "a2", "a3"].map((t) => `translator ${t} (test/Edge)`));
  expect(layoutProblems(boxes, width, height)).toEqual([]);
  // Text stays at 12 px: the picture grows instead of shrinking its type.
  expect(d.svg).toContain('font-size="12"');
});

test("a stack without translators or NAT64: zones, subnets and servers, no services box, no edges", async () => {
  const stack = testStack();
  const vpc = new Ipv6OnlyVpc(stack, "Net", { availabilityZones: ["eu-north-1a"] });
  new Ipv6ServerFleet(stack, "Db", { vpc, servers: 2, instanceType: "m7g.large" });
  const { boxes, edges, width, height } = parseSvg((await stackDiagram(stack)).svg);
  expect(boxes.map((b) => b.kind).sort()).toEqual(["internet", "server", "server", "subnet", "subnet", "vpc", "zone"]);
  expect(edges).toBe(0);
  expect(layoutProblems(boxes, width, height)).toEqual([]);
});

test("the layout check bites: partial overlap, text wider than its box, a box outside the picture", () => {
  const box = (id: string, x: number, y: number, w: number, h: number, lines = ["ab"]): Box => ({ kind: "server", id, x, y, w, h, lines });
  expect(layoutProblems([box("a", 0, 0, 100, 50), box("b", 50, 25, 100, 50)], 500, 500)).toEqual(["a and b overlap"]);
  expect(layoutProblems([box("a", 0, 0, 40, 50, ["a line of thirty characters..."])], 500, 500)).toEqual(["a: text 30 characters wide in a 40 px box"]);
  expect(layoutProblems([box("a", 480, 0, 40, 50)], 500, 500)).toEqual(["a leaves the picture"]);
  // Nesting is fine.
  expect(layoutProblems([{ ...box("outer", 0, 0, 200, 200), kind: "zone" }, box("inner", 10, 30, 100, 50)], 500, 500)).toEqual([]);
});
