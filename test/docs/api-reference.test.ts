import { spawnSync, SpawnSyncReturns } from "child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";

/**
 * The API reference in docs/api is generated from the doc comments (typedoc + typedoc-plugin-markdown,
 * configured in typedoc.json) and must be current: this regenerates it into a temporary directory and
 * compares. typedoc.json turns on `validation.notDocumented` with `treatWarningsAsErrors`, so an
 * undocumented exported member fails generation, and so this test.
 */
const root = join(__dirname, "..", "..");
const typedoc = join(root, "node_modules", ".bin", "typedoc");

function listFiles(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]))
    .sort();
}

interface Reflection {
  readonly name: string;
  readonly kind: number;
  readonly flags?: { readonly isOptional?: boolean };
  readonly comment?: { readonly summary?: { readonly text: string }[]; readonly blockTags?: { readonly tag: string }[] };
  readonly children?: Reflection[];
  readonly type?: { readonly type: string; readonly declaration?: Reflection };
}

// typedoc's ReflectionKind values (typedoc/src/lib/models/kind.ts).
const INTERFACE = 256;
const PROPERTY = 1024;

/** Every property of an interface (nested object types included), with the interface's name. */
function interfaceProperties(r: Reflection, owner?: string): { owner: string; property: Reflection }[] {
  const own = r.kind === INTERFACE ? r.name : owner;
  const here = owner !== undefined && r.kind === PROPERTY ? [{ owner, property: r }] : [];
  const nested = r.type?.type === "reflection" && r.type.declaration ? (r.type.declaration.children ?? []).flatMap((c) => interfaceProperties(c, owner)) : [];
  return [...here, ...nested, ...(r.children ?? []).flatMap((c) => interfaceProperties(c, own))];
}

const hasSummary = (r: Reflection) => (r.comment?.summary ?? []).some((part) => part.text.trim() !== "");
const hasDefault = (r: Reflection) => (r.comment?.blockTags ?? []).some((t) => t.tag === "@default");

describe("API reference (docs/api)", () => {
  let out: string;
  let run: SpawnSyncReturns<string>;

  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), "siit-dc-api-"));
    run = spawnSync(typedoc, ["--out", join(out, "md"), "--json", join(out, "api.json")], { cwd: root, encoding: "utf8" });
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  test("typedoc validation passes: every exported member documented, every link resolves", () => {
    const warnings = `${run.stdout}${run.stderr}`.split("\n").filter((l) => /warning|error/i.test(l) && !/Found 0 errors and 0 warnings/.test(l));
    expect(warnings).toEqual([]);
    expect(run.status).toBe(0);
  });

  test("docs/api equals the regenerated reference (run `npm run docs` after changing a doc comment)", () => {
    const committed = join(root, "docs", "api");
    const fresh = join(out, "md");
    expect(existsSync(join(fresh, "README.md"))).toBe(true);
    expect(listFiles(committed)).toEqual(listFiles(fresh));
    const stale = listFiles(fresh).filter((f) => readFileSync(join(committed, f), "utf8") !== readFileSync(join(fresh, f), "utf8"));
    expect(stale).toEqual([]);
  });

  test("the reference is deterministic: no absolute paths, source links or generation dates", () => {
    const text = listFiles(join(root, "docs", "api"))
      .map((f) => readFileSync(join(root, "docs", "api", f), "utf8"))
      .join("\n");
    expect(text).not.toContain(root);
    expect(text).not.toContain(tmpdir());
    expect(text).not.toMatch(/Defined in|\/blob\/[0-9a-f]{7,}/);
    expect(text).not.toMatch(/Generated (on|at|using)/i);
  });

  test("every property has a summary; every optional property of a Props, Options or Input interface states its @default", () => {
    const project = JSON.parse(readFileSync(join(out, "api.json"), "utf8")) as Reflection;
    const properties = interfaceProperties(project);
    expect(properties.length).toBeGreaterThan(200);
    const name = ({ owner, property }: { owner: string; property: Reflection }) => `${owner}.${property.name}`;
    expect(properties.filter((p) => !hasSummary(p.property)).map(name)).toEqual([]);
    const inputs = properties.filter((p) => /(Props|Options|Input)$/.test(p.owner) && p.property.flags?.isOptional);
    expect(inputs.length).toBeGreaterThan(80);
    expect(inputs.filter((p) => !hasDefault(p.property)).map(name)).toEqual([]);
  });
});
