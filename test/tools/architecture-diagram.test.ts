import * as fs from 'fs';
import * as path from 'path';
import {
  architectureOf,
  ArchitectureDiagram,
  DIAGRAMS_DIR,
  readmeWithDiagram,
  README_ENVIRONMENT,
  renderDiagramDoc,
  renderMermaid,
} from '../../tools/architecture-diagram';
import {
  CfnResource,
  StackTemplate,
  stacksOfStage,
  stackTemplatesOf,
} from '../../tools/security-projection';
import { shippedEnvironments, synthesizedApp } from '../helpers/test-app';

const ROOT = path.join(__dirname, '..', '..');

/** A stack of stage `Dev` whose logical IDs are their construct paths with `/` removed. */
function stack(
  name: string,
  resources: Record<string, CfnResource>,
  options: { region?: string; outputs?: Record<string, unknown> } = {},
): StackTemplate {
  const paths = new Map(Object.keys(resources).map((id) => [id, id.replace(/_/g, '/')]));
  return {
    stack: `Dev/${name}`,
    stackName: `Dev-${name}`,
    region: options.region ?? 'ap-northeast-1',
    template: {
      Resources: resources,
      Outputs: Object.fromEntries(
        Object.entries(options.outputs ?? {}).map(([key, value]) => [key, { Value: value }]),
      ),
    },
    paths,
  };
}

const resource = (Type: string, Properties: Record<string, unknown> = {}): CfnResource => ({
  Type,
  Properties,
});
const ref = (id: string) => ({ Ref: id });
const arn = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
const groupId = (id: string) => ({ 'Fn::GetAtt': [id, 'GroupId'] });
const output = (stackName: string, name: string) => ({
  'Fn::GetStackOutput': { StackName: stackName, OutputName: name },
});

const nodeLines = (diagram: ArchitectureDiagram) =>
  Object.fromEntries(diagram.stacks.flatMap((s) => s.nodes).map((n) => [n.id, n.lines]));
const arrows = (diagram: ArchitectureDiagram) =>
  diagram.edges.map(
    (e) => `${e.from} ${e.dotted ? '-.->' : '-->'} ${e.to}: ${e.labels.join(', ')}`,
  );

