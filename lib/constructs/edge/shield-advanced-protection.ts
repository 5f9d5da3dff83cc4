import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as shield from 'aws-cdk-lib/aws-shield';
import { Construct } from 'constructs';
import { ShieldAdvancedConfig } from '../../../config';

/** Properties of {@link ShieldAdvancedProtection}. */
export interface ShieldAdvancedProtectionProps {
  /** Name of the protection, unique in the account. */
  readonly name: string;
  /** The protected distribution (its web ACL hosts Shield's mitigation rule group). */
  readonly distribution: cloudfront.IDistribution;
  /** What Shield's automatic application-layer mitigation rules do. */
  readonly settings: ShieldAdvancedConfig;
}

/**
 * AWS Shield Advanced protection of the distribution with automatic
 * application-layer (layer 7) DDoS mitigation: Shield learns the
 * distribution's traffic baseline and, during an attack, writes rules into a
 * rule group of its own (150 WCUs) in the distribution's web ACL, which block
 * or only count the attack's requests. The account must already subscribe to
 * Shield Advanced (a one-year commitment CloudFormation cannot make).
 * See https://docs.aws.amazon.com/waf/latest/developerguide/ddos-automatic-app-layer-response.html
 * and https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-shield-protection.html
 */
export class ShieldAdvancedProtection extends Construct {
  /** The protection. */
  readonly protection: shield.CfnProtection;

  constructor(scope: Construct, id: string, props: ShieldAdvancedProtectionProps) {
    super(scope, id);
    const action = props.settings.automaticMitigation === 'block' ? { block: {} } : { count: {} };
    this.protection = new shield.CfnProtection(this, 'Protection', {
      name: props.name,
      resourceArn: props.distribution.distributionArn,
      applicationLayerAutomaticResponseConfiguration: { action, status: 'ENABLED' },
    });
  }
}
