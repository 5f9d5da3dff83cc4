import { Stack } from 'aws-cdk-lib';
import * as securityhub from 'aws-cdk-lib/aws-securityhub';
import { Construct } from 'constructs';
import { PINS } from '../../pins';

/**
 * Security Hub CSPM (`AWS::SecurityHub::Hub`, the service CloudFormation
 * called Security Hub before the unified Security Hub, `AWS::SecurityHub::HubV2`,
 * arrived) with the AWS Foundational Security Best Practices standard: CSPM is
 * what runs the standard's controls. The default standards are not enabled
 * implicitly, so the set of standards is exactly what this construct lists;
 * findings are generated per control (consolidated control findings).
 * See https://docs.aws.amazon.com/securityhub/latest/userguide/fsbp-standard.html
 * and https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-securityhub-hub.html
 */
export class SecurityHub extends Construct {
  /** The Security Hub CSPM hub. */
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
        standardsArn: `arn:${stack.partition}:securityhub:${stack.region}::standards/${PINS.foundationalBestPracticesStandard.value}`,
      },
    );
    this.foundationalBestPractices.addResourceDependency(this.hub);
  }
}
