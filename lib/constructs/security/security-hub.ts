import { Stack } from 'aws-cdk-lib';
import * as securityhub from 'aws-cdk-lib/aws-securityhub';
import { Construct } from 'constructs';

/**
 * Security Hub with the AWS Foundational Security Best Practices standard.
 * The default standards are not enabled implicitly, so the set of standards
 * is exactly what this construct lists; findings are generated per control
 * (consolidated control findings).
 * See https://docs.aws.amazon.com/securityhub/latest/userguide/fsbp-standard.html
 */
export class SecurityHub extends Construct {
  /** The hub. */
  readonly hub: securityhub.CfnHub;
  /** The subscription to the Foundational Security Best Practices standard. */
  readonly foundationalBestPractices: securityhub.CfnStandard;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.hub = new securityhub.CfnHub(this, 'Hub', {
      enableDefaultStandards: false,
      controlFindingGenerator: 'SECURITY_CONTROL',
      autoEnableControls: true,
    });
    const stack = Stack.of(this);
    this.foundationalBestPractices = new securityhub.CfnStandard(
      this,
      'FoundationalBestPractices',
      {
        // Regional standard ARN: arn:<partition>:securityhub:<region>::standards/...
        standardsArn: `arn:${stack.partition}:securityhub:${stack.region}::standards/aws-foundational-security-best-practices/v/1.0.0`,
      },
    );
    this.foundationalBestPractices.addResourceDependency(this.hub);
  }
}
