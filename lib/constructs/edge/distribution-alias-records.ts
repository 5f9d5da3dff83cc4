import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';

/** Properties of {@link DistributionAliasRecords}. */
export interface DistributionAliasRecordsProps {
  /** The zone the names are in. */
  readonly zone: route53.IHostedZone;
  /** The distribution's alternate domain names. */
  readonly names: readonly string[];
  /** The distribution (IPv4 and IPv6). */
  readonly distribution: cloudfront.IDistribution;
}

/**
 * An A and an AAAA alias record per domain name, pointing at the distribution:
 * alias queries cost nothing and follow the distribution's addresses.
 * See https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-to-cloudfront-distribution.html
 */
export class DistributionAliasRecords extends Construct {
  constructor(scope: Construct, id: string, props: DistributionAliasRecordsProps) {
    super(scope, id);
    const target = route53.RecordTarget.fromAlias(new targets.CloudFrontTarget(props.distribution));
    props.names.forEach((recordName, index) => {
      new route53.ARecord(this, `A${index}`, { zone: props.zone, recordName, target });
      new route53.AaaaRecord(this, `Aaaa${index}`, { zone: props.zone, recordName, target });
    });
  }
}
