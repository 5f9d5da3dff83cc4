import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import {
  SecretRotationFunction,
  SecretRotationFunctionProps,
} from '../../../lib/constructs/identity/secret-rotation-function';

/** What every rotation needs besides its secret, strategy and master, in a bare stack. */
function placement() {
  // Assets are not bundled outside `aws:cdk:bundling-stacks`: these tests are about validation.
  const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Stack');
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0 });
  const key = new kms.Key(stack, 'Key');
  return {
    stack,
    props: {
      secretKey: key,
      automaticallyAfter: Duration.days(30),
      label: 'role api',
      vpc,
      subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      securityGroup: new ec2.SecurityGroup(stack, 'Group', { vpc }),
      logsKey: key,
      logRetention: logs.RetentionDays.ONE_WEEK,
      removalPolicy: RemovalPolicy.DESTROY,
    } satisfies Partial<SecretRotationFunctionProps>,
    secret: (id: string) => new secretsmanager.Secret(stack, id, { encryptionKey: key }),
  };
}

describe('SecretRotationFunction', () => {
  test('fails when the alternating-users strategy has no master secret to log in with', () => {
    const { stack, props, secret } = placement();
    expect(
      () =>
        new SecretRotationFunction(stack, 'Rotation', {
          ...props,
          secret: secret('Role'),
          strategy: 'alternating-users',
        }),
    ).toThrow(
      'SecretRotationFunction Rotation: strategy "alternating-users" needs masterSecret, the secret it logs in with',
    );
  });

  test('fails when the single-user strategy is given a master secret', () => {
    const { stack, props, secret } = placement();
    expect(
      () =>
        new SecretRotationFunction(stack, 'Rotation', {
          ...props,
          secret: secret('Master'),
          masterSecret: secret('Other'),
          strategy: 'single-user',
        }),
    ).toThrow(
      `SecretRotationFunction Rotation: strategy "single-user" logs in as the secret's own user; masterSecret is not allowed`,
    );
  });
});
