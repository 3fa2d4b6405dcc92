import { spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { NODE_CONFIG_FORMAT, NODE_CONFIG_FORMAT_WITH_FRAGMENTS, nodeConfigBundleText } from "../../lib/plan/jool/bundle";
import { EamHairpinMode, joolFileText, NAT64_INSTANCE, Nat64Config, SIIT_INSTANCE, SiitConfig } from "../../lib/plan/jool/config";
import { validateJoolFile } from "../../lib/plan/jool/validate";
import { Ipv4Address, Ipv4Prefix } from "../../lib/plan/address/ip";
import { denylist4 } from "../../lib/plan/siit/translation-plan";
import { TRANSLATOR_FILTER_TABLE } from "../../lib/plan/siit/translator-filter";
import { fragmentOf, platformObject, singleStack, VPC4 } from "../support/team-fragments";

/**
 * The Jool node's configuration agent (lib/plan/boot/scripts/jool-config-agent.sh), run for real
 * with `sh` against stand-ins for the commands it drives (test/support/standins: curl serving IMDS,
 * aws s3 cp, ip, jool_siit / jool, which validate with the project's compiled validator and
 * refuse like Jool does, and nft, which has the real nft check a filter and records a load).
 * What it downloads is a node configuration object: the Jool file and, on translators, the
 * per-address nftables filter (lib/plan/jool/bundle.ts). Each test has its own scenario directory: metadata, bucket, interface
 * addresses and the logs the stand-ins write.
 */
const root = path.resolve(__dirname, "../..");
const AGENT = "lib/plan/boot/scripts/jool-config-agent.sh";
const STANDINS = path.join(root, "test/support/standins");
const VALIDATOR = path.join(root, "dist/lib/plan/jool/validate.js");

const URI = "s3://siit-dc-config-0123456789/edge/Translators/t0-eu-north-1a.json";
const REGION = "eu-north-1";
const PRIMARY = "10.0.0.10";

type Mode = "siit" | "nat64";

/** What a node downloads (the object), and the two files the agent makes of it. */
interface Published {
  readonly object: string;
  readonly jool: string;
  readonly filter: string;
}

/** A valid filter (the real nft checks it): translator t0's published addresses. */
function filterOf(services: number[]): string {
  const addresses = services.map((n) => `10.0.0.${64 + n}`);
  return [
    "table inet siit_dc_services",
    "delete table inet siit_dc_services",
    "table inet siit_dc_services {",
    "  set published4 {",
    "    type ipv4_addr",
    ...(addresses.length ? [`    elements = { ${addresses.join(", ")} }`] : []),
    "  }",
    "  chain prerouting {",
    "    type filter hook prerouting priority raw; policy accept;",
    "    ip daddr @published4 tcp dport != 443 counter drop",
    "  }",
    "}",
    "",
  ].join("\n");
}

/** A SIIT object as the library renders it: translator t0 carrying the given service addresses. */
function siitObject(services: number[], filter = filterOf(services)): Published {
  const config: SiitConfig = {
    comment: "SIIT-DC border relay t0 (eu-north-1a); generated, do not edit",
    instance: SIIT_INSTANCE,
    framework: "netfilter",
    global: { "manually-enabled": true, pool6: "2001:db8:1200:1::/96", "lowest-ipv6-mtu": 1500, "eam-hairpin-mode": EamHairpinMode.INTRINSIC.value },
    eamt: services.map((n) => ({ "ipv6 prefix": `2001:db8:1200:10::${n.toString(16)}/128`, "ipv4 prefix": `10.0.0.${64 + n}/32` })),
    denylist4: denylist4(Ipv4Prefix.parse("10.0.0.0/16"), services.map((n) => Ipv4Address.parse(`10.0.0.${64 + n}`))),
  };
  return { object: nodeConfigBundleText(config, filter), jool: joolFileText(config), filter };
}

/** A NAT64 object: the Jool file only. */
function nat64Object(): Published {
  const config: Nat64Config = {
    comment: "NAT64 instance (eu-north-1a); generated, do not edit",
    instance: NAT64_INSTANCE,
    framework: "netfilter",
    global: { "manually-enabled": true, pool6: "64:ff9b::/96", "lowest-ipv6-mtu": 1500 },
    pool4: [{ protocol: "TCP", prefix: `${PRIMARY}/32`, "port range": "61001-65535" }],
  };
  return { object: nodeConfigBundleText(config), jool: joolFileText(config), filter: "" };
}

const sha256 = (text: string | Buffer) => createHash("sha256").update(text).digest("hex");

interface Run {
  readonly status: number | null;
  readonly stderr: string;
}

class Scenario {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "jool-agent-"));
  readonly state = path.join(this.dir, "var/lib/siit-dc");
  readonly conf: string;
  readonly filter: string;

  constructor(readonly mode: Mode = "siit") {
    this.conf = path.join(this.dir, "etc/jool", mode === "siit" ? "jool_siit.conf" : "jool.conf");
    this.filter = path.join(this.dir, "etc/siit-dc", `${mode}.nft`);
    this.write("meta-data/tags/instance/SiitDcConfig", URI);
    this.write("meta-data/placement/region", REGION);
    this.write("meta-data/local-ipv4", PRIMARY);
    this.write("addresses", `${PRIMARY}/20\n`);
  }

  write(file: string, content: string | Buffer): void {
    const p = path.join(this.dir, file);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }

  read(file: string): string | undefined {
    const p = path.isAbsolute(file) ? file : path.join(this.dir, file);
    return fs.existsSync(p) ? fs.readFileSync(p, "utf8") : undefined;
  }

  lines(file: string): string[] {
    return (this.read(file) ?? "").split("\n").filter((l) => l !== "");
  }

  /** Puts the object at the published location (the bucket the aws stand-in serves). */
  publish(content: Published | string | Buffer): void {
    this.write(`s3/${URI.slice("s3://".length)}`, typeof content === "object" && "object" in content ? content.object : content);
  }

  unpublish(): void {
    fs.rmSync(path.join(this.dir, "s3"), { recursive: true, force: true });
  }

  imdsDown(): void {
    this.write("imds-down", "");
  }

  /** `sh jool-config-agent.sh <mode> [args]` with the stand-ins first on PATH and a clean environment. */
  run(mode: string = this.mode, ...args: string[]): Run {
    const r = spawnSync("sh", [AGENT, mode, ...args], {
      cwd: root,
      encoding: "utf8",
      timeout: 60000,
      env: {
        PATH: [STANDINS, path.dirname(process.execPath), process.env.PATH ?? "/usr/bin:/bin"].join(path.delimiter),
        LC_ALL: "C",
        STANDIN_DIR: this.dir,
        SIIT_DC_JOOL_CONF: this.conf,
        SIIT_DC_FILTER: this.filter,
        SIIT_DC_STATE_DIR: this.state,
      },
    });
    if (r.error) throw r.error;
    return { status: r.status, stderr: r.stderr };
  }

  get joolLog(): string[] {
    return this.lines("jool.log");
  }

  /** Calls recorded by the stand-ins (aws, ip addr del, jool_siit, jool, nft). */
  get calls(): string[] {
    return this.lines("calls.log");
  }

  joolCalls(): string[] {
    return this.calls.filter((c) => /^jool(_siit)? /.test(c));
  }

  nftCalls(): string[] {
    return this.calls.filter((c) => c.startsWith("nft "));
  }

  stateFile(name: string): string | undefined {
    return this.read(path.join(this.state, name));
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

const scenarios: Scenario[] = [];
function scenario(mode: Mode = "siit"): Scenario {
  const s = new Scenario(mode);
  scenarios.push(s);
  return s;
}

beforeAll(() => {
  if (!fs.existsSync(VALIDATOR)) {
    throw new Error(`${path.relative(root, VALIDATOR)} is missing: the jool_siit/jool stand-ins validate with the compiled validator; run \`npm run build\` first (npm test does)`);
  }
  for (const c of ["curl", "aws", "ip", "jool_siit", "jool", "nft"]) fs.accessSync(path.join(STANDINS, c), fs.constants.X_OK);
});

afterEach(() => {
  for (const s of scenarios.splice(0)) {
    s.remove();
    expect(fs.existsSync(s.dir)).toBe(false);
  }
});

const A = siitObject([1]);
const B = siitObject([1, 2]);
/** What jool.log records for an applied Jool file. */
const applied = (p: Published) => `applied ${sha256(p.jool)}`;

/** Exit 0, applied once; Jool file, filter, last good object and state agree on `p`. */
function expectApplied(s: Scenario, p: Published, run: Run): void {
  expect(run.stderr).toContain(`applied configuration ${sha256(p.object)}`);
  expect(run.status).toBe(0);
  expect(s.read(s.conf)).toBe(p.jool);
  expect(s.read(s.filter)).toBe(p.filter);
  expect(s.stateFile(`${s.mode}.json`)).toBe(p.object);
  expect(s.stateFile(`${s.mode}.applied`)).toBe(`${sha256(p.object)}\n`);
  expect(s.stateFile(`${s.mode}.refused`)).toBeUndefined();
}

describe("applying the published configuration", () => {
  test("(a) a new configuration is applied once and becomes the conf file", () => {
    const s = scenario();
    s.publish(A);
    const run = s.run();
    expectApplied(s, A, run);
    expect(s.joolLog).toEqual([applied(A)]);
    // The filter is checked before Jool takes its file, and loaded after.
    expect(s.calls).toEqual([
      `aws s3 cp --only-show-errors --region ${REGION} ${URI} ${s.state}/siit.candidate.json`,
      `nft -c -f ${s.state}/siit.candidate.nft`,
      `jool_siit file handle ${s.state}/siit.candidate.jool.json`,
      `nft -f ${s.state}/siit.candidate.nft`,
    ]);
    expect(s.read("nft-loaded")).toBe(A.filter);
    expect(s.stateFile("location")).toBe(`${URI} ${REGION}\n`);
  });

  test("(b) the same object again is downloaded but not re-applied", () => {
    const s = scenario();
    s.publish(A);
    expect(s.run().status).toBe(0);
    const second = s.run();
    expect(second.status).toBe(0);
    expect(second.stderr).toBe("");
    expect(s.joolLog).toEqual([applied(A)]);
    expect(s.calls.filter((c) => c.startsWith("aws "))).toHaveLength(2);
    expect(s.joolCalls()).toHaveLength(1);
    expect(s.read(s.conf)).toBe(A.jool);
  });

  test("the same object is applied again when the last good copy no longer matches it", () => {
    const s = scenario();
    s.publish(A);
    expect(s.run().status).toBe(0);
    fs.writeFileSync(path.join(s.state, "siit.json"), "edited by hand\n");
    expectApplied(s, A, s.run());
    expect(s.joolLog).toEqual([applied(A), applied(A)]);
  });

  test("(c) a changed object is applied", () => {
    const s = scenario();
    s.publish(A);
    expect(s.run().status).toBe(0);
    s.publish(B);
    expectApplied(s, B, s.run());
    expect(s.joolLog).toEqual([applied(A), applied(B)]);
  });
});

describe("a configuration Jool refuses never replaces the last good one", () => {
  // A NAT64 key in a SIIT file: Jool refuses unknown keys.
  const unknownKey = B.object.replace('"denylist4"', '"pool4": [],\n    "denylist4"');
  const truncated = Buffer.from(B.object).subarray(0, Math.floor(Buffer.byteLength(B.object) / 2));
  const badFilter = siitObject([1, 2], "table inet siit_dc_services {\n  chain prerouting {\n    ip daddr 10.0.0.65 tcp dport 70000 drop\n  }\n}\n").object;
  const notABundle = B.jool;

  test.each([
    ["(d) an unknown key in the Jool file", unknownKey, 'unknown key "pool4"', "jool_siit refused the Jool file"],
    ["(e) a truncated object", truncated, "not JSON", "the object is not a node configuration"],
    ["a filter nft refuses", badFilter, "Error:", "nft refused the filter"],
    ["a bare Jool file (not a node configuration object)", notABundle, "not a siit-dc-node-config/1 or /2 object", "the object is not a node configuration"],
  ])("%s is refused", (_name, bad, reason, refusal) => {
    const s = scenario();
    s.publish(A);
    expect(s.run().status).toBe(0);
    const good = fs.readFileSync(s.conf);

    s.publish(bad);
    const run = s.run();
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(reason);
    expect(run.stderr).toContain(`${refusal}: configuration ${sha256(bad)} refused; ${s.conf} stays in force`);
    expect(fs.readFileSync(s.conf).equals(good)).toBe(true);
    expect(s.read(s.filter)).toBe(A.filter);
    expect(s.read("nft-loaded")).toBe(A.filter);
    expect(s.stateFile("siit.refused")).toBe(`${sha256(bad)}\n`);
    expect(s.stateFile("siit.applied")).toBe(`${sha256(A.object)}\n`);
    expect(s.joolLog).toEqual([applied(A)]);
  });

  test("a filter the kernel refuses after Jool took the file sends Jool back to the last good file", () => {
    const s = scenario();
    s.publish(A);
    expect(s.run().status).toBe(0);
    s.write("nft-load-fails", "");
    s.publish(B);
    const run = s.run();
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`nft could not load the filter: configuration ${sha256(B.object)} refused`);
    expect(s.joolCalls().slice(-2)).toEqual([`jool_siit file handle ${s.state}/siit.candidate.jool.json`, `jool_siit file handle ${s.conf}`]);
    expect(s.joolLog).toEqual([applied(A), applied(B), applied(A)]);
    expect(s.read(s.conf)).toBe(A.jool);
    expect(s.read("nft-loaded")).toBe(A.filter);
    expect(s.stateFile("siit.applied")).toBe(`${sha256(A.object)}\n`);
  });

  test("a refused first object leaves no conf file at all", () => {
    const s = scenario();
    s.publish(truncated);
    const run = s.run();
    expect(run.status).not.toBe(0);
    expect(s.read(s.conf)).toBeUndefined();
    expect(s.stateFile("siit.refused")).toBe(`${sha256(truncated)}\n`);
    expect(s.stateFile("siit.applied")).toBeUndefined();
    expect(s.joolLog).toEqual([]);
  });

  test("the next good object is applied and clears the refusal", () => {
    const s = scenario();
    s.publish(A);
    s.run();
    s.publish(unknownKey);
    expect(s.run().status).not.toBe(0);
    s.publish(B);
    expectApplied(s, B, s.run());
  });

  test("withdrawing the refused object (republishing the one in force) clears the refusal without re-applying", () => {
    const s = scenario();
    s.publish(A);
    s.run();
    s.publish(unknownKey);
    expect(s.run().status).not.toBe(0);
    expect(s.stateFile("siit.refused")).toBeDefined();
    s.publish(A);
    const run = s.run();
    expect(run.status).toBe(0);
    expect(s.stateFile("siit.refused")).toBeUndefined();
    expect(s.joolLog).toEqual([applied(A)]);
    expect(s.read(s.conf)).toBe(A.jool);
  });
});

