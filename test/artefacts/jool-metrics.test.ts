import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { NAT64_INSTANCE, SIIT_INSTANCE } from "../../lib/plan/jool/config";
import { JOOL_METRICS, JOOL_NAMESPACE, nodeAlarmSpecs } from "../../lib/plan/monitoring/metrics";

/**
 * The Jool metrics agent (lib/plan/boot/scripts/jool-metrics-agent.sh): its parsing of `stats
 * display` output, checked on Jool's own documentation samples (test/fixtures/jool-stats), and
 * the agent run for real against stand-in jool_siit/jool, aws and curl commands, showing the
 * metrics it would publish.
 */
const root = path.resolve(__dirname, "../..");
const AGENT = path.join(root, "lib/plan/boot/scripts/jool-metrics-agent.sh");
const FIXTURES = path.join(root, "test/fixtures/jool-stats");
const STANDINS = path.join(root, "test/support/standins");

function classify(input: string): string[] {
  const r = spawnSync("sh", [AGENT, "--classify"], { input, encoding: "utf8" });
  expect(r.status).toBe(0);
  return r.stdout.trim().split("\n").filter(Boolean);
}

describe("parsing Jool's stats output (samples from Jool's documentation)", () => {
  const expected = ["Translated 35", "BibEntries 5", "Sessions 8", "Untranslatable 1 JSTAT_BIB4_NOT_FOUND", "Untranslatable 1 JSTAT_FAILED_ROUTES", "Dropped 2 JSTAT_PKT_TOO_BIG"];

  test("plain `jool stats display`", () => {
    expect(classify(fs.readFileSync(path.join(FIXTURES, "plain.txt"), "utf8"))).toEqual(expected);
  });

  test("`--explain`: explanation lines are skipped", () => {
    expect(classify(fs.readFileSync(path.join(FIXTURES, "explain.txt"), "utf8"))).toEqual(expected);
  });

  test("`--csv --explain` with its header (docs/obj/stats.csv)", () => {
    expect(classify(fs.readFileSync(path.join(FIXTURES, "stats.csv"), "utf8"))).toEqual(["Translated 35", "BibEntries 4", "Sessions 6", ...expected.slice(3)]);
  });

  test.each(["4.1.9", "4.1.15"])("every counter of Jool %s lands in one category", (version) => {
    const names = fs.readFileSync(path.join(FIXTURES, `counters-${version}.txt`), "utf8").trim().split("\n");
    const lines = classify(names.map((n) => `${n}: 1`).join("\n"));
    const byName = new Map(lines.map((l) => [l.split(" ")[2] ?? l.split(" ")[0], l.split(" ")[0]]));
    expect(byName.get("Translated")).toBe("Translated");
    expect(byName.get("JSTAT_POOL6_MISMATCH")).toBe("Untranslatable");
    expect(byName.get("JSTAT64_TTL")).toBe("Dropped");
    expect(byName.get("JSTAT_HAIRPIN_LOOP")).toBe("Dropped");
    expect(byName.get("JSTAT_ICMP6ERR_SUCCESS")).toBeUndefined();
    // Each counter gives at most one line; the totals and gauges are named, the rest classified.
    expect(lines.length).toBeLessThanOrEqual(names.length);
    const dropped = lines.filter((l) => l.startsWith("Dropped")).length;
    const untranslatable = lines.filter((l) => l.startsWith("Untranslatable")).length;
    expect(dropped + untranslatable + 5).toBe(lines.length);
  });
});

