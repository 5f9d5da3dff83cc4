import { Duration, RemovalPolicy, SecretValue } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { ALB_IDLE_TIMEOUT_SECONDS, HTTPS_PORT } from '../../defaults';
import { PINS } from '../../pins';
import type { LoadBalancerRoutes } from '../service/features/load-balancer-ingress';
import { AccessLogBucket } from './access-log-bucket';

/** A header every request must carry to be routed. */
export interface RequiredHeader {
  /** The header name. */
  readonly name: string;
  /** Its value: a dynamic reference, so the value stays out of the template. */
  readonly value: SecretValue;
}

/** Who may reach the load balancer, and how it recognises them. */
export interface LoadBalancerClients {
  /** The only source the security group admits (CloudFront's origin-facing prefix list). */
  readonly peer: ec2.IPeer;
  /** The header that proves a request came through CloudFront; without it: 403. */
  readonly requiredHeader: RequiredHeader;
}

/** Properties of {@link PlatformLoadBalancer}. */
export interface PlatformLoadBalancerProps {
  /** The VPC. */
  readonly vpc: ec2.IVpc;
  /** The public subnets the load balancer lives in. */
  readonly subnets: ec2.SubnetSelection;
  /** Who may connect: CloudFront only, recognised by source and header. */
  readonly allowedClients: LoadBalancerClients;
  /**
   * Certificate ARN of the HTTPS listener.
   * @default - an HTTP listener serves the routes (no TLS at the load balancer)
   */
  readonly certificateArn?: string;
  /** Days the access logs are kept. */
  readonly accessLogExpirationDays: number;
  /** Deletion protection, for production. */
  readonly deletionProtection: boolean;
  /** What happens to the access-log bucket when removed from the app. */
  readonly removalPolicy: RemovalPolicy;
}

const HTTP_PORT = 80;
/** The last listener-rule priority: the 404 for verified requests no service claims. */
const NOT_FOUND_PRIORITY = 50000;

/**
 * The internet-facing Application Load Balancer, reachable only through
 * CloudFront: the security group admits only `allowedClients.peer` on the one
 * listener port (the CloudFront prefix list counts as about 55 rules against
 * the security group quota, so it is referenced once), and the listener
 * answers 403 to any request without the required header. HTTPS with a TLS
 * 1.3 policy when a certificate is configured, invalid header fields dropped,
 * access logs in S3, and a 404 for verified requests no service claims.
 * Services add their routes to {@link listener} with {@link routeConditions}.
 * See https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/restrict-access-to-load-balancer.html
 */
export class PlatformLoadBalancer extends Construct {
  /** The load balancer. */
  readonly loadBalancer: elbv2.IApplicationLoadBalancer;
  /** The listener that routes to services (HTTPS when a certificate is configured). */
  readonly listener: elbv2.IApplicationListener;
  /** Whether {@link listener} terminates TLS. */
  readonly https: boolean;
  /** Conditions every service route adds to its path condition (the required header). */
  readonly routeConditions: readonly elbv2.ListenerCondition[];
  /** Where services (or a mesh gateway) add their path rules. */
  readonly routes: LoadBalancerRoutes;

  constructor(scope: Construct, id: string, props: PlatformLoadBalancerProps) {
    super(scope, id);
    const { peer, requiredHeader } = props.allowedClients;
    if (!/^[A-Za-z0-9-]{1,40}$/.test(requiredHeader.name)) {
      throw new Error(
        `PlatformLoadBalancer: allowedClients.requiredHeader.name ${JSON.stringify(requiredHeader.name)} is not a header name; allowed: 1-40 letters, digits and "-"`,
      );
    }
    this.https = props.certificateArn !== undefined;
    const port = this.https ? HTTPS_PORT : HTTP_PORT;

    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Platform load balancer',
      allowAllOutbound: false,
    });
    securityGroup.addIngressRule(peer, ec2.Port.tcp(port), 'CloudFront origin-facing servers');
    const loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      internetFacing: true,
      securityGroup,
      dropInvalidHeaderFields: true,
      deletionProtection: props.deletionProtection,
      idleTimeout: Duration.seconds(ALB_IDLE_TIMEOUT_SECONDS),
      http2Enabled: true,
    });
    const accessLogs = new AccessLogBucket(this, 'AccessLogs', {
      expirationDays: props.accessLogExpirationDays,
      removalPolicy: props.removalPolicy,
    });
    loadBalancer.logAccessLogs(accessLogs.bucket, 'alb');

    const forbidden = elbv2.ListenerAction.fixedResponse(403, {
      contentType: 'text/plain',
      messageBody: 'Forbidden',
    });
    this.listener = loadBalancer.addListener(this.https ? 'Https' : 'Http', {
      port,
      protocol: this.https ? elbv2.ApplicationProtocol.HTTPS : elbv2.ApplicationProtocol.HTTP,
      certificates: props.certificateArn
        ? [acm.Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn)]
        : undefined,
      // TLS 1.3 and 1.2 with hybrid post-quantum key exchange, the policy AWS recommends
      // (lib/pins.ts). See https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
      sslPolicy: this.https ? PINS.loadBalancerTlsPolicy.value : undefined,
      // Requests that did not come through CloudFront match no rule.
      defaultAction: forbidden,
      open: false,
    });
    this.routeConditions = [
      elbv2.ListenerCondition.httpHeader(requiredHeader.name, [
        requiredHeader.value.unsafeUnwrap(),
      ]),
    ];
    new elbv2.ApplicationListenerRule(this, 'NotFound', {
      listener: this.listener,
      priority: NOT_FOUND_PRIORITY,
      conditions: [...this.routeConditions],
      action: elbv2.ListenerAction.fixedResponse(404, {
        contentType: 'text/plain',
        messageBody: 'Not Found',
      }),
    });

    this.loadBalancer = loadBalancer;
    this.routes = {
      listener: this.listener,
      loadBalancer,
      routeConditions: this.routeConditions,
    };
  }
}