describe('the architecture diagram', () => {
  describe('given an edge stack in us-east-1 in front of an application stack', () => {
    const diagram = architectureOf([
      stack(
        'Application',
        {
          LoadBalancer_LoadBalancer: resource('AWS::ElasticLoadBalancingV2::LoadBalancer', {
            Scheme: 'internal',
            SecurityGroups: [groupId('LoadBalancer_SecurityGroup')],
          }),
          LoadBalancer_SecurityGroup: resource('AWS::EC2::SecurityGroup'),
          WebAcl: resource('AWS::WAFv2::WebACL', { Scope: 'REGIONAL' }),
          WebAclAssociation: resource('AWS::WAFv2::WebACLAssociation', {
            ResourceArn: ref('LoadBalancer_LoadBalancer'),
            WebACLArn: arn('WebAcl'),
          }),
        },
        {
          outputs: { LoadBalancerDns: { 'Fn::GetAtt': ['LoadBalancer_LoadBalancer', 'DNSName'] } },
        },
      ),
      stack(
        'Edge',
        {
          WebAcl: resource('AWS::WAFv2::WebACL', { Scope: 'CLOUDFRONT' }),
          Distribution: resource('AWS::CloudFront::Distribution', {
            DistributionConfig: {
              DefaultCacheBehavior: { ViewerProtocolPolicy: 'redirect-to-https' },
              Origins: [
                {
                  DomainName: output('Dev-Application', 'LoadBalancerDns'),
                  CustomOriginConfig: { OriginProtocolPolicy: 'https-only' },
                },
              ],
              WebACLId: arn('WebAcl'),
            },
          }),
        },
        { region: 'us-east-1' },
      ),
    ]);

    test('draws the viewer through CloudFront to its origin, across stacks and regions', () => {
      expect(arrows(diagram)).toEqual([
        'viewer --> Edge_Distribution_Distribution: HTTPS',
        'Edge_Distribution_Distribution --> Application_LoadBalancer_LoadBalancer: origin, https-only',
      ]);
    });

    test('notes the web ACL of each, with its scope', () => {
      expect(nodeLines(diagram)).toEqual({
        Application_LoadBalancer_LoadBalancer: [
          'LoadBalancer',
          'internal application load balancer',
          '+ WAF web ACL (REGIONAL)',
        ],
        Edge_Distribution_Distribution: [
          'Distribution',
          'CloudFront distribution',
          '+ WAF web ACL (CLOUDFRONT)',
        ],
      });
    });

    test('puts each stack in the subgraph of its region', () => {
      const mermaid = renderMermaid(diagram);
      expect(mermaid).toMatch(
        /subgraph region_ap_northeast_1\["ap-northeast-1"\]\n {4}subgraph stack_Application\["Application stack"\]\n {6}Application_LoadBalancer_LoadBalancer\["<b>LoadBalancer<\/b>/,
      );
      expect(mermaid).toMatch(
        /subgraph region_us_east_1\["us-east-1"\]\n {4}subgraph stack_Edge\["Edge stack"\]/,
      );
      expect(mermaid).toContain(
        '  Edge_Distribution_Distribution -->|"origin, https-only"| Application_LoadBalancer_LoadBalancer\n',
      );
    });
  });

  describe('given services behind listener rules', () => {
    const service = (name: string) => ({
      [`${name}_Service`]: resource('AWS::ECS::Service', {
        TaskDefinition: ref(`${name}_Task`),
        LoadBalancers: [{ TargetGroupArn: ref(`${name}_TargetGroup`) }],
        NetworkConfiguration: {
          AwsvpcConfiguration: {
            SecurityGroups: [groupId(`${name}_SecurityGroup`), groupId('MeshSecurityGroup')],
          },
        },
      }),
      [`${name}_Task`]: resource('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [{ Name: 'log_router' }, { Name: 'otel' }, { Name: 'app' }],
      }),
      [`${name}_TargetGroup`]: resource('AWS::ElasticLoadBalancingV2::TargetGroup'),
      [`${name}_SecurityGroup`]: resource('AWS::EC2::SecurityGroup'),
    });
    const diagram = architectureOf([
      stack('Services1', {
        LoadBalancer: resource('AWS::ElasticLoadBalancingV2::LoadBalancer', {}),
        Listener: resource('AWS::ElasticLoadBalancingV2::Listener', {
          LoadBalancerArn: ref('LoadBalancer'),
        }),
        ApiRule: resource('AWS::ElasticLoadBalancingV2::ListenerRule', {
          ListenerArn: ref('Listener'),
          Actions: [{ Type: 'forward', TargetGroupArn: ref('Api_TargetGroup') }],
          Conditions: [
            { Field: 'path-pattern', PathPatternConfig: { Values: ['/v1/api', '/v1/api/*'] } },
          ],
        }),
        WebRule: resource('AWS::ElasticLoadBalancingV2::ListenerRule', {
          ListenerArn: ref('Listener'),
          Actions: [{ Type: 'forward', TargetGroupArn: ref('Web_TargetGroup') }],
          Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }],
        }),
        ...service('Api'),
        ...service('Web'),
        MeshSecurityGroup: resource('AWS::EC2::SecurityGroup', {
          SecurityGroupIngress: [
            {
              IpProtocol: 'tcp',
              FromPort: 8080,
              SourceSecurityGroupId: groupId('MeshSecurityGroup'),
            },
          ],
        }),
        ApiFromMesh: resource('AWS::EC2::SecurityGroupIngress', {
          IpProtocol: 'tcp',
          FromPort: 8080,
          GroupId: groupId('Api_SecurityGroup'),
          SourceSecurityGroupId: groupId('MeshSecurityGroup'),
        }),
      }),
    ]);

    test('labels each load balancer → service arrow with its path prefixes', () => {
      expect(arrows(diagram)).toEqual(
        expect.arrayContaining([
          'Services1_LoadBalancer_LoadBalancer --> Services1_Api_Service: /v1/api',
          'Services1_LoadBalancer_LoadBalancer --> Services1_Web_Service: /',
        ]),
      );
    });

    test('notes the sidecars of each service', () => {
      expect(nodeLines(diagram).Services1_Api_Service).toEqual([
        'Api',
        'ECS service',
        'sidecars: log_router, otel',
      ]);
    });

    test('draws a group of peers (a security group that admits itself) as one node', () => {
      expect(nodeLines(diagram).Services1_MeshSecurityGroup).toEqual([
        'MeshSecurityGroup',
        'security group carried by 2 services',
      ]);
      expect(arrows(diagram)).toContain(
        'Services1_MeshSecurityGroup --> Services1_Api_Service: tcp 8080',
      );
    });
  });

  describe('given user pools, their triggers, a database and lifecycle messaging', () => {
    const trigger = (name: string) => ({
      [`${name}_Function`]: resource('AWS::Lambda::Function', {
        Role: arn(`${name}_Role`),
        VpcConfig: { SecurityGroupIds: [groupId('TriggerSecurityGroup')] },
      }),
      [`${name}_Role`]: resource('AWS::IAM::Role'),
      [`${name}_Policy`]: resource('AWS::IAM::Policy', {
        Roles: [ref(`${name}_Role`)],
        PolicyDocument: {
          Statement: [{ Effect: 'Allow', Action: 'sns:Publish', Resource: ref('Lifecycle_Topic') }],
        },
      }),
    });
    const identity = stack('Identity', {
      ProductPool_UserPool: resource('AWS::Cognito::UserPool', {
        LambdaConfig: {
          PreSignUp: arn('product-pre-sign-up_Function'),
          PreTokenGenerationConfig: { LambdaArn: arn('product-pre-token-generation_Function') },
        },
      }),
      ...trigger('product-pre-sign-up'),
      ...trigger('product-pre-token-generation'),
      TriggerSecurityGroup: resource('AWS::EC2::SecurityGroup'),
      Database_Cluster: resource('AWS::RDS::DBCluster', {
        Engine: 'aurora-postgresql',
        Port: 5432,
        VpcSecurityGroupIds: [groupId('Database_SecurityGroup')],
      }),
      Database_Writer: resource('AWS::RDS::DBInstance', {
        DBClusterIdentifier: ref('Database_Cluster'),
      }),
      Database_SecurityGroup: resource('AWS::EC2::SecurityGroup'),
      DatabaseFromTriggers: resource('AWS::EC2::SecurityGroupIngress', {
        IpProtocol: 'tcp',
        FromPort: { 'Fn::GetAtt': ['Database_Cluster', 'Endpoint.Port'] },
        GroupId: groupId('Database_SecurityGroup'),
        SourceSecurityGroupId: groupId('TriggerSecurityGroup'),
      }),
      PeeredDatabaseFromTriggers: resource('AWS::EC2::SecurityGroupIngress', {
        IpProtocol: 'tcp',
        FromPort: 5432,
        GroupId: 'sg-0123456789abcdef0',
        SourceSecurityGroupId: groupId('TriggerSecurityGroup'),
      }),
      Lifecycle_Topic: resource('AWS::SNS::Topic'),
      Lifecycle_Queue: resource('AWS::SQS::Queue', {
        RedrivePolicy: { deadLetterTargetArn: arn('Lifecycle_DeadLetterQueue') },
      }),
      Lifecycle_DeadLetterQueue: resource('AWS::SQS::Queue'),
      Lifecycle_Subscription: resource('AWS::SNS::Subscription', {
        TopicArn: ref('Lifecycle_Topic'),
        Endpoint: arn('Lifecycle_Queue'),
        Protocol: 'sqs',
      }),
      Lifecycle_DeadLetterAlarm: resource('AWS::CloudWatch::Alarm', {
        Dimensions: [
          {
            Name: 'QueueName',
            Value: { 'Fn::GetAtt': ['Lifecycle_DeadLetterQueue', 'QueueName'] },
          },
        ],
        AlarmActions: [output('Dev-Operations', 'NotificationsTopicArn')],
      }),
      CustomResource_Handler: resource('AWS::Lambda::Function', {
        Role: arn('CustomResource_Role'),
      }),
      CustomResource_Role: resource('AWS::IAM::Role'),
    });
    const services = stack('Services1', {
      Worker_Service: resource('AWS::ECS::Service', { TaskDefinition: ref('Worker_Task') }),
      Worker_Task: resource('AWS::ECS::TaskDefinition', { TaskRoleArn: arn('Worker_TaskRole') }),
      Worker_TaskRole: resource('AWS::IAM::Role'),
      Worker_Policy: resource('AWS::IAM::Policy', {
        Roles: [ref('Worker_TaskRole')],
        PolicyDocument: {
          Statement: [
            {
              Effect: 'Allow',
              Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage'],
              Resource: output('Dev-Identity', 'LifecycleQueueArn'),
            },
          ],
        },
      }),
    });
    const operations = stack(
      'Operations',
      { Monitoring_Notifications_Topic: resource('AWS::SNS::Topic') },
      { outputs: { NotificationsTopicArn: ref('Monitoring_Notifications_Topic') } },
    );
    const identityWithOutputs: StackTemplate = {
      ...identity,
      template: {
        ...identity.template,
        Outputs: { LifecycleQueueArn: { Value: arn('Lifecycle_Queue') } },
      },
    };
    const diagram = architectureOf([operations, identityWithOutputs, services]);

    test("draws a pool's triggers as one node, with what they may reach", () => {
      expect(nodeLines(diagram).Identity_ProductPool_UserPool_triggers).toEqual([
        'ProductPool triggers',
        'Lambda functions',
        'product-pre-sign-up',
        'product-pre-token-generation',
      ]);
      expect(arrows(diagram)).toEqual(
        expect.arrayContaining([
          'Identity_ProductPool_UserPool --> Identity_ProductPool_UserPool_triggers: ',
          'Identity_ProductPool_UserPool_triggers --> Identity_Database_DBCluster: tcp 5432',
          'Identity_ProductPool_UserPool_triggers --> Identity_Lifecycle_Topic: publishes',
        ]),
      );
    });

    test('describes the database: engine and instances', () => {
      expect(nodeLines(diagram).Identity_Database_DBCluster).toEqual([
        'Database',
        'Aurora PostgreSQL',
        '1 instance',
      ]);
    });

    test('draws a security group outside the environment (a peered database) as its own node', () => {
      expect(nodeLines(diagram).Identity_sg_0123456789abcdef0).toEqual([
        'sg-0123456789abcdef0',
        'security group outside this environment',
      ]);
      expect(arrows(diagram)).toContain(
        'Identity_ProductPool_UserPool_triggers --> Identity_sg_0123456789abcdef0: tcp 5432',
      );
    });

    test('draws topic → queue → consumer, its dead letters, and the alarm that reaches a topic', () => {
      expect(arrows(diagram)).toEqual(
        expect.arrayContaining([
          'Identity_Lifecycle_Topic --> Identity_Lifecycle_Queue: subscription',
          'Identity_Lifecycle_Queue --> Identity_Lifecycle_DeadLetterQueue_Queue: dead letters',
          'Identity_Lifecycle_Queue --> Services1_Worker_Service: consumed by',
          'Identity_Lifecycle_DeadLetterQueue_Queue -.-> Operations_Monitoring_Notifications_Topic: alarm',
        ]),
      );
    });

    test('leaves out functions nothing connects to (custom resource handlers)', () => {
      expect(Object.keys(nodeLines(diagram)).join()).not.toContain('CustomResource');
    });
  });

  test('escapes quotes in labels', () => {
    const mermaid = renderMermaid({
      viewer: { id: 'viewer', shape: 'circle', lines: ['viewer'] },
      stacks: [
        {
          name: 'Identity',
          region: 'unknown-region',
          nodes: [{ id: 'n', shape: 'box', lines: ['a "b"'] }],
        },
      ],
      edges: [],
    });
    expect(mermaid).toContain('subgraph region_unknown_region["the CLI\'s region"]');
    expect(mermaid).toContain('n["<b>a #quot;b#quot;</b>"]');
  });

  test('fails when the README has no diagram block', () => {
    expect(() => readmeWithDiagram('# A README without one\n', 'flowchart LR\n')).toThrow(
      'README.md has no block between <!-- architecture-diagram:dev (npm run diagram) --> and <!-- /architecture-diagram:dev -->',
    );
  });

  describe('of the shipped environments', () => {
    const stacks = stackTemplatesOf(synthesizedApp().assembly);
    const mermaidOf = (stageName: string) =>
      renderMermaid(architectureOf(stacksOfStage(stacks, stageName)));

    test.each(shippedEnvironments.map((env) => env.name))(
      'docs/diagrams/%s.md is current (run `npm run diagram` if stale)',
      (name) => {
        const stage = synthesizedApp().stages.find((s) => s.config.name === name)!;
        const file = fs.readFileSync(path.join(ROOT, DIAGRAMS_DIR, `${name}.md`), 'utf8');
        expect(file).toBe(renderDiagramDoc(name, mermaidOf(stage.stageName)));
      },
    );

    test(`the README shows the ${README_ENVIRONMENT} diagram (run \`npm run diagram\` if stale)`, () => {
      const stage = synthesizedApp().stages.find((s) => s.config.name === README_ENVIRONMENT)!;
      const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
      expect(readme).toBe(readmeWithDiagram(readme, mermaidOf(stage.stageName)));
    });

    test('stays the same when an asset hash changes', () => {
      const stage = synthesizedApp().stages.find((s) => s.config.name === README_ENVIRONMENT)!;
      const rehashed = stacksOfStage(stacks, stage.stageName).map((s) => ({
        ...s,
        template: JSON.parse(JSON.stringify(s.template).replace(/[0-9a-f]{64}/g, '0'.repeat(64))),
      }));
      expect(JSON.stringify(rehashed)).not.toBe(
        JSON.stringify(stacksOfStage(stacks, stage.stageName)),
      );
      expect(renderMermaid(architectureOf(rehashed))).toBe(mermaidOf(stage.stageName));
    });
  });
});
