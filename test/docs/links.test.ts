import { existsSync, readdirSync, readFileSync } from "fs";
import { dirname, join } from "path";

/**
 * The user and contributor docs point only at what exists: every relative link resolves (file and
 * heading anchor), every repository path they name (`test/...ts`, `lib/...`) exists, and each
 * invariant of docs/DESIGN.md names the tests that enforce it, or says it has none.
 * docs/api is generated (typedoc validates its links) and not read here.
 */
const root = join(__dirname, "..", "..");
const docs = ["README.md", "CONTRIBUTING.md", ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  let fenced = false;
  for (const line of markdown.split("\n")) {
    if (line.startsWith("```")) fenced = !fenced;
    const m = !fenced && /^#{1,6} (.*)$/.exec(line);
    if (!m) continue;
    const base = m[1].toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** Markdown links outside code blocks and inline code: [text](target). */
function links(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "``");
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
}

describe.each(docs)("%s", (doc) => {
  const text = readFileSync(join(root, doc), "utf8");

  test("every relative link resolves to a file of the repository, and its anchor to a heading", () => {
    const broken = links(text)
      .filter((target) => !/^[a-z]+:/.test(target))
      .filter((target) => {
        const [path, anchor] = target.split("#");
        const file = path === "" ? join(root, doc) : join(root, dirname(doc), path);
        if (!existsSync(file)) return true;
        return anchor !== undefined && file.endsWith(".md") && !anchors(readFileSync(file, "utf8")).has(anchor);
      });
    expect(broken).toEqual([]);
  });

  test("every repository path it names exists", () => {
    const named = [...text.matchAll(/(?<![\w/.-])((?:test|lib|examples|scripts|vm|bench)\/[\w./-]*\.(?:ts|sh|py|md|json))\b/g)].map((m) => m[1]);
    expect(named.filter((p) => !existsSync(join(root, p)))).toEqual([]);
  });
});

test("README, CONTRIBUTING.md, docs/DESIGN.md and docs/constructs.md name test files", () => {
  for (const doc of ["README.md", "docs/DESIGN.md", "docs/constructs.md", "CONTRIBUTING.md"]) {
    expect(readFileSync(join(root, doc), "utf8")).toMatch(/test\/[\w/-]+\.test\.ts/);
  }
});

describe("docs/DESIGN.md invariants", () => {
  const design = readFileSync(join(root, "docs", "DESIGN.md"), "utf8");
  const section = design.slice(design.indexOf("## 3. Invariants"), design.indexOf("## 4."));
  const items = section.split(/\n(?=\d+\. \*\*)/).slice(1);

  test("numbered 1 to 18, as code comments cite them", () => {
    expect(items.map((i) => Number(/^(\d+)\./.exec(i)![1]))).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
  });

  test.each(items.map((i) => [Number(/^(\d+)\./.exec(i)![1]), i] as const))("invariant %d links the test files that enforce it", (_n, item) => {
    const enforcedBy = item.slice(item.indexOf("Enforced by:"));
    expect(item).toContain("Enforced by:");
    const tests = [...enforcedBy.matchAll(/\]\(\.\.\/(test\/[\w/.-]+\.test\.ts)\)/g)].map((m) => m[1]);
    expect(tests.length).toBeGreaterThan(0);
    for (const t of tests) expect(existsSync(join(root, t))).toBe(true);
  });

  test("every invariant code cites exists here", () => {
    const cited = new Set<number>();
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? (["node_modules", "dist", "cdktf.out", ".git", "api"].includes(e.name) ? [] : walk(join(dir, e.name))) : [join(dir, e.name)]));
    for (const file of walk(root).filter((f) => /\.(ts|sh|py)$/.test(f))) {
      for (const m of readFileSync(file, "utf8").matchAll(/DESIGN\.md invariants? ([\d, and]+)/g)) {
        for (const n of m[1].match(/\d+/g) ?? []) cited.add(Number(n));
      }
    }
    expect(cited.size).toBeGreaterThan(5);
    expect([...cited].filter((n) => n < 1 || n > items.length)).toEqual([]);
  });
});
