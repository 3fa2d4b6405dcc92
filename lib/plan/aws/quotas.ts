/** AWS default quotas the plan checks against (VPC User Guide, "Amazon VPC quotas"). */
export const EIPS_PER_REGION = 5;

export function eipQuotaWarning(count: number): string {
  return (
    `this stack allocates ${count} Elastic IP addresses; the default quota is ${EIPS_PER_REGION} per region. ` +
    'Request a higher "EC2-VPC Elastic IPs" quota (Service Quotas, L-0263D0A3) before you apply, or the apply fails part-way.'
  );
}
