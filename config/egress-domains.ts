/** What {@link platformEgressDomains} reads of an environment. */
export interface EgressDomainsInput {
  readonly region: string;
  readonly application: { readonly datadog?: { readonly site: string } };
}

/**
 * ECR Public, where the sidecar images come from (lib/pins.ts: Fluent Bit and
 * the OpenTelemetry collector run in every task): the registry, and the two
 * CloudFront distributions it serves image layers from (exact names, not all
 * of CloudFront). Checked 2026-12-02:
 * https://anywhere.eks.amazonaws.com/docs/getting-started/nutanix/domains/ and
 * https://github.com/docker/sbx-releases/issues/525
 */
export const ECR_PUBLIC_DOMAINS = [
  'public.ecr.aws',
  'd2glxqk2uabbnd.cloudfront.net',
  'd5l0dvt14r5h8.cloudfront.net',
] as const;

/**
 * The domains the platform itself reaches through the NAT gateway, which
 * Network Firewall must allow whatever the environment lists: ECR Public; the
 * AWS APIs of the region (`.<region>.amazonaws.com`), always: the services'
 * queues are SQS, which has no interface endpoint here, and an API the VPC
 * lacks an endpoint of goes through the NAT gateway too (`AwsApiEgress`),
 * while an endpoint's private DNS keeps its own API off the firewall path;
 * and the Datadog site's intakes when the agent runs (`.<site>`).
 */
export function platformEgressDomains(env: EgressDomainsInput): string[] {
  const domains: string[] = [...ECR_PUBLIC_DOMAINS, `.${env.region}.amazonaws.com`];
  if (env.application.datadog) {
    domains.push(`.${env.application.datadog.site}`);
  }
  return domains;
}