describe("when the object cannot be fetched", () => {
  test("(f) a failed download keeps the conf file, exits non-zero and never calls jool", () => {
    const s = scenario();
    s.publish(A);
    expect(s.run().status).toBe(0);
    s.unpublish();
    const run = s.run();
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("does not exist");
    expect(run.stderr).toContain(`could not fetch ${URI}; ${s.conf} stays in force`);
    expect(s.read(s.conf)).toBe(A.jool);
    expect(s.stateFile("siit.applied")).toBe(`${sha256(A.object)}\n`);
    expect(s.joolLog).toEqual([applied(A)]);
    expect(s.joolCalls()).toHaveLength(1);
  });

  test("a failed first download creates no conf file", () => {
    const s = scenario();
    const run = s.run();
    expect(run.status).toBe(1);
    expect(s.read(s.conf)).toBeUndefined();
    expect(s.joolCalls()).toEqual([]);
  });
});

describe("instance metadata", () => {
  test("(g) with IMDS down the cached location is used and the new object still applied", () => {
    const s = scenario();
    s.publish(A);
    expect(s.run().status).toBe(0);
    s.imdsDown();
    s.write("addresses", `${PRIMARY}/20\n10.0.0.66/20\n`);
    s.publish(B);
    expectApplied(s, B, s.run());
    expect(s.calls.filter((c) => c.startsWith("aws "))).toEqual([
      `aws s3 cp --only-show-errors --region ${REGION} ${URI} ${s.state}/siit.candidate.json`,
      `aws s3 cp --only-show-errors --region ${REGION} ${URI} ${s.state}/siit.candidate.json`,
    ]);
    // Without the primary address from metadata no address is touched.
    expect(s.lines("addresses")).toEqual([`${PRIMARY}/20`, "10.0.0.66/20"]);
    expect(s.calls.filter((c) => c.startsWith("ip "))).toEqual([]);
  });

  test("(g) with IMDS down and nothing cached it exits non-zero and says so", () => {
    const s = scenario();
    s.publish(A);
    s.imdsDown();
    const run = s.run();
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("no configuration location (instance tag SiitDcConfig) and none cached");
    expect(s.calls).toEqual([]);
    expect(s.read(s.conf)).toBeUndefined();
    expect(s.stateFile("location")).toBeUndefined();
  });

  test("without the tag (instance metadata tags off) the cached location is used; with no cache it fails", () => {
    const s = scenario();
    s.publish(A);
    expect(s.run().status).toBe(0);
    fs.rmSync(path.join(s.dir, "meta-data/tags"), { recursive: true });
    s.publish(B);
    expectApplied(s, B, s.run());

    const fresh = scenario();
    fs.rmSync(path.join(fresh.dir, "meta-data/tags"), { recursive: true });
    fresh.publish(A);
    const run = fresh.run();
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("none cached");
  });

  test("a moved object is followed and the cache updated", () => {
    const s = scenario();
    s.publish(A);
    expect(s.run().status).toBe(0);
    const moved = "s3://siit-dc-config-0123456789/edge/Translators/t0-eu-north-1a-v2.json";
    s.write("meta-data/tags/instance/SiitDcConfig", moved);
    s.write(`s3/${moved.slice("s3://".length)}`, B.object);
    expectApplied(s, B, s.run());
    expect(s.stateFile("location")).toBe(`${moved} ${REGION}\n`);
  });
});

