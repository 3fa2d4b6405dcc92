import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/**
 * `npm run bench`: the library against bare cdktf, measured side by side in one run. Every case
 * runs in a fresh Node process (module loading and peak RSS are per process); the cases are
 * interleaved, run by run, so that load from other jobs on the machine falls on all of them
 * alike, and the tables report medians. Written to bench/RESULTS.md. Not a test: numbers depend
 * on the machine.
 *
 * - example / bare-app: the whole process (spawn to exit) of synthesizing the bundled examples,
 *   against a bare cdktf app (App, stack and AwsProvider by deep import).
 * - import-lib / import-bare: loading the library, against loading `cdktf` and the provider class.
 * - services N / bare N: build + `app.synth()` after module loading, for N published services
 *   (one translator set and VPC per 1,000), against a bare stack of as many resources
 *   as the services' stack synthesized (pairs of an EIP and its association, the resources the
 *   services add most), built by this script itself.
 *
 * Nothing is imported at the top: each case loads only what it measures.
 */

const ZONES = ["eu-north-1a", "eu-north-1b", "eu-north-1c"];
const SCALING = [10, 100, 1000, 3000];
/** The size at which time per resource and peak memory are compared with their goals. */
const REFERENCE_SIZE = 1000;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/** c7gn.4xlarge holds 30 IPv4 addresses per interface: 29 services per translator. */
const PER_TRANSLATOR = 29;
/** Services per translator set (and VPC): 12 translators per zone. */
const PER_SET = 1000;

/** A function's self time in a CPU profile. */
interface HotFunction {
  readonly name: string;
  /** Where it lives: `library` (lib/), or the package or runtime part it belongs to. */
  readonly owner: string;
  readonly percent: number;
}

interface Measurement {
  /** Wall time of what the case measures, ms. */
  readonly millis: number;
  readonly peakRssMiB: number;
  readonly resources?: number;
  readonly modules?: number;
  /** The provider modules the example loaded (for the floor case). */
  readonly loaded?: string[];
  /** The profile case: the functions with the most self time, and the library's own. */
  readonly hottest?: HotFunction[];
  readonly hottestInLibrary?: HotFunction[];
}

