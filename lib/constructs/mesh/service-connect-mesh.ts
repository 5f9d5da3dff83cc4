import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct } from 'constructs';
import { ServiceConfig } from '../../../config';
import { IServiceMesh } from './service-mesh';

/** Properties of {@link ServiceConnectMesh}. */
export interface ServiceConnectMeshProps {
  /** The Cloud Map namespace name, e.g. `dev.internal`. */
  readonly namespaceName: string;
  /** Where the Service Connect proxies log. */
  readonly logGroup: logs.ILogGroup;
}

/**
 * ECS Service Connect: a Cloud Map HTTP namespace for the environment. Every
 * service is a client of it; services with a port are also servers, reachable
 * at `http://<name>:<port>` with the protocol of their port mapping.
 * See https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-connect-concepts.html
 */
export class ServiceConnectMesh extends Construct implements IServiceMesh {
  readonly kind = 'service-connect' as const;
  readonly loadBalancerRoutesToServices = true;
  /** The namespace services register in. */
  readonly namespace: servicediscovery.INamespace;
  private readonly logGroup: logs.ILogGroup;

  constructor(scope: Construct, id: string, props: ServiceConnectMeshProps) {
    super(scope, id);
    this.namespace = new servicediscovery.HttpNamespace(this, 'Namespace', {
      name: props.namespaceName,
      description: 'Service Connect namespace of the platform services',
    });
    this.logGroup = props.logGroup;
  }

  /** Service Connect's client alias: the service's name and port. */
  urlOf(callee: ServiceConfig & { readonly port: number }): string {
    return `http://${callee.name}:${callee.port}`;
  }

  taskDefinitionProps(): Pick<ecs.FargateTaskDefinitionProps, 'proxyConfiguration'> {
    return {};
  }

  useAppContainer(): void {
    // Service Connect injects its own managed proxy: nothing to add to the task.
  }

  useService(): void {
    // The namespace registration is part of serviceProps: nothing to add afterwards.
  }

  serviceProps(spec: ServiceConfig): Pick<ecs.FargateServiceProps, 'serviceConnectConfiguration'> {
    return {
      serviceConnectConfiguration: {
        namespace: this.namespace.namespaceArn,
        services:
          spec.port === undefined
            ? undefined
            : [{ portMappingName: spec.name, dnsName: spec.name, port: spec.port }],
        logDriver: ecs.LogDrivers.awsLogs({
          logGroup: this.logGroup,
          streamPrefix: `service-connect/${spec.name}`,
        }),
      },
    };
  }
}