describe("(h) secondary IPv4 addresses", () => {
  test("every address but the primary is deleted; the primary is kept", () => {
    const s = scenario();
    s.write("addresses", `10.0.0.65/20\n${PRIMARY}/20\n10.0.0.66/20\n`);
    s.publish(A);
    const run = s.run();
    expect(run.status).toBe(0);
    expect(s.lines("addresses")).toEqual([`${PRIMARY}/20`]);
    expect(s.calls.filter((c) => c.startsWith("ip "))).toEqual(["ip addr del 10.0.0.65/20 dev ens5", "ip addr del 10.0.0.66/20 dev ens5"]);
    expect(run.stderr).toContain("removing 10.0.0.65/20 from ens5");
    expect(s.joolLog).toEqual([applied(A)]);
  });

  test("an address merely starting like the primary is not mistaken for it", () => {
    const s = scenario();
    s.write("addresses", `${PRIMARY}/20\n${PRIMARY}0/20\n`);
    s.publish(A);
    expect(s.run().status).toBe(0);
    expect(s.lines("addresses")).toEqual([`${PRIMARY}/20`]);
  });

  test("with only the primary nothing is deleted", () => {
    const s = scenario();
    s.publish(A);
    expect(s.run().status).toBe(0);
    expect(s.lines("addresses")).toEqual([`${PRIMARY}/20`]);
    expect(s.calls.filter((c) => c.startsWith("ip "))).toEqual([]);
  });
});

