import { EXAMPLE_STACKS } from "../../examples";
import { synthForTerraform } from "../support/stacks";
import { PlanResult, validateAndPlan } from "../support/terraform";
import { terraformTier } from "../support/terraform-tier";

/** Every bundled example passes `terraform validate` and an offline `terraform plan -refresh=false`. */
const tier = terraformTier();

tier.describe("bundled examples with the real AWS provider 5.100.0", () => {
  let result: PlanResult;
  beforeAll(() => {
    result = validateAndPlan(
      tier.env!,
      EXAMPLE_STACKS.map((e) => ({ name: e.name, config: synthForTerraform(e.build, e.region) })),
    );
  });

  test("validate reports no errors", () => {
    expect(result.validate.valid).toBe(true);
    expect(result.validate.error_count).toBe(0);
  });

  test.each(EXAMPLE_STACKS.map((e) => e.name))("%s plans only creations", (name) => {
    const changes = result.plan.resource_changes.filter((c) => c.module_address === `module.${name}`);
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.filter((c) => c.change.actions.join() !== "create")).toEqual([]);
  });

  test("reference: IPv6-only server subnets and dual-stack edge subnets in two zones", () => {
    const subnets = result.resources("reference", "aws_subnet");
    const servers = subnets.filter((s) => s.values.ipv6_native === true);
    const edges = subnets.filter((s) => s.values.ipv6_native === false);
    expect(new Set(servers.map((s) => s.values.availability_zone)).size).toBeGreaterThanOrEqual(2);
    expect(new Set(edges.map((s) => s.values.availability_zone)).size).toBeGreaterThanOrEqual(2);
    for (const s of servers) {
      expect(s.values).toMatchObject({
        assign_ipv6_address_on_creation: true,
        enable_resource_name_dns_aaaa_record_on_launch: true,
        private_dns_hostname_type_on_launch: "resource-name",
      });
      expect(s.values.cidr_block ?? null).toBeNull();
    }
    for (const e of edges) expect(e.values.cidr_block).toMatch(/^10\.0\.\d+\.0\/24$/);
  });
});
