/**
 * Security group rule budgets. AWS's default quota is 60 inbound rules per group, counted
 * separately for IPv4 and IPv6; a rule that references a customer-managed prefix list counts as
 * the list's max_entries (VPC User Guide, "Amazon VPC quotas" and "Security group rules").
 */
export const RULES_PER_GROUP = 60;

export interface SecurityGroupRuleCount {
  /** Construct path of the group, for messages. */
  readonly group: string;
  readonly ipv4: number;
  readonly ipv6: number;
}

export function ruleBudgetProblems(counts: readonly SecurityGroupRuleCount[], limit = RULES_PER_GROUP): string[] {
  return counts.flatMap((c) =>
    (["ipv4", "ipv6"] as const)
      .filter((family) => c[family] > limit)
      .map(
        (family) =>
          `${c.group}: ${c[family]} inbound ${family === "ipv4" ? "IPv4" : "IPv6"} rules exceed the default quota of ${limit} per security group. ` +
          "Fix: publish fewer distinct ports per fleet, or ask AWS for a higher quota (rules per group x groups per interface may not exceed 1,000)",
      ),
  );
}
