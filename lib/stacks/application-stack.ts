import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { PlatformLoadBalancer } from '../constructs/ingress/platform-load-balancer';
import { LogsEncryptionKey } from '../constructs/logging/logs-encryption-key';
import { ServiceConnectMesh } from '../constructs/mesh/service-connect-mesh';
import { IServiceMesh } from '../constructs/mesh/service-mesh';
import { PlatformCluster } from '../constructs/service/platform-cluster';
import { removalPolicyOf } from '../defaults';
import { NetworkStack } from './network-stack';
import { PlatformStack, PlatformStackProps } from './platform-stack';

/** Properties of {@link ApplicationStack}. */
export interface ApplicationStackProps extends PlatformStackProps {
  /** The environment's network. */
  readonly network: NetworkStack;
}

/**
 * What all services share: the ECS cluster, the load balancer, the mesh and
 * the key of the service log groups. The services themselves live in
 * {@link ServicesStack}s so no stack outgrows CloudFormation's limits.
 */
export class ApplicationStack extends PlatformStack {
  readonly cluster: PlatformCluster;
  readonly loadBalancer: PlatformLoadBalancer;
  readonly mesh: IServiceMesh;
  /** Carried by every task; servers accept Service Connect traffic from it. */
  readonly meshSecurityGroup: ec2.ISecurityGroup;
  /** Encrypts every service log group. */
  readonly logsKey: kms.IKey;

  constructor(scope: Construct, id: string, props: ApplicationStackProps) {
    super(scope, id, props);
    const { application } = props.config;
    const removalPolicy = removalPolicyOf(props.config.removalPolicy);
    const logRetention = application.logRetentionDays as logs.RetentionDays;

    this.logsKey = new LogsEncryptionKey(this, 'LogsKey', {
      description: `${props.config.name}: encrypts the ECS service, sidecar and exec log groups`,
      removalPolicy,
    }).key;
    this.cluster = new PlatformCluster(this, 'Cluster', {
      vpc: props.network.vpc,
      logsKey: this.logsKey,
      logRetention,
      removalPolicy,
      execLogGroupName: `/platform/${props.config.name}/ecs-exec`,
    });
    this.loadBalancer = new PlatformLoadBalancer(this, 'LoadBalancer', {
      vpc: props.network.vpc,
      subnets: props.network.subnets.public,
      certificateArn: application.certificateArn,
      accessLogExpirationDays: application.accessLogExpirationDays,
      deletionProtection: props.config.tier === 'production',
      removalPolicy,
    });
    this.meshSecurityGroup = new ec2.SecurityGroup(this, 'MeshSecurityGroup', {
      vpc: props.network.vpc,
      description: 'Carried by every platform task: identifies Service Connect clients',
      allowAllOutbound: true,
    });
    this.mesh = new ServiceConnectMesh(this, 'ServiceConnect', {
      namespaceName: `${props.config.name}.internal`,
      logGroup: new logs.LogGroup(this, 'ServiceConnectLogs', {
        encryptionKey: this.logsKey,
        retention: logRetention,
        removalPolicy,
      }),
    });
  }
}