describe("(i) NAT64 mode", () => {
  test("uses jool, the nat64 conf path and nat64 state files", () => {
    const s = scenario("nat64");
    const text = nat64Object();
    s.publish(text);
    const run = s.run();
    expectApplied(s, text, run);
    // No filter part: nft is never called.
    expect(s.nftCalls()).toEqual([]);
    expect(s.conf).toBe(path.join(s.dir, "etc/jool/jool.conf"));
    expect(s.joolCalls()).toEqual([`jool file handle ${s.state}/nat64.candidate.jool.json`]);
    expect(s.stateFile("siit.applied")).toBeUndefined();
    expect(s.joolLog).toEqual([applied(text)]);
    expect(s.run().status).toBe(0);
    expect(s.joolLog).toHaveLength(1);
  });

  test("jool refuses a SIIT file", () => {
    const s = scenario("nat64");
    s.publish(A);
    const run = s.run();
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('(root): unknown key "eamt"');
    expect(run.stderr).toContain('global: unknown key "eam-hairpin-mode"');
    expect(run.stderr).toContain(`jool refused the Jool file: configuration ${sha256(A.object)} refused`);
    expect(s.stateFile("nat64.refused")).toBe(`${sha256(A.object)}\n`);
    expect(s.read(s.conf)).toBeUndefined();
  });

  test("the defaults are the files the restore unit re-applies at boot (also the Debian packages' paths)", () => {
    const script = fs.readFileSync(path.join(root, AGENT), "utf8");
    expect(script).toMatch(/^\s*siit\) jool=jool_siit; module=jool_siit; conf=\$\{SIIT_DC_JOOL_CONF:-\/etc\/jool\/jool_siit\.conf\} ;;$/m);
    expect(script).toMatch(/^\s*nat64\) jool=jool; module=jool; conf=\$\{SIIT_DC_JOOL_CONF:-\/etc\/jool\/jool\.conf\} ;;$/m);
  });
});