/** Runs `f` in a fresh output directory, removed afterwards unless BENCH_KEEP names where to keep it. */
function scratch<T>(f: (outdir: string) => T): T {
  const keep = process.env.BENCH_KEEP;
  const outdir = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), "siit-bench-"));
  try {
    return f(outdir);
  } finally {
    if (!keep) fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function resourcesIn(outdir: string, stack: string): number {
  const config = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8")) as { resource?: Record<string, object> };
  return Object.values(config.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
}

function since(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/* eslint-disable @typescript-eslint/no-require-imports -- each case loads only what it measures */

/** N services on three zones, each tcp/443 from a plan address through one translator. */
function servicesCase(services: number, preload: readonly string[] = []): Measurement {
  const { AwsProvider } = require("@cdktf/provider-aws/lib/provider") as typeof import("@cdktf/provider-aws/lib/provider");
  const lib = require("../lib") as typeof import("../lib");
  const { App, TerraformStack } = require("../lib/cdktf") as typeof import("../lib/cdktf");
  // The library loads provider classes on first use; the bare stack loads its own before its
  // clock starts, so these (learned from an untimed run) load before this clock starts too.
  for (const m of preload) require(m);
  return scratch((outdir) => {
    const started = process.hrtime.bigint();
    const app = new App({ outdir });
    const stack = new TerraformStack(app, "bench");
    new AwsProvider(stack, "aws", { region: "eu-north-1" });
    // One translator set per VPC: every translator adds a route to each server route table,
    // whose default quota (50 routes) caps a VPC at about 1,300 services of this size.
    const sets = Math.ceil(services / PER_SET);
    for (let s = 0; s < sets; s++) {
      const vpc = new lib.Ipv6OnlyVpc(stack, s === 0 ? "Net" : `Net${s}`, { availabilityZones: ZONES });
      const count = Math.min(PER_SET, services - s * PER_SET);
      const translatorsPerZone = Math.ceil(Math.ceil(count / ZONES.length) / PER_TRANSLATOR);
      const edge = new lib.SiitDcTranslators(stack, s === 0 ? "Edge" : `Edge${s}`, { vpc, instanceType: "c7gn.4xlarge", translatorsPerZone });
      for (let i = 0; i < count; i++) {
        const zone = ZONES[i % ZONES.length];
        const ordinal = Math.floor(i / ZONES.length) % translatorsPerZone;
        const target = vpc.serverSubnet(zone).plan.ipv6.host(16 + i);
        edge.publish(`svc${i}`, target, { number: i + 1, ports: [lib.Port.tcp(443)], translators: [edge.translator(zone, ordinal)] });
      }
    }
    app.synth();
    const millis = since(started);
    return { millis, peakRssMiB: peakRssMiB(), resources: resourcesIn(outdir, "bench"), loaded: providerModules() };
  });
}

/** The provider binding modules this process has loaded. */
function providerModules(): string[] {
  return Object.keys(require.cache).filter((k) => /@cdktf[\\/]provider-aws[\\/]lib[\\/]/.test(k));
}

/** A bare stack of `resources` resources: EIPs and their associations (which reference them). */
function bareCase(resources: number): Measurement {
  const { AwsProvider } = require("@cdktf/provider-aws/lib/provider") as typeof import("@cdktf/provider-aws/lib/provider");
  const { Eip } = require("@cdktf/provider-aws/lib/eip") as typeof import("@cdktf/provider-aws/lib/eip");
  const { EipAssociation } = require("@cdktf/provider-aws/lib/eip-association") as typeof import("@cdktf/provider-aws/lib/eip-association");
  const { App, TerraformStack } = require("../lib/cdktf") as typeof import("../lib/cdktf");
  return scratch((outdir) => {
    const started = process.hrtime.bigint();
    const app = new App({ outdir });
    const stack = new TerraformStack(app, "bench");
    new AwsProvider(stack, "aws", { region: "eu-north-1" });
    for (let i = 0; i < resources; i++) {
      const eip = new Eip(stack, `Eip${i}`, { domain: "vpc", tags: { Name: `address-${i}` } });
      if (++i < resources) new EipAssociation(stack, `Association${i}`, { allocationId: eip.allocationId, networkInterfaceId: "eni-0123456789abcdef0", privateIpAddress: `10.0.${i >> 8}.${i & 255}` });
    }
    app.synth();
    const millis = since(started);
    return { millis, peakRssMiB: peakRssMiB(), resources: resourcesIn(outdir, "bench") };
  });
}

/**
 * The services case under V8's sampling profiler: self time per function, over build and synth.
 * The inspector session answers synchronously on the main thread.
 */
function profileCase(services: number, preload: readonly string[]): Measurement {
  const inspector = require("inspector") as typeof import("inspector");
  const session = new inspector.Session();
  session.connect();
  let profile: import("inspector").Profiler.Profile | undefined;
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 100 });
  session.post("Profiler.start");
  const measured = servicesCase(services, preload);
  session.post("Profiler.stop", (error, result) => {
    if (error) throw error;
    profile = result.profile;
  });
  if (!profile) throw new Error("the profiler returned no profile");
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, { owner: string; micros: number }>();
  let total = 0;
  profile.samples!.forEach((id, i) => {
    const micros = profile!.timeDeltas![i] ?? 0;
    total += micros;
    const frame = byId.get(id)!.callFrame;
    const url = frame.url;
    const owner = url.includes("/dist/lib/") ? "library" : (/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? (url ? "node" : frame.functionName));
    const name = `${frame.functionName || "(anonymous)"} ${url ? `${path.basename(url)}:${frame.lineNumber + 1}` : ""}`.trim();
    const entry = self.get(name) ?? { owner, micros: 0 };
    entry.micros += micros;
    self.set(name, entry);
  });
  const ranked = [...self].map(([name, { owner, micros }]) => ({ name, owner, percent: (100 * micros) / total })).sort((a, b) => b.percent - a.percent);
  return { ...measured, hottest: ranked.slice(0, 6), hottestInLibrary: ranked.filter((f) => f.owner === "library").slice(0, 5) };
}

function importCase(what: "lib" | "bare"): Measurement {
  const before = Object.keys(require.cache).length;
  const started = process.hrtime.bigint();
  if (what === "lib") {
    require("../lib");
  } else {
    require("cdktf");
    require("@cdktf/provider-aws/lib/provider");
  }
  const millis = since(started);
  return { millis, peakRssMiB: peakRssMiB(), modules: Object.keys(require.cache).length - before };
}

/**
 * Bare cdktf writing Terraform JSON the library synthesized (`dir`, a kept output directory)
 * again: every resource and data source a plain element with the JSON's values as overrides, the
 * stack's other blocks as stack overrides, one AwsProvider per stack; no library, no provider
 * classes. What cdktf itself costs for the same output: build + synth after loading, like the
 * services case (the whole process for the examples, timed by the parent).
 */
function sameJsonCase(dir: string): Measurement {
  const { AwsProvider } = require("@cdktf/provider-aws/lib/provider") as typeof import("@cdktf/provider-aws/lib/provider");
  const { App, TerraformStack, TerraformResource, TerraformDataSource } = require("cdktf") as typeof import("cdktf");
  type Blocks = Record<string, Record<string, Record<string, unknown>>>;
  const stacks = fs.readdirSync(path.join(dir, "stacks")).map((name) => [name, JSON.parse(fs.readFileSync(path.join(dir, "stacks", name, "cdk.tf.json"), "utf8")) as Record<string, unknown>] as const);
  return scratch((outdir) => {
    const started = process.hrtime.bigint();
    const app = new App({ outdir });
    for (const [name, tf] of stacks) {
      const stack = new TerraformStack(app, name);
      new AwsProvider(stack, "aws", { region: "eu-north-1" });
      for (const [kind, Element] of [["resource", TerraformResource], ["data", TerraformDataSource]] as const) {
        for (const [type, byName] of Object.entries((tf[kind] ?? {}) as Blocks)) {
          for (const [id, body] of Object.entries(byName)) {
            const element = new Element(stack, id, { terraformResourceType: type, terraformGeneratorMetadata: { providerName: type.startsWith("aws_") ? "aws" : "terraform" } });
            for (const [key, value] of Object.entries(body)) if (key !== "//") element.addOverride(key, value);
          }
        }
      }
      for (const block of ["locals", "output", "moved"]) if (tf[block] !== undefined) stack.addOverride(block, tf[block]);
    }
    app.synth();
    const millis = since(started);
    return { millis, peakRssMiB: peakRssMiB(), resources: stacks.reduce((n, [name]) => n + resourcesIn(outdir, name), 0) };
  });
}

/**
 * The whole process is timed by the parent; this only synthesizes. `floor-app` is the bare app
 * plus what cdktf makes any app with the examples' resources pay: loading the provider bindings
 * of the resource types they use (`modules`, listed by the example case).
 */
function appCase(what: "example" | "bare-app" | "floor-app", modules: readonly string[] = []): Measurement {
  let loaded: string[] = [];
  scratch((outdir) => {
    if (what === "example") {
      (require("../examples/main") as typeof import("../examples/main")).exampleApp(outdir).synth();
      loaded = providerModules();
    } else {
      if (what === "floor-app") {
        for (const m of modules) require(m);
      }
      const { App, TerraformStack } = require("cdktf") as typeof import("cdktf");
      const { AwsProvider } = require("@cdktf/provider-aws/lib/provider") as typeof import("@cdktf/provider-aws/lib/provider");
      const app = new App({ outdir });
      new AwsProvider(new TerraformStack(app, "bare"), "aws", { region: "eu-north-1" });
      app.synth();
    }
  });
  return { millis: 0, peakRssMiB: peakRssMiB(), modules: loaded.length, loaded };
}
/* eslint-enable @typescript-eslint/no-require-imports */

function runCase(kind: string, n: number): Measurement {
  switch (kind) {
    case "services":
      return servicesCase(n, process.argv[5] ? (JSON.parse(process.argv[5]) as string[]) : []);
    case "profile":
      return profileCase(n, JSON.parse(process.argv[5]) as string[]);
    case "bare":
      return bareCase(n);
    case "import-lib":
      return importCase("lib");
    case "import-bare":
      return importCase("bare");
    case "example":
    case "bare-app":
      return appCase(kind);
    case "floor-app":
      return appCase(kind, JSON.parse(process.argv[5]) as string[]);
    case "same-json":
    case "same-json-app":
      return sameJsonCase(process.argv[5]);
  }
  throw new Error(`unknown case ${kind}`);
}

/**
 * What-if only, never a goal's measurement: cdktf records a stack trace for every token it makes
 * and has no switch to stop (aws-cdk records them only with CDK_DEBUG set, see its
 * core/lib/stack-trace.ts), so this replaces its capture function in the case's process.
 */
function withoutCreationStacks(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- cdktf's private module, patched before anything loads it
  (require("cdktf/lib/tokens/private/stack-trace") as { captureStackTrace: () => string[] }).captureStackTrace = () => [];
}

/** Runs one case in a fresh process; whole-process cases take the parent's wall time. */
function spawnCase(kind: string, n = 0, extra: string[] = [], keep?: string, noCreationStacks = false): Measurement {
  const started = process.hrtime.bigint();
  const env = { ...process.env, ...(keep ? { BENCH_KEEP: keep } : {}), ...(noCreationStacks ? { BENCH_NO_CREATION_STACKS: "1" } : {}) };
  const out = execFileSync(process.execPath, [__filename, "--case", kind, String(n), ...extra], { encoding: "utf8", maxBuffer: 1 << 26, stdio: ["ignore", "pipe", "inherit"], env });
  const wall = since(started);
  const m = JSON.parse(out) as Measurement;
  return kind.endsWith("app") || kind === "example" ? { ...m, millis: wall } : m;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function main(): void {
  if (process.argv[2] === "--case") {
    if (process.env.BENCH_NO_CREATION_STACKS === "1") withoutCreationStacks();
    process.stdout.write(JSON.stringify(runCase(process.argv[3], Number(process.argv[4]))));
    return;
  }
  // The bare stacks match the services' resource counts: learn them first (one untimed run each).
  const learned = new Map(SCALING.map((n) => [n, spawnCase("services", n)]));
  const resources = new Map(SCALING.map((n) => [n, learned.get(n)!.resources!]));
  const preload = (n: number) => [JSON.stringify(learned.get(n)!.loaded)];
  // The examples' and the reference size's output, kept for the cases that write the same JSON.
  const kept = fs.mkdtempSync(path.join(os.tmpdir(), "siit-bench-kept-"));
  const [exampleOut, servicesOut] = [path.join(kept, "example"), path.join(kept, "services")];
  const exampleModules = spawnCase("example", 0, [], exampleOut).loaded!;
  spawnCase("services", REFERENCE_SIZE, [], servicesOut);
  const samples = new Map<string, Measurement[]>();
  const record = (key: string, m: Measurement) => samples.set(key, [...(samples.get(key) ?? []), m]);
  for (let run = 0; run < RUNS; run++) {
    for (const kind of ["example", "bare-app", "floor-app", "import-lib", "import-bare"]) record(kind, spawnCase(kind, 0, kind === "floor-app" ? [JSON.stringify(exampleModules)] : []));
    record("same-json-app", spawnCase("same-json-app", 0, [exampleOut]));
    record(`same-json ${REFERENCE_SIZE}`, spawnCase("same-json", 0, [servicesOut]));
    for (const n of SCALING) {
      record(`services ${n}`, spawnCase("services", n, preload(n)));
      record(`bare ${n}`, spawnCase("bare", resources.get(n)!));
    }
    record(`services ${REFERENCE_SIZE} without creation stacks`, spawnCase("services", REFERENCE_SIZE, preload(REFERENCE_SIZE), undefined, true));
    record(`bare ${REFERENCE_SIZE} without creation stacks`, spawnCase("bare", resources.get(REFERENCE_SIZE)!, [], undefined, true));
    console.error(`  run ${run + 1} of ${RUNS} done`);
  }
  const profiled = spawnCase("profile", REFERENCE_SIZE, preload(REFERENCE_SIZE));
  fs.rmSync(kept, { recursive: true, force: true });
  const ms = (key: string) => median(samples.get(key)!.map((m) => m.millis));
  const rss = (key: string) => median(samples.get(key)!.map((m) => m.peakRssMiB));
  const modules = (key: string) => samples.get(key)![0].modules!;
  const perResource = (key: string, n: number) => ms(key) / resources.get(n)!;
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  const verdict = (value: number, goal: number) => (value <= goal ? "met" : "**not met**");

  const exampleRatio = ms("example") / ms("bare-app");
  const importRatio = ms("import-lib") / ms("import-bare");
  const resourceRatio = perResource(`services ${REFERENCE_SIZE}`, REFERENCE_SIZE) / perResource(`bare ${REFERENCE_SIZE}`, REFERENCE_SIZE);
  const peak = rss(`services ${REFERENCE_SIZE}`);
  const cpu = os.cpus();
  const text = [
    "# Synthesis benchmark",
    "",
    `Generated by \`npm run bench\` (scripts/bench.ts) on ${new Date().toISOString().slice(0, 10)}: Node ${process.version}, ${cpu.length} × ${cpu[0]?.model ?? "CPU"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB.`,
    `Every case ran in a fresh process, ${RUNS} times, interleaved run by run; the figures are medians.`,
    "",
    "## Against bare cdktf",
    "",
    "| measure | library | bare cdktf | ratio | goal | |",
    "|---|---:|---:|---:|---:|---|",
    `| synthesizing the bundled examples vs a bare app (App, stack, AwsProvider by deep import), whole process | ${ms("example").toFixed(0)} ms | ${ms("bare-app").toFixed(0)} ms | ${ratio(ms("example"), ms("bare-app"))} | ≤ 1.5× | ${verdict(exampleRatio, 1.5)} |`,
    `| importing the library vs \`cdktf\` and the provider class | ${ms("import-lib").toFixed(0)} ms, ${modules("import-lib")} modules | ${ms("import-bare").toFixed(0)} ms, ${modules("import-bare")} modules | ${ratio(ms("import-lib"), ms("import-bare"))} | ≤ 1.2× | ${verdict(importRatio, 1.2)} |`,
    `| ${REFERENCE_SIZE.toLocaleString("en")} services: time per resource vs a bare stack of as many resources | ${(perResource(`services ${REFERENCE_SIZE}`, REFERENCE_SIZE) * 1000).toFixed(0)} µs | ${(perResource(`bare ${REFERENCE_SIZE}`, REFERENCE_SIZE) * 1000).toFixed(0)} µs | ${resourceRatio.toFixed(2)}× | ≤ 2.0× | ${verdict(resourceRatio, 2)} |`,
    `| peak memory at ${REFERENCE_SIZE.toLocaleString("en")} services (whole process) | ${peak.toFixed(0)} MiB | ${rss(`bare ${REFERENCE_SIZE}`).toFixed(0)} MiB | ${ratio(peak, rss(`bare ${REFERENCE_SIZE}`))} | ≤ 200 MiB | ${verdict(peak, 200)} |`,
    "",
    "What the library adds to what cdktf itself costs for the same output: bare cdktf writing the Terraform JSON the library synthesized (every resource and data source a plain element with the JSON's values, no provider classes, no library):",
    "",
    "| measure | library | bare cdktf, same JSON | ratio |",
    "|---|---:|---:|---:|",
    `| the bundled examples, whole process | ${ms("example").toFixed(0)} ms | ${ms("same-json-app").toFixed(0)} ms | ${ratio(ms("example"), ms("same-json-app"))} |`,
    `| ${REFERENCE_SIZE.toLocaleString("en")} services, build + synth | ${ms(`services ${REFERENCE_SIZE}`).toFixed(0)} ms | ${ms(`same-json ${REFERENCE_SIZE}`).toFixed(0)} ms | ${ratio(ms(`services ${REFERENCE_SIZE}`), ms(`same-json ${REFERENCE_SIZE}`))} |`,
    "",
    `What cdktf's creation stacks cost (a what-if, not a goal's measure): were cdktf to record no stack trace per token, as aws-cdk records none unless CDK_DEBUG is set, ${REFERENCE_SIZE.toLocaleString("en")} services would take ${ms(`services ${REFERENCE_SIZE} without creation stacks`).toFixed(0)} ms and the bare stack ${ms(`bare ${REFERENCE_SIZE} without creation stacks`).toFixed(0)} ms, ${ratio(ms(`services ${REFERENCE_SIZE} without creation stacks`), ms(`bare ${REFERENCE_SIZE} without creation stacks`))} per resource (cdktf has no such switch: the bench replaces its capture function in those two processes).`,
    "",
    `What cdktf imposes on the examples' synthesis: a bare app that also loads the provider bindings of the ${exampleModules.length} resource types the examples use takes ${ms("floor-app").toFixed(0)} ms (${ratio(ms("floor-app"), ms("bare-app"))} the bare app); the examples take ${ratio(ms("example"), ms("floor-app"))} that floor.`,
    "",
    "## Scaling",
    "",
    `Three zones; each service publishes tcp/443 from a plan address through one translator (c7gn.4xlarge, at most ${PER_TRANSLATOR} services each), ${PER_SET.toLocaleString("en")} services per translator set, each set in its own VPC (each translator adds a route to every server route table of its VPC, whose default quota of 50 routes caps a VPC near 1,300 such services).`,
    "Time is build + `app.synth()` after module loading; the bare stack holds as many resources (EIPs and their associations).",
    "",
    "| services | translator sets | resources | synth ms | bare stack ms | time per resource vs bare | peak RSS MiB | bare peak RSS MiB | marginal cost per added service (time, memory) |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ...SCALING.map((n, i) => {
      const previous = SCALING[i - 1];
      const marginal =
        previous === undefined
          ? "—"
          : `${((ms(`services ${n}`) - ms(`services ${previous}`)) / (n - previous)).toFixed(2)} ms, ${(((rss(`services ${n}`) - rss(`services ${previous}`)) * 1024) / (n - previous)).toFixed(0)} KiB`;
      return `| ${n} | ${Math.ceil(n / PER_SET)} | ${resources.get(n)} | ${ms(`services ${n}`).toFixed(0)} | ${ms(`bare ${n}`).toFixed(0)} | ${(ms(`services ${n}`) / ms(`bare ${n}`)).toFixed(2)}× | ${rss(`services ${n}`).toFixed(0)} | ${rss(`bare ${n}`).toFixed(0)} | ${marginal} |`;
    }),
    "",
    "Reading it: the small rows are dominated by the fixed cost of the VPC and translators; a marginal cost per added service that stays flat as the count grows means synthesis grows linearly with the number of services.",
    "",
    "## Where the time goes",
    "",
    `One run of the ${REFERENCE_SIZE.toLocaleString("en")}-service case under V8's sampling profiler (100 µs), self time per function over build and synth; goal: no library function above 5%.`,
    "",
    "| function | where | self time |",
    "|---|---|---:|",
    ...profiled.hottest!.map((f) => `| \`${f.name}\` | ${f.owner} | ${f.percent.toFixed(1)}% |`),
    "",
    `The library's own functions with the most self time: ${profiled.hottestInLibrary!.map((f) => `\`${f.name}\` ${f.percent.toFixed(1)}%`).join(", ")} (${verdict(profiled.hottestInLibrary![0]?.percent ?? 0, 5)}).`,
    "",
  ].join("\n");
  const file = path.resolve(__dirname, "../../bench/RESULTS.md");
  fs.writeFileSync(file, text);
  console.log(text);
  console.log(`written to ${path.relative(process.cwd(), file)}`);
}

main();
