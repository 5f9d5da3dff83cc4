import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { CloudFrontVpcOrigin } from '../../../lib/constructs/ingress/cloudfront-vpc-origin';
import { PlatformLoadBalancer } from '../../../lib/constructs/ingress/platform-load-balancer';
import { newTestApp } from '../../helpers/test-app';

describe('ingress constructs', () => {
  const fixture = () => {
    const stack = new Stack(newTestApp(), 'Fixture', { env: { region: 'ap-northeast-1' } });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    return { stack, vpc, logsKey: new kms.Key(stack, 'Key') };
  };
  const props = ({ vpc, logsKey }: ReturnType<typeof fixture>) => ({
    vpc,
    subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    vpcOriginName: 'dev-load-balancer',
    accessLogExpirationDays: 30,
    logsKey,
    logRetention: logs.RetentionDays.ONE_MONTH,
    deletionProtection: false,
    removalPolicy: RemovalPolicy.DESTROY,
  });

  describe('PlatformLoadBalancer', () => {
    test('fails when it should route more host names than a rule can match', () => {
      const f = fixture();
      const hostNames = ['a.example.com', 'b.example.com', 'c.example.com', 'd.example.com'];
      expect(
        () => new PlatformLoadBalancer(f.stack, 'LoadBalancer', { ...props(f), hostNames }),
      ).toThrow(
        `PlatformLoadBalancer: hostNames ${JSON.stringify(hostNames)} has more than 3 names; a rule takes 5 condition values, 2 of them its path patterns`,
      );
    });

    test('without host names, answers 404 to every path no service claims', () => {
      const f = fixture();
      new PlatformLoadBalancer(f.stack, 'LoadBalancer', props(f));
      Template.fromStack(f.stack).hasResourceProperties(
        'AWS::ElasticLoadBalancingV2::ListenerRule',
        {
          Priority: 50000,
          Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }],
          Actions: [
            Match.objectLike({ FixedResponseConfig: Match.objectLike({ StatusCode: '404' }) }),
          ],
        },
      );
    });
  });

  describe('CloudFrontVpcOrigin', () => {
    test('fails when the name is not a VPC origin name', () => {
      const f = fixture();
      const { loadBalancer } = new PlatformLoadBalancer(f.stack, 'LoadBalancer', props(f));
      expect(
        () =>
          new CloudFrontVpcOrigin(f.stack, 'Origin', {
            loadBalancer,
            securityGroup: loadBalancer.connections.securityGroups[0],
            vpc: f.vpc,
            port: 80,
            https: false,
            name: 'dev load balancer',
            logsKey: f.logsKey,
            logRetention: logs.RetentionDays.ONE_MONTH,
            removalPolicy: RemovalPolicy.DESTROY,
          }),
      ).toThrow(
        'CloudFrontVpcOrigin: name "dev load balancer" is not a VPC origin name; allowed: 1-64 letters, digits, "-" and "_"',
      );
    });
  });
});
