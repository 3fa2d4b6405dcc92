/** AWS default quotas the plan checks against (VPC User Guide, "Amazon VPC quotas"). */
export const EIPS_PER_REGION = 5;

/**
 * The stacks of one app in one region allocate more EIPs together than the default quota, though
 * none alone does (a platform and its teams' stacks): the later applies fail.
 */
export function appEipQuotaWarning(region: string, counts: readonly { readonly stack: string; readonly count: number }[]): string {
  const total = counts.reduce((n, c) => n + c.count, 0);
  return (
    `the app's stacks in ${region} allocate ${total} Elastic IP addresses together (${counts.map((c) => `${c.stack} ${c.count}`).join(", ")}); the default quota is ${EIPS_PER_REGION} per region and account. ` +
    'If they deploy to one account, request a higher "EC2-VPC Elastic IPs" quota (Service Quotas, L-0263D0A3) first, or the stack applied last fails part-way.'
  );
}

export function eipQuotaWarning(count: number): string {
  return (
    `this stack allocates ${count} Elastic IP addresses; the default quota is ${EIPS_PER_REGION} per region. ` +
    'Request a higher "EC2-VPC Elastic IPs" quota (Service Quotas, L-0263D0A3) before you apply, or the apply fails part-way.'
  );
}
