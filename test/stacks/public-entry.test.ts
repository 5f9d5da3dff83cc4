import { Stack } from 'aws-cdk-lib';
import { shippedEnvironments, synthesized } from '../helpers/test-app';

type Resources = Record<string, { Type: string; Properties?: any }>;

describe.each(shippedEnvironments.map((config) => [config.name, config] as const))(
  'the public entries of %s',
  (name, config) => {
    const { stage, template } = synthesized(name);
    const stacks = stage.node.children.filter(Stack.isStack);
    const resources: Resources = Object.assign(
      {},
      ...stacks.map((stack) => template(stack).toJSON().Resources),
    );
    const ofType = (type: string) =>
      Object.values(resources)
        .filter((r) => r.Type === type)
        .map((r) => r.Properties ?? {});

    test('no load balancer is internet-facing', () => {
      const balancers = ofType('AWS::ElasticLoadBalancingV2::LoadBalancer');
      expect(balancers.length).toBeGreaterThan(0);
      for (const balancer of balancers) {
        // CloudFormation's default scheme is internet-facing: it must be explicit.
        expect(balancer.Scheme).toBe('internal');
      }
    });

    test('no distribution has an origin reached over the internet (custom origins, http-only or not)', () => {
      for (const distribution of ofType('AWS::CloudFront::Distribution')) {
        for (const origin of distribution.DistributionConfig.Origins) {
          expect(origin.CustomOriginConfig).toBeUndefined();
          expect(origin.S3OriginConfig).toBeUndefined();
          expect(origin.VpcOriginConfig).toEqual({ VpcOriginId: expect.anything() });
        }
      }
    });

    test('no security group admits the internet, and no task or subnet of a workload gets a public IP', () => {
      const rules = [
        ...ofType('AWS::EC2::SecurityGroup').flatMap((g) => g.SecurityGroupIngress ?? []),
        ...ofType('AWS::EC2::SecurityGroupIngress'),
      ];
      for (const rule of rules) {
        expect([rule.CidrIp, rule.CidrIpv6]).not.toContain('0.0.0.0/0');
        expect([rule.CidrIp, rule.CidrIpv6]).not.toContain('::/0');
        expect(rule.SourcePrefixListId).toBeUndefined();
      }
      for (const service of ofType('AWS::ECS::Service')) {
        expect(service.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp).toBe('DISABLED');
      }
      expect(ofType('AWS::Lambda::Url')).toEqual([]);
      expect(ofType('AWS::ApiGateway::RestApi')).toEqual([]);
      expect(ofType('AWS::ApiGatewayV2::Api')).toEqual([]);
    });

    describe('the VPC origin', () => {
      const application = template(stage.application).toJSON();
      const [balancerId] = Object.entries(application.Resources as Resources).find(
        ([, r]) => r.Type === 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      )!;
      const [originId, vpcOrigin] = Object.entries(application.Resources as Resources).find(
        ([, r]) => r.Type === 'AWS::CloudFront::VpcOrigin',
      )!;

      test('lives next to the load balancer, in its region, and points at it', () => {
        expect(stage.application.region).toBe(config.region);
        expect(vpcOrigin.Properties.VpcOriginEndpointConfig).toEqual(
          expect.objectContaining({ Arn: { Ref: balancerId }, Name: `${name}-load-balancer` }),
        );
      });

      test('is the origin of the distribution, by the ID the application stack publishes', () => {
        const [origin] = ofType('AWS::CloudFront::Distribution')[0].DistributionConfig.Origins;
        const { OutputName, StackName } = origin.VpcOriginConfig.VpcOriginId['Fn::GetStackOutput'];
        expect(StackName).toBe(stage.application.stackName);
        expect(application.Outputs[OutputName].Value).toEqual({
          'Fn::GetAtt': [originId, 'Id'],
        });
      });

      test('has the internet gateway CloudFront needs in the VPC, though it carries no origin traffic', () => {
        const network = template(stage.network).toJSON().Resources as Resources;
        const types = Object.values(network).map((r) => r.Type);
        expect(types).toContain('AWS::EC2::InternetGateway');
        expect(types).toContain('AWS::EC2::VPCGatewayAttachment');
      });

      test("admits CloudFront's service-managed security group, looked up after the VPC origin exists", () => {
        const lookups = Object.values(application.Resources as Record<string, any>).filter(
          (r) => r.Type === 'Custom::CloudFrontVpcOriginSecurityGroup',
        );
        expect(lookups).toHaveLength(1);
        expect(JSON.stringify(lookups[0].Properties.Create)).toContain(
          'CloudFront-VPCOrigins-Service-SG',
        );
        expect(lookups[0].DependsOn).toContain(originId);
      });
    });
  },
);
