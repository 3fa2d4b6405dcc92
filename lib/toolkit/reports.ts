import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { TerraformResource, TerraformStack } from "../cdktf";
import { CostReport, CostRoles, estimateCost, renderCostReport } from "../plan/cost/estimate";
import { TerraformJson } from "../plan/policy/stack-view";
import { AddressReport, addressReport, renderAddressReport } from "../plan/report/address-report";
import { topologyDiagram, TopologyDiagram } from "../plan/report/topology-diagram";
import { addressReportInput, constructsOf, StackConstructs, topologyInput } from "./stack-model";

/**
 * The report, diagram and cost of a stack, from its constructs (the plans they hold) and, for the
 * cost, its synthesized Terraform JSON. The pure work is in lib/plan/report and lib/plan/cost.
 */

/** The address plan of a stack (`siit-dc report --json`, and the testing kit's snapshot). */
export function stackAddressReport(stack: TerraformStack): AddressReport {
  return addressReport(addressReportInput(constructsOf(stack)));
}

/** The address plan, then the packet paths of every translator set, as Markdown. */
export function stackReportMarkdown(stack: TerraformStack): string {
  const c = constructsOf(stack);
  return [renderAddressReport(stackAddressReport(stack)), ...c.translatorSets.map((s) => s.pathReport())].join("\n");
}

/** The topology diagram of a stack (laid out by elkjs). */
export function stackDiagram(stack: TerraformStack): Promise<TopologyDiagram> {
  return topologyDiagram(topologyInput(constructsOf(stack)));
}

/** Writes `<file>.png` beside an SVG when rsvg-convert (Debian librsvg2-bin) is installed. */
export function svgToPng(svgFile: string): string | undefined {
  const png = svgFile.replace(/\.svg$/, ".png");
  try {
    execFileSync("rsvg-convert", ["--format", "png", "--output", png, svgFile], { stdio: ["ignore", "ignore", "pipe"] });
    return png;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

const address = (r: TerraformResource) => `${r.terraformResourceType}.${TerraformStack.of(r).getLogicalId(r)}`;
const resourcesOf = (c: { node: { findAll(): unknown[] } }, type: string) =>
  c.node.findAll().filter((x): x is TerraformResource => typeof x === "object" && x !== null && (x as TerraformResource).terraformResourceType === type);

/** Which resources of the stack the alternatives replace. */
export function costRoles(c: StackConstructs): CostRoles {
  const devices = c.nat64s.flatMap((n) => n.devices);
  return {
    translatorInstances: c.translatorSets.flatMap((s) => s.translators.map((t) => address(t.instance))),
    nat64Instances: devices.flatMap((d) => (d.node ? [address(d.node.instance)] : [])),
    nat64NatGateways: devices.flatMap((d) => (d.natGateway ? [address(d.natGateway)] : [])),
    serviceEips: c.translatorSets.flatMap((s) => resourcesOf(s, "aws_eip").map(address)),
    nat64Eips: devices.map((d) => address(d.eip)),
  };
}

export interface CostOptions {
  readonly outboundGb: number;
  readonly inboundGb: number;
  readonly extraInstancePrices: Readonly<Record<string, number>>;
}

/** The monthly cost of a stack and of the two alternatives, from its synthesized Terraform JSON. */
export function stackCost(stack: TerraformStack, json: TerraformJson, options: CostOptions): CostReport {
  const c = constructsOf(stack);
  return estimateCost({
    stack: stack.node.id,
    json,
    roles: costRoles(c),
    services: c.translatorSets.flatMap((s) => s.plan.services.map((x) => ({ name: x.name, zones: x.addresses.length }))),
    serverZones: c.vpcs.reduce((n, v) => n + v.availabilityZones.length, 0),
    ...options,
  });
}

export { renderCostReport };

/** Writes a file, creating its directory; returns the path relative to the working directory. */
export function writeOut(dir: string, name: string, content: string | Buffer): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return path.relative(process.cwd(), file) || file;
}
