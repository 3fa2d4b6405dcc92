import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { PacketLab } from "../../lib/lab/runner";
import { labChecks } from "../../lib/lab/model/checks";
import { LabFault } from "../../lib/lab/model/input";
import { buildLabTopology, ConfigAgent } from "../../lib/lab/model/topology";
import { LabInput } from "../../lib/lab/model/input";
import { referenceInput, teamsBothModelsInput } from "../lab/support";
import { put } from "./qemu";

/**
 * The packet lab for the VM tier's guest: the host builds the reference example's lab (and the
 * teams example's) on the real-Jool engine and writes its plan (JSON) into the share; the guest runs it with the lab's
 * own executor (lib/lab/executor.ts and agent.ts, transpiled here; they import only Node's
 * built-ins) on Debian's Node, and the host judges what the guest saw with the same evaluation
 * as the tayga lab.
 */

/** A lab run in the guest: its name (share file names) and the host-side lab that judges it. */
export interface GuestLab {
  readonly name: string;
  readonly lab: PacketLab;
}

/**
 * Probe timeouts are scaled for a TCG guest (about 10x slower than the host); Node's start even
 * more. 8, not 4: on a CI host loaded by the Terraform tiers beside it, the teams lab's answers
 * (hops all counted) arrived after 4 x 2 s.
 */
const TIMEOUT_SCALE = 8;
const START_TIMEOUT_MS = 120_000;

/**
 * `input` defaults to the reference example's (guestLabInput); `configAgent` gives each
 * translator of a set with teams what the real config agent makes of its objects; `phases`
 * picks phases by name (default: all).
 */
export function guestLab(name: string, options: { input?: LabInput; configAgent?: ConfigAgent; faults?: LabFault[]; phases?: (name: string) => boolean } = {}): GuestLab {
  const topology = buildLabTopology(options.input ?? guestLabInput(), { engine: "jool", faults: options.faults, configAgent: options.configAgent });
  const pick = options.phases;
  const phases = pick ? labChecks(topology).phases.flatMap((p, i) => (pick(p.name) ? [i] : [])) : undefined;
  return { name, lab: new PacketLab(topology, { runDir: `/tmp/sdlab-${name}`, timeoutScale: TIMEOUT_SCALE, startTimeoutMs: START_TIMEOUT_MS, strict: true, phases }) };
}

/**
 * The reference example with www's server allowed to start IPv4 (outboundIpv4): hairpinning and
 * the packet-too-big probe are traffic a server starts, which invariant 17 keeps off otherwise.
 */
export function guestLabInput(): ReturnType<typeof referenceInput> {
  return referenceInput({ wwwOutboundIpv4: true });
}

/**
 * The teams example, both models (the platform's app with team-payments, and the search team's
 * own app from the manifest), with a service of each team allowed to start IPv4: hooks
 * (payments, on a0 only) and search (which declares echo, for the packet-too-big probe).
 */
export function teamsGuestLabInput(): LabInput {
  return teamsBothModelsInput({ outboundIpv4: ["hooks", "search"] });
}

export function writeGuestLabs(share: string, labs: readonly GuestLab[]): void {
  for (const file of ["executor", "agent"]) {
    const source = fs.readFileSync(path.resolve(__dirname, "../../lib/lab", `${file}.ts`), "utf8");
    const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
    put(share, `lab/${file}.js`, js.outputText);
  }
  for (const l of labs) put(share, `lab/${l.name}.plan.json`, JSON.stringify(l.lab.execPlan));
}

/** The guest's result of one lab run, judged on the host; throws with the guest's log if it did not finish. */
export function judgeGuestLab(share: string, l: GuestLab): { result: ReturnType<PacketLab["judge"]>; seconds: number } {
  const file = (ext: string) => path.join(share, "out", `lab-${l.name}.${ext}`);
  const log = () => (fs.existsSync(file("log")) ? fs.readFileSync(file("log"), "utf8") : "(no log)");
  if (!fs.existsSync(file("json"))) throw new Error(`the guest wrote no result for lab ${l.name}:\n${log()}`);
  const seen = JSON.parse(fs.readFileSync(file("json"), "utf8"));
  if (seen.error) throw new Error(`the lab ${l.name} failed in the guest: ${seen.error}\n${log()}`);
  const seconds = Number(fs.readFileSync(file("status"), "utf8").trim().split(" ")[1]);
  return { result: l.lab.judge(seen, seconds * 1000), seconds };
}
