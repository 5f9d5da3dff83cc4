import { RemovalPolicy } from 'aws-cdk-lib';
import { RemovalPolicyName } from '../config';

/**
 * Maps the config's removal policy name to the CDK value for a resource.
 * `snapshot` only exists for resources that can be snapshotted (databases,
 * volumes); everything else, keys and log groups included, is retained.
 * See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html
 */
export function removalPolicyOf(
  name: RemovalPolicyName,
  resource: 'snapshottable' | 'other' = 'other',
): RemovalPolicy {
  switch (name) {
    case 'destroy':
      return RemovalPolicy.DESTROY;
    case 'retain':
      return RemovalPolicy.RETAIN;
    case 'snapshot':
      return resource === 'snapshottable' ? RemovalPolicy.SNAPSHOT : RemovalPolicy.RETAIN;
  }
}

/**
 * The HTTPS port interface endpoints listen on.
 * See https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html#create-interface-endpoint-aws
 */
export const HTTPS_PORT = 443;