describe("restore at boot (siit-dc-jool-restore@<mode>.service, before the network)", () => {
  test("loads the module and re-applies the last good file without touching metadata or S3", () => {
    const s = scenario();
    s.publish(A);
    expect(s.run().status).toBe(0);
    s.imdsDown();
    s.unpublish();
    const before = s.calls.length;
    const r = s.run("siit", "--restore");
    expect(r.status).toBe(0);
    // The filter first: no moment with Jool translating and the filter missing.
    expect(s.calls.slice(before)).toEqual(["modprobe jool_siit", `nft -f ${s.filter}`, `jool_siit file handle ${s.conf}`]);
    expect(r.stderr).toContain(`restored ${s.conf}`);
  });

  test("with nothing applied yet it loads the module and waits for the agent", () => {
    const s = scenario("nat64");
    const r = s.run("nat64", "--restore");
    expect(r.status).toBe(0);
    expect(s.calls).toEqual(["modprobe jool"]);
    expect(r.stderr).toContain("no configuration applied yet");
  });
});

test("an unknown mode is refused before anything runs", () => {
  const s = scenario();
  const run = s.run("nat46");
  expect(run.status).toBe(2);
  expect(run.stderr).toContain("unknown mode nat46");
  expect(s.calls).toEqual([]);
});

/**
 * Team fragments (issue 13 item 3): the platform's object names the teams and their ranges on the
 * translator, each team's stack writes `<stem>.d/<team>.json` (lib/plan/jool/fragments.ts), and
 * the agent merges them. The plan (test/support/team-fragments.ts): translator a0 carries two
 * platform services, team alpha's three (inside 10.0.0.80/28) and team beta's two (inside
 * 10.0.0.96/28); the single-stack rendering is the same services on one TranslationPlan (its
 * joolConfig and renderTranslatorFilter).
 */