describe("the agent, run against stand-in commands", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "jool-metrics-"));
    write("meta-data/instance-id", "i-0123456789abcdef0");
    write("meta-data/placement/region", "eu-north-1");
    // The applied files name the instances (as the config agent leaves them on a node).
    write("conf/siit.conf", JSON.stringify({ instance: SIIT_INSTANCE, framework: "netfilter" }));
    write("conf/nat64.conf", JSON.stringify({ instance: NAT64_INSTANCE, framework: "netfilter", global: { pool6: "64:ff9b::/96" } }));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function write(file: string, content: string): void {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }

  const env = (mode: "siit" | "nat64") => ({
    PATH: `${STANDINS}:${path.dirname(process.execPath)}:${process.env.PATH}`,
    STANDIN_DIR: dir,
    SIIT_DC_STATE_DIR: path.join(dir, "state"),
    SIIT_DC_JOOL_CONF: path.join(dir, `conf/${mode}.conf`),
  });
  const statsFile = (mode: "siit" | "nat64") => (mode === "siit" ? `stats-jool_siit-${SIIT_INSTANCE}.txt` : `stats-jool-${NAT64_INSTANCE}.txt`);

  function run(mode: "siit" | "nat64", stats: string): { status: number | null; stderr: string; published: Datum[] } {
    write(statsFile(mode), stats);
    const before = fs.existsSync(path.join(dir, "cloudwatch")) ? fs.readdirSync(path.join(dir, "cloudwatch")).length : 0;
    const r = spawnSync("sh", [AGENT, mode], { encoding: "utf8", env: env(mode) });
    const file = path.join(dir, "cloudwatch", `${before + 1}.json`);
    return { status: r.status, stderr: r.stderr, published: fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as Datum[]) : [] };
  }

  interface Datum {
    MetricName: string;
    Value: number;
    Unit: string;
    Dimensions: { Name: string; Value: string }[];
  }
  const value = (data: Datum[], name: string, reason?: string) =>
    data.find((d) => d.MetricName === name && (reason === undefined ? !d.Dimensions.some((x) => x.Name === "Reason") : d.Dimensions.some((x) => x.Name === "Reason" && x.Value === reason)))?.Value;

  test("publishes the change since its last run, per drop reason, with the instance and mode", () => {
    expect(run("siit", "JSTAT_RECEIVED4,100\nJSTAT_SUCCESS,90\nJSTAT_POOL6_MISMATCH,4\nJSTAT46_TTL,6\n").status).toBe(0);
    const second = run("siit", "JSTAT_RECEIVED4,160\nJSTAT_RECEIVED6,7\nJSTAT_SUCCESS,140\nJSTAT_POOL6_MISMATCH,5\nJSTAT46_TTL,10\nJSTAT_HAIRPIN_LOOP,3\n");
    expect(second.status).toBe(0);
    const data = second.published;
    expect(value(data, JOOL_METRICS.received4)).toBe(60);
    expect(value(data, JOOL_METRICS.received6)).toBe(7);
    expect(value(data, JOOL_METRICS.translated)).toBe(50);
    expect(value(data, JOOL_METRICS.untranslatable)).toBe(1);
    expect(value(data, JOOL_METRICS.dropped)).toBe(7);
    expect(value(data, JOOL_METRICS.dropped, "JSTAT46_TTL")).toBe(4);
    expect(value(data, JOOL_METRICS.dropped, "JSTAT_HAIRPIN_LOOP")).toBe(3);
    expect(value(data, JOOL_METRICS.heartbeat)).toBe(1);
    expect(value(data, JOOL_METRICS.configRefused)).toBe(0);
    for (const d of data) {
      expect(d.Unit).toBe("Count");
      expect(d.Dimensions.slice(0, 2)).toEqual([
        { Name: "InstanceId", Value: "i-0123456789abcdef0" },
        { Name: "Mode", Value: "siit" },
      ]);
    }
    expect(fs.readFileSync(path.join(dir, "calls.log"), "utf8")).toContain(`aws cloudwatch put-metric-data --region eu-north-1 --namespace ${JOOL_NAMESPACE} --metric-data file://`);
  });

  test("the first run publishes zero changes; a counter that went down (module reloaded) counts from zero", () => {
    const first = run("siit", "JSTAT_SUCCESS,500\n");
    expect(value(first.published, JOOL_METRICS.translated)).toBe(0);
    const reloaded = run("siit", "JSTAT_SUCCESS,20\n");
    expect(value(reloaded.published, JOOL_METRICS.translated)).toBe(20);
  });

  test("reports the configuration in use and a refused one", () => {
    write("state/siit.applied", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n");
    write("state/siit.refused", "fedcba\n");
    const r = run("siit", "JSTAT_SUCCESS,1\n");
    expect(value(r.published, JOOL_METRICS.configRefused)).toBe(1);
    expect(r.published.find((d) => d.MetricName === JOOL_METRICS.configVersion)!.Dimensions).toContainEqual({ Name: "Version", Value: "0123456789ab" });
  });

  test("a refusal that names a team's fragment is also published with dimension Fragment=<team>", () => {
    write("state/siit.applied", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n");
    write("state/siit.refused", "fedcba\nfragment payments\n");
    const r = run("siit", "JSTAT_SUCCESS,1\n");
    expect(r.status).toBe(0);
    const refused = r.published.filter((d) => d.MetricName === JOOL_METRICS.configRefused);
    expect(refused.map((d) => [d.Value, d.Dimensions.slice(2)])).toEqual([
      [1, []],
      [1, [{ Name: "Fragment", Value: "payments" }]],
    ]);
    for (const d of refused) expect(d.Dimensions.slice(0, 2)).toEqual([{ Name: "InstanceId", Value: "i-0123456789abcdef0" }, { Name: "Mode", Value: "siit" }]);
  });

  test("a refusal that names no fragment (or a name that is not safe JSON) has no Fragment datum; no refusal, no datum at all", () => {
    write("state/siit.refused", 'fedcba\nfragment a"b\n');
    const quoted = run("siit", "JSTAT_SUCCESS,1\n");
    expect(quoted.published.filter((d) => d.MetricName === JOOL_METRICS.configRefused).map((d) => d.Dimensions.length)).toEqual([2]);
    write("state/siit.refused", "fedcba\n");
    expect(run("siit", "JSTAT_SUCCESS,1\n").published.filter((d) => d.MetricName === JOOL_METRICS.configRefused).map((d) => d.Dimensions.length)).toEqual([2]);
    fs.rmSync(path.join(dir, "state/siit.refused"));
    const clear = run("siit", "JSTAT_SUCCESS,1\n").published.filter((d) => d.MetricName === JOOL_METRICS.configRefused);
    expect(clear.map((d) => [d.Value, d.Dimensions.length])).toEqual([[0, 2]]);
  });

  test("NAT64 mode reads `jool`, publishes sessions and BIB entries as levels", () => {
    run("nat64", "JSTAT_SESSIONS,8\nJSTAT_BIB_ENTRIES,5\n");
    const r = run("nat64", "JSTAT_SESSIONS,3\nJSTAT_BIB_ENTRIES,2\nJSTAT_SUCCESS,9\n");
    expect(value(r.published, JOOL_METRICS.sessions)).toBe(3);
    expect(value(r.published, JOOL_METRICS.bibEntries)).toBe(2);
    expect(r.published[0].Dimensions[1]).toEqual({ Name: "Mode", Value: "nat64" });
    expect(fs.readFileSync(path.join(dir, "calls.log"), "utf8")).toContain(`jool -i ${NAT64_INSTANCE} stats display --all --csv --no-headers`);
  });

  test("a Jool that answers nothing still yields a heartbeat; metadata is cached for later runs", () => {
    run("siit", "JSTAT_SUCCESS,1\n");
    fs.rmSync(path.join(dir, statsFile("siit")));
    write("imds-down", "");
    const r = spawnSync("sh", [AGENT, "siit"], { encoding: "utf8", env: env("siit") });
    expect(r.status).toBe(0);
    const data = JSON.parse(fs.readFileSync(path.join(dir, "cloudwatch", "2.json"), "utf8")) as Datum[];
    expect(value(data, JOOL_METRICS.heartbeat)).toBe(1);
    expect(data[0].Dimensions[0]).toEqual({ Name: "InstanceId", Value: "i-0123456789abcdef0" });
  });

  test("reads the counters of the instance its applied file names, not Jool's default instance", () => {
    // The stand-in answers as Jool does: no -i means the instance "default", which is not there.
    write("stats-jool_siit-default.txt", "JSTAT_SUCCESS,999\n");
    run("siit", "JSTAT_SUCCESS,10\n");
    const r = run("siit", "JSTAT_SUCCESS,25\n");
    expect(value(r.published, JOOL_METRICS.translated)).toBe(15);
    expect(fs.readFileSync(path.join(dir, "calls.log"), "utf8")).toContain(`jool_siit -i ${SIIT_INSTANCE} stats display`);
  });

  test("before any file was applied there is no instance to read: zero counters, heartbeat still 1", () => {
    fs.rmSync(path.join(dir, "conf/siit.conf"));
    const r = run("siit", "JSTAT_SUCCESS,10\n");
    expect(r.status).toBe(0);
    expect(value(r.published, JOOL_METRICS.translated)).toBe(0);
    expect(value(r.published, JOOL_METRICS.heartbeat)).toBe(1);
  });

  test("every alarm on a Jool metric watches a metric the agent publishes", () => {
    run("siit", "JSTAT_SUCCESS,1\n");
    const published = new Set(run("siit", "JSTAT_SUCCESS,2\nJSTAT_ENOMEM,1\n").published.map((d) => d.MetricName));
    const watched = nodeAlarmSpecs({ dropsPer5Minutes: 1 }).filter((a) => a.namespace === JOOL_NAMESPACE).map((a) => a.metric);
    expect(watched.length).toBeGreaterThan(0);
    for (const m of watched) expect(published).toContain(m);
  });
});
