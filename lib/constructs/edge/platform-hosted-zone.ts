import { RemovalPolicy } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';

/** Properties of {@link PlatformHostedZone}. */
export interface PlatformHostedZoneProps {
  /** The zone's domain, e.g. `stg.example.com`. */
  readonly zoneName: string;
  /**
   * ID of an existing public hosted zone of `zoneName`.
   * @default - a new public hosted zone
   */
  readonly hostedZoneId?: string;
  /** What happens to a created zone when removed from the app. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The Route 53 public hosted zone the platform issues its certificates in and
 * writes its alias records to: an existing zone imported by ID, or a new one
 * (whose name servers the parent domain must delegate to, once). Reuse an
 * existing zone or create one, never both.
 * See https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/CreatingNewSubdomain.html
 */
export class PlatformHostedZone extends Construct {
  /** The zone. */
  readonly zone: route53.IHostedZone;

  constructor(scope: Construct, id: string, props: PlatformHostedZoneProps) {
    super(scope, id);
    if (props.hostedZoneId !== undefined) {
      this.zone = route53.PublicHostedZone.fromPublicHostedZoneAttributes(this, 'Zone', {
        hostedZoneId: props.hostedZoneId,
        zoneName: props.zoneName,
      });
      return;
    }
    const zone = new route53.PublicHostedZone(this, 'Zone', {
      zoneName: props.zoneName,
      comment: `Platform names under ${props.zoneName}: certificates and CloudFront aliases`,
    });
    zone.applyRemovalPolicy(props.removalPolicy);
    this.zone = zone;
  }
}
