import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { StackTemplate, stackTemplatesOf } from '../../tools/security-projection';

/** Options of the security fixture. */
export interface SecurityFixtureOptions {
  /** Adds SSH ingress from 0.0.0.0/0: a loosened security-group rule. */
  readonly openSsh?: boolean;
  /** The function's code: a change gives a new asset hash and nothing else. */
  readonly code?: string;
  /** Where to write the cloud assembly (default: a temporary directory). */
  readonly outdir?: string;
}

/**
 * Synthesizes a small app with a security group (HTTPS from the VPC,
 * optionally SSH from anywhere) and a function in it, offline.
 */
export function securityFixture(options: SecurityFixtureOptions = {}) {
  // The validator would (rightly) warn about the open SSH rule; the fixture needs it.
  const app = new App({ builtinCloudFormationValidation: false, outdir: options.outdir });
  const stack = new Stack(app, 'Fixture', {
    env: { account: '111111111111', region: 'ap-northeast-1' },
  });
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-12345678',
    availabilityZones: ['ap-northeast-1a'],
    privateSubnetIds: ['subnet-12345678'],
  });
  const group = new ec2.SecurityGroup(stack, 'Group', { vpc, allowAllOutbound: false });
  group.addIngressRule(ec2.Peer.ipv4('10.0.0.0/16'), ec2.Port.tcp(443), 'HTTPS from the VPC');
  if (options.openSsh) {
    group.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22), 'SSH from anywhere');
  }
  const codeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'projection-code-'));
  fs.writeFileSync(path.join(codeDir, 'index.js'), options.code ?? 'exports.handler = () => 1;');
  new lambda.Function(stack, 'Handler', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromAsset(codeDir),
    securityGroups: [group],
    vpc,
  });
  const assembly = app.synth();
  fs.rmSync(codeDir, { recursive: true, force: true });
  return assembly;
}

/** The stacks of {@link securityFixture}. */
export function securityFixtureTemplates(options: SecurityFixtureOptions = {}): StackTemplate[] {
  return stackTemplatesOf(securityFixture(options));
}