describe("team fragments merged with the platform's object", () => {
  const FRAGMENTS = `${URI.slice("s3://".length, -".json".length)}.d`;
  // Each write is a later one: S3's LastModified (the stand-in's object mtime) moves on by whole
  // seconds, as sync compares it (a same-sized rewrite within one second is not fetched).
  let lastModified = Math.floor(Date.now() / 1000);
  function publishFragment(s: Scenario, name: string, content: string): void {
    s.write(`s3/${FRAGMENTS}/${name}`, content);
    lastModified += 2;
    fs.utimesSync(path.join(s.dir, `s3/${FRAGMENTS}/${name}`), lastModified, lastModified);
  }
  function withdrawFragment(s: Scenario, name: string): void {
    fs.rmSync(path.join(s.dir, `s3/${FRAGMENTS}/${name}`));
  }
  function teamsScenario(): Scenario {
    const s = scenario();
    s.publish(platformObject());
    publishFragment(s, "alpha.json", fragmentOf("alpha"));
    publishFragment(s, "beta.json", fragmentOf("beta"));
    return s;
  }

  /** `nft -j list table inet siit_dc_services` after loading `script` into a fresh network namespace, set elements sorted (nft keeps interval sets in insertion order). */
  function loadedTable(script: string): unknown {
    const r = spawnSync("unshare", ["-n", "sh", "-c", `nft -f - && nft -j list table inet ${TRANSLATOR_FILTER_TABLE}`], { input: script, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`nft could not load the filter: ${r.stderr}`);
    const listed = JSON.parse(r.stdout) as { nftables: Record<string, { elem?: unknown[]; handle?: number }>[] };
    return listed.nftables
      .filter((o) => !("metainfo" in o))
      .map((o) => {
        const [kind, body] = Object.entries(o)[0];
        const { handle: _handle, ...rest } = body;
        return { [kind]: rest.elem ? { ...rest, elem: [...rest.elem].map((e) => JSON.stringify(e)).sort() } : rest };
      });
  }
  const realNft = process.getuid?.() === 0 && spawnSync("sh", ["-c", "command -v unshare && command -v /usr/sbin/nft"]).status === 0;
  const withNft = realNft ? test : test.skip;
  if (!realNft) console.warn("team fragments: the ruleset equivalence needs root, unshare and nft; those tests are skipped");

  const sortEam = (eamt: readonly { "ipv6 prefix": string; "ipv4 prefix": string }[]) => [...eamt].sort((a, b) => a["ipv4 prefix"].localeCompare(b["ipv4 prefix"], "en", { numeric: true }));
  const merged = (s: Scenario) => JSON.parse(s.read(s.conf)!) as SiitConfig;

  describe("equivalence with the single-stack rendering", () => {
    test("the merged Jool file has every service's EAM entry (platform's first, then teams by name, each by IPv4) and the single-stack denylist4", () => {
      const s = teamsScenario();
      const run = s.run();
      expect(run.stderr).toContain("(the platform's object with fragments: alpha.json beta.json)");
      expect(run.status).toBe(0);
      const single = singleStack(() => true);
      const got = merged(s);
      expect(sortEam(got.eamt ?? [])).toEqual(sortEam(single.jool.eamt ?? []));
      expect(got.eamt!.map((e) => e["ipv4 prefix"])).toEqual(["10.0.0.65/32", "10.0.0.66/32", "10.0.0.80/32", "10.0.0.81/32", "10.0.0.82/32", "10.0.0.96/32", "10.0.0.97/32"]);
      expect(got.denylist4).toEqual(single.jool.denylist4);
      // The same as the planning core's denylist4 for the same addresses.
      expect(got.denylist4).toEqual(denylist4(Ipv4Prefix.parse(VPC4), got.eamt!.map((e) => Ipv4Address.parse(e["ipv4 prefix"].replace("/32", "")))));
      expect({ ...got, eamt: sortEam(got.eamt!) }).toEqual({ ...single.jool, eamt: sortEam(single.jool.eamt!) });
      // The project's validator (the jool_siit stand-in) took it.
      expect(validateJoolFile(s.read(s.conf)!, "siit")).toEqual([]);
      expect(s.joolLog).toEqual([`applied ${sha256(s.read(s.conf)!)}`]);
      // The version is the merged result's.
      expect(s.stateFile("siit.applied")).toBe(`${sha256(s.read(s.conf)! + s.read(s.filter)!)}\n`);
      expect(s.calls.filter((c) => c.startsWith("aws "))).toEqual([
        `aws s3 cp --only-show-errors --region ${REGION} ${URI} ${s.state}/siit.candidate.json`,
        `aws s3 sync --delete --exact-timestamps --only-show-errors --region ${REGION} s3://${FRAGMENTS}/ ${s.state}/siit.fragments`,
      ]);
    });

    withNft("the merged filter, loaded by the real nft, is the single-stack filter's table", () => {
      const s = teamsScenario();
      expect(s.run().status).toBe(0);
      const filter = s.read(s.filter)!;
      expect(filter.startsWith(JSON.parse(platformObject()).nftables as string)).toBe(true);
      expect(filter).toContain("add element inet siit_dc_services declared4 { 10.0.0.80 . tcp . 443, 10.0.0.81 . udp . 27015-27020, 10.0.0.81 . tcp . 27015, 10.0.0.82 . tcp . 587, 10.0.0.96 . tcp . 8443, 10.0.0.97 . udp . 123 }");
      expect(s.read("nft-loaded")).toBe(filter);
      expect(loadedTable(filter)).toEqual(loadedTable(singleStack(() => true).filter));
      // And it is not vacuous: the platform's filter alone is another table.
      expect(loadedTable(JSON.parse(platformObject()).nftables as string)).not.toEqual(loadedTable(singleStack(() => true).filter));
    });

    withNft("a removed fragment leaves the merge: the result is the single-stack rendering without that team", () => {
      const s = teamsScenario();
      expect(s.run().status).toBe(0);
      withdrawFragment(s, "beta.json");
      const run = s.run();
      expect(run.status).toBe(0);
      expect(run.stderr).toContain("fragments: alpha.json)");
      const single = singleStack((x) => x.who !== "beta");
      expect({ ...merged(s), eamt: sortEam(merged(s).eamt!) }).toEqual({ ...single.jool, eamt: sortEam(single.jool.eamt!) });
      expect(loadedTable(s.read(s.filter)!)).toEqual(loadedTable(single.filter));
      expect(fs.readdirSync(path.join(s.state, "siit.fragments"))).toEqual(["alpha.json"]);
      expect(s.joolLog).toHaveLength(2);
    });

    test("no fragment written yet: the platform's services alone, denylist4 as the platform's own", () => {
      const s = scenario();
      s.publish(platformObject());
      expect(s.run().status).toBe(0);
      expect(merged(s)).toEqual(singleStack((x) => x.who === "platform").jool);
      expect(s.read(s.filter)).toBe(JSON.parse(platformObject()).nftables);
    });
  });

  describe("applying", () => {
    test("an unchanged set is a no-op: downloaded and merged, not re-applied", () => {
      const s = teamsScenario();
      expect(s.run().status).toBe(0);
      const second = s.run();
      expect(second).toEqual({ status: 0, stderr: "" });
      expect(s.joolLog).toHaveLength(1);
      expect(s.nftCalls()).toHaveLength(2);
    });

    test("a changed fragment is applied (the version is the merged result's, not the platform object's)", () => {
      const s = teamsScenario();
      expect(s.run().status).toBe(0);
      const before = s.stateFile("siit.applied");
      const beta = JSON.parse(fragmentOf("beta")) as { filter: { ports: string[] }[] };
      beta.filter[0].ports = ["tcp 8443", "tcp 9443"];
      publishFragment(s, "beta.json", `${JSON.stringify(beta, null, 2)}\n`);
      expect(s.run().status).toBe(0);
      expect(s.stateFile("siit.applied")).not.toBe(before);
      expect(s.read(s.filter)).toContain("10.0.0.96 . tcp . 8443, 10.0.0.96 . tcp . 9443");
      expect(s.joolLog).toHaveLength(2);
    });

    test("a fragment rewritten with the same size is fetched and applied (sync --exact-timestamps: without it, the AWS CLI skips a same-sized object unless the local copy is newer)", () => {
      const s = teamsScenario();
      expect(s.run().status).toBe(0);
      const beta = fragmentOf("beta");
      expect(beta).toContain('"tcp 8443"');
      publishFragment(s, "beta.json", beta.replace('"tcp 8443"', '"tcp 8444"'));
      expect(s.run().status).toBe(0);
      expect(s.read(s.filter)).toContain("10.0.0.96 . tcp . 8444");
      expect(s.read(s.filter)).not.toContain("10.0.0.96 . tcp . 8443");
      expect(s.joolLog).toHaveLength(2);
    });

    test("fragments that cannot be fetched: nothing is refused, the files in force stay", () => {
      const s = teamsScenario();
      expect(s.run().status).toBe(0);
      const conf = s.read(s.conf);
      s.write("s3-sync-fails", "");
      const run = s.run();
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`could not fetch the fragments under s3://${FRAGMENTS}/; ${s.conf} stays in force`);
      expect(s.read(s.conf)).toBe(conf);
      expect(s.stateFile("siit.refused")).toBeUndefined();
    });

    test("an object without fragments never lists the fragment prefix", () => {
      const s = scenario();
      s.publish(A);
      publishFragment(s, "alpha.json", "not even JSON");
      expectApplied(s, A, s.run());
      expect(s.calls.filter((c) => c.includes("sync"))).toEqual([]);
    });
  });

  describe("a bad fragment refuses the whole merge, names the fragment and keeps the last good file", () => {
    interface Editable {
      [key: string]: unknown;
      format: string;
      team: string;
      eamt: { "ipv6 prefix": string; "ipv4 prefix": string }[];
      filter: { ipv4: string; pool6: string; ports: string[] }[];
    }
    const edit = (team: "alpha" | "beta", change: (f: Editable) => void): string => {
      const f = JSON.parse(fragmentOf(team)) as Editable;
      change(f);
      return `${JSON.stringify(f, null, 2)}\n`;
    };
    const cases: [string, string, string, string, string?][] = [
      // [case, file, content, the problem the log names, platform ranges (default RANGES)]
      ["an unknown team", "gamma.json", edit("alpha", (f) => (f.team = "gamma")), "team gamma has no range on translator a0"],
      ["a file name that is not its team", "beta.json", fragmentOf("alpha"), 'names team "alpha", but its file is beta.json'],
      ["another translator", "alpha.json", fragmentOf("alpha", "b0"), 'is for translator "b0", not a0'],
      [
        "an address in another team's range",
        "alpha.json",
        edit("alpha", (f) => {
          f.eamt[0]["ipv4 prefix"] = "10.0.0.100/32";
          f.filter[0].ipv4 = "10.0.0.100";
        }),
        "10.0.0.100 is outside team alpha's ranges (10.0.0.80/28)",
      ],
      [
        "an address in the platform's range (a platform service's own)",
        "alpha.json",
        edit("alpha", (f) => {
          f.eamt[0]["ipv4 prefix"] = "10.0.0.65/32";
          f.filter[0].ipv4 = "10.0.0.65";
        }),
        "10.0.0.65 is outside team alpha's ranges (10.0.0.80/28)",
      ],
      [
        "an IPv4 address another team maps (overlapping ranges)",
        "beta.json",
        edit("beta", (f) => {
          f.eamt[0]["ipv4 prefix"] = "10.0.0.81/32";
          f.filter[0].ipv4 = "10.0.0.81";
          f.filter[0].pool6 = "64:ff9b:1::a00:51";
        }),
        "10.0.0.81 is already mapped by fragment alpha.json",
        JSON.stringify({ alpha: ["10.0.0.80/28"], beta: ["10.0.0.96/28", "10.0.0.80/28"] }),
      ],
      [
        "an IPv6 target another team maps",
        "beta.json",
        edit("beta", (f) => (f.eamt[0]["ipv6 prefix"] = JSON.parse(fragmentOf("alpha")).eamt[1]["ipv6 prefix"])),
        `${JSON.parse(fragmentOf("alpha")).eamt[1]["ipv6 prefix"].replace("/128", "")} is already mapped by fragment alpha.json`,
      ],
      [
        "an IPv6 target the platform maps",
        "alpha.json",
        edit("alpha", (f) => (f.eamt[0]["ipv6 prefix"] = singleStack(() => true).jool.eamt![0]["ipv6 prefix"])),
        `${singleStack(() => true).jool.eamt![0]["ipv6 prefix"].replace("/128", "")} is already mapped by the platform`,
      ],
      ["malformed JSON", "alpha.json", fragmentOf("alpha").slice(0, 100), "not JSON:"],
      ["a wrong format marker", "alpha.json", edit("alpha", (f) => (f.format = "siit-dc-jool-fragment/2")), "not a siit-dc-jool-fragment/1 object"],
      ["a pool6 form that is not its IPv4's", "alpha.json", edit("alpha", (f) => (f.filter[0].pool6 = "64:ff9b:1::a00:51")), "filter pool6 64:ff9b:1::a00:51 is not 10.0.0.80 in pool6 64:ff9b:1::/96 (64:ff9b:1::a00:50)"],
      ["a port 0", "alpha.json", edit("alpha", (f) => (f.filter[0].ports = ["tcp 0"])), 'filter entry of 10.0.0.80: port "tcp 0" is not "tcp|udp N" or "tcp|udp N-M" with 1 <= N <= M <= 65535'],
      ["a protocol nft would take but the filter does not (sctp)", "alpha.json", edit("alpha", (f) => (f.filter[0].ports = ["sctp 1"])), 'filter entry of 10.0.0.80: port "sctp 1" is not'],
      ["nft statements in a port", "alpha.json", edit("alpha", (f) => (f.filter[0].ports = ["tcp 443 }; flush ruleset; add element inet siit_dc_services published4 { 10.0.0.1"])), 'filter entry of 10.0.0.80: port "tcp 443 }; flush ruleset;'],
      ["a Jool global", "alpha.json", edit("alpha", (f) => (f.global = { "manually-enabled": false })), 'unknown key "global"'],
      ["an EAM entry wider than one address", "alpha.json", edit("alpha", (f) => (f.eamt[0]["ipv4 prefix"] = "10.0.0.80/28")), "EAM entry 2001:db8:1200:10::74/128 -> 10.0.0.80/28 is not one address (/128 -> /32)"],
      ["an address with an EAM entry but no filter entry", "alpha.json", edit("alpha", (f) => f.filter.pop()), "10.0.0.82 has an EAM entry but no filter entry"],
    ];

    // Every row of five (jest hands a shorter row's missing last argument a done callback).
    test.each(cases.map(([n, f, c, p, r]) => [n, f, c, p, r ?? ""] as const))("%s", (_name, file, content, problem, ranges) => {
      const s = teamsScenario();
      if (ranges) s.publish(platformObject(JSON.parse(ranges) as Record<string, string[]>));
      expect(s.run().status).toBe(0);
      const goodConf = s.read(s.conf);
      const goodFilter = s.read(s.filter);
      const goodVersion = s.stateFile("siit.applied");

      publishFragment(s, file, content);
      const run = s.run();
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`fragment ${file}: ${problem}`);
      expect(run.stderr).toMatch(new RegExp(`fragment ${file.replace(".", "\\.")}: configuration [0-9a-f]{64} refused; ${s.conf} stays in force`));
      expect(s.read(s.conf)).toBe(goodConf);
      expect(s.read(s.filter)).toBe(goodFilter);
      expect(s.read("nft-loaded")).toBe(goodFilter);
      expect(s.stateFile("siit.applied")).toBe(goodVersion);
      expect(s.stateFile("siit.refused")).toMatch(new RegExp(`^[0-9a-f]{64}\\nfragment ${file.replace(".json", "")}\\n$`));
      expect(s.joolLog).toHaveLength(1);
      // Refused before anything was handed to nft or Jool.
      expect(s.nftCalls()).toHaveLength(2);
    });

    test("the metrics agent publishes the refusal with Fragment=<team>; a fixed fragment is applied and clears it", () => {
      const s = teamsScenario();
      expect(s.run().status).toBe(0);
      const good = fragmentOf("beta");
      publishFragment(s, "beta.json", edit("beta", (f) => (f.filter[1].ports = ["udp 0"])));
      expect(s.run().status).toBe(1);

      s.write(`stats-jool_siit-${SIIT_INSTANCE}.txt`, "JSTAT_SUCCESS,1\n");
      s.write("meta-data/instance-id", "i-0123456789abcdef0");
      const metrics = () => {
        const r = spawnSync("sh", [path.join(root, "lib/plan/boot/scripts/jool-metrics-agent.sh"), "siit"], {
          encoding: "utf8",
          env: { PATH: [STANDINS, path.dirname(process.execPath), process.env.PATH ?? "/usr/bin:/bin"].join(path.delimiter), STANDIN_DIR: s.dir, SIIT_DC_STATE_DIR: s.state, SIIT_DC_JOOL_CONF: s.conf },
        });
        expect(r.stderr).toBe("");
        const files = fs.readdirSync(path.join(s.dir, "cloudwatch")).sort((a, b) => parseInt(a) - parseInt(b));
        const data = JSON.parse(fs.readFileSync(path.join(s.dir, "cloudwatch", files.at(-1)!), "utf8")) as { MetricName: string; Value: number; Dimensions: { Name: string; Value: string }[] }[];
        return data.filter((d) => d.MetricName === "ConfigRefused").map((d) => [d.Value, d.Dimensions.slice(2)]);
      };
      expect(metrics()).toEqual([
        [1, []],
        [1, [{ Name: "Fragment", Value: "beta" }]],
      ]);

      // Fixed, with a change (another port): applied, the refusal cleared.
      publishFragment(s, "beta.json", edit("beta", (f) => (f.filter[1].ports = ["udp 124"])));
      const fixed = s.run();
      expect(fixed.status).toBe(0);
      expect(fixed.stderr).toContain("applied configuration");
      expect(s.stateFile("siit.refused")).toBeUndefined();
      expect(s.read(s.filter)).toContain("10.0.0.97 . udp . 124");
      expect(s.joolLog).toHaveLength(2);
      expect(metrics()).toEqual([[0, []]]);

      // Back to the first good one, and a refusal withdrawn by going back to what is in force.
      publishFragment(s, "beta.json", good);
      expect(s.run().status).toBe(0);
      const inForce = s.stateFile("siit.applied");
      publishFragment(s, "beta.json", "{");
      expect(s.run().status).toBe(1);
      publishFragment(s, "beta.json", good);
      expect(s.run()).toEqual({ status: 0, stderr: "" });
      expect(s.stateFile("siit.refused")).toBeUndefined();
      expect(s.stateFile("siit.applied")).toBe(inForce);
      expect(s.joolLog).toHaveLength(3);
    });

    test("a version 1 object with teams is refused (only version 2 carries fragments)", () => {
      const s = scenario();
      s.publish(platformObject().replace(NODE_CONFIG_FORMAT_WITH_FRAGMENTS, NODE_CONFIG_FORMAT));
      const run = s.run();
      expect(run.status).toBe(1);
      expect(run.stderr).toContain("the object's fragments part is not usable");
      expect(run.stderr).toContain("the object is not a node configuration: configuration");
      expect(s.stateFile("siit.refused")).toMatch(/^[0-9a-f]{64}\n$/);
    });

    test("restore at boot re-applies the last merged files", () => {
      const s = teamsScenario();
      expect(s.run().status).toBe(0);
      s.imdsDown();
      s.unpublish();
      const before = s.calls.length;
      expect(s.run("siit", "--restore").status).toBe(0);
      expect(s.calls.slice(before)).toEqual(["modprobe jool_siit", `nft -f ${s.filter}`, `jool_siit file handle ${s.conf}`]);
      expect(s.read("nft-loaded")).toContain("add element inet siit_dc_services published4");
      expect(merged(s).eamt).toHaveLength(7);
    });
  });
});
