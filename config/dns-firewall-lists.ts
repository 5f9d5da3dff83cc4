/**
 * The AWS managed domain lists of Route 53 Resolver DNS Firewall that every
 * environment's VPC blocks: malware hosts, botnet command and control, and
 * AWS's aggregate threat list (malware, ransomware, botnet, spyware and DNS
 * tunnelling domains).
 * See https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-dns-firewall-managed-domain-lists.html
 */
export const BLOCKED_MANAGED_DOMAIN_LISTS = [
  'AWSManagedDomainsMalwareDomainList',
  'AWSManagedDomainsBotnetCommandandControl',
  'AWSManagedDomainsAggregateThreatList',
] as const;
export type ManagedDomainListName = (typeof BLOCKED_MANAGED_DOMAIN_LISTS)[number];

/**
 * The IDs of those lists in each region the environments use. AWS gives each
 * managed list a different ID per region, and CloudFormation has no lookup by
 * name, so they are recorded here. To add a region, run
 * `aws route53resolver list-firewall-domain-lists --region <region>
 * --query "FirewallDomainLists[?ManagedOwnerName!=null].[Name,Id]"` and add
 * its IDs; validation names a region that is missing.
 *
 * Checked 2026-12-02 against independent public records of the API's answer:
 * ap-northeast-1 in github.com/elduds/terraform-aws-route53-firewall-domainlists
 * (all_lists.json) and in a Pulumi project that blocks the same lists there;
 * eu-west-2 and ap-south-1 in that file and two Terraform projects each.
 * A region is added only when two sources agree.
 */
export const MANAGED_DOMAIN_LIST_IDS: Readonly<
  Record<string, Readonly<Record<ManagedDomainListName, string>>>
> = {
  'ap-northeast-1': {
    AWSManagedDomainsMalwareDomainList: 'rslvr-fdl-dc19e97bef3c454a',
    AWSManagedDomainsBotnetCommandandControl: 'rslvr-fdl-1a63d8549cca46e6',
    AWSManagedDomainsAggregateThreatList: 'rslvr-fdl-103b4302c274455e',
  },
  'ap-south-1': {
    AWSManagedDomainsMalwareDomainList: 'rslvr-fdl-cb11fc50eaef4bad',
    AWSManagedDomainsBotnetCommandandControl: 'rslvr-fdl-c6afb679f51946cd',
    AWSManagedDomainsAggregateThreatList: 'rslvr-fdl-d1159fcdd6b942cf',
  },
  'eu-west-2': {
    AWSManagedDomainsMalwareDomainList: 'rslvr-fdl-4fc4edfc63854751',
    AWSManagedDomainsBotnetCommandandControl: 'rslvr-fdl-3268f74d91fe418f',
    AWSManagedDomainsAggregateThreatList: 'rslvr-fdl-4e96d4ce77f466b',
  },
};

/**
 * The managed list IDs of `region`. Validation reports a region without IDs
 * first (`environment-rules.ts`), so only a direct caller sees this error.
 */
export function managedDomainListIdsOf(
  region: string | undefined,
): Readonly<Record<ManagedDomainListName, string>> {
  const ids = region === undefined ? undefined : MANAGED_DOMAIN_LIST_IDS[region];
  if (!ids) {
    throw new Error(
      `region ${region ?? '(not set)'} has no DNS Firewall managed domain list IDs in config/dns-firewall-lists.ts`,
    );
  }
  return ids;
}
