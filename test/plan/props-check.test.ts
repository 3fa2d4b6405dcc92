import { formatPlanError, PlanError, ShownAs, showValue } from "../../lib/plan/errors";
import { checkShape, closest, int, list, PropContext, required, str } from "../../lib/plan/props/check";

const ctx: PropContext = { path: "app/X", isToken: (v) => typeof v === "string" && v.startsWith("${TOKEN"), showToken: () => new ShownAs("${var.x}") };
const messageOf = (fn: () => void): string => {
  try {
    fn();
  } catch (e) {
    if (e instanceof PlanError) return e.message;
    throw e;
  }
  return "";
};

describe("values are shown as written", () => {
  test("NaN, Infinity, -0 and undefined as such, not as JSON null", () => {
    expect([NaN, Infinity, -0, undefined].map(showValue)).toEqual(["NaN", "Infinity", "-0", "undefined"]);
    expect(showValue([1, NaN])).toBe("[1,NaN]");
  });

  test("cycles and class instances do not crash", () => {
    const a: Record<string, unknown> = { name: "a" };
    a.self = a;
    expect(showValue(a)).toBe('{"name":"a","self":…}');
    class Thing {}
    expect(showValue(new Thing())).toBe("<Thing>");
    expect(showValue({ node: { path: "app/Net" } })).toBe('{"node":{"path":"app/Net"}}');
    expect(showValue(new ShownAs("${var.x}"))).toBe("${var.x}");
  });

  test("long values are cut at 200 characters", () => {
    expect(showValue("x".repeat(300))).toHaveLength(201);
  });

  test("the one format", () => {
    expect(formatPlanError({ path: "p", property: "q", value: 1, problem: "is bad", fix: "do better" })).toBe("p: q = 1: is bad. Fix: do better");
  });
});

describe("rules", () => {
  const shape = { count: required(int({ min: 1 })), names: list(str(), { expected: "a list of names" }) };

  test("required, unknown and misspelt keys", () => {
    expect(messageOf(() => checkShape(shape, {}, "", "P", ctx))).toBe("app/X: count = undefined: is required by P. Fix: give a whole number of at least 1");
    expect(messageOf(() => checkShape(shape, { count: 1, nmaes: [] }, "", "P", ctx))).toBe("app/X: nmaes = []: is not a property of P, so it would be ignored. Fix: did you mean names? (P has count, names)");
    expect(messageOf(() => checkShape(shape, { count: 1, names: ["a"] }, "", "P", ctx))).toBe("");
  });

  test("tokens are refused where a literal is needed, shown as what they stand for", () => {
    expect(messageOf(() => checkShape(shape, { count: 1, names: ["${TOKEN[1]}"] }, "", "P", ctx))).toBe(
      "app/X: names[0] = ${var.x}: is a token resolved only at apply time, but the library needs it at synth time. Fix: pass a literal value (a string or number written in the program, not a resource attribute or variable)",
    );
  });

  test("closest suggests only near names", () => {
    expect(closest("availabilityZone", ["availabilityZones", "ipv4Cidr"])).toBe("availabilityZones");
    expect(closest("foo", ["availabilityZones", "ipv4Cidr"])).toBeUndefined();
  });
});
