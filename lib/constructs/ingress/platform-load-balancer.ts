import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { ALB_IDLE_TIMEOUT_SECONDS } from '../../defaults';
import { AccessLogBucket } from './access-log-bucket';

/** Properties of {@link PlatformLoadBalancer}. */
export interface PlatformLoadBalancerProps {
  /** The VPC. */
  readonly vpc: ec2.IVpc;
  /** The public subnets the load balancer lives in. */
  readonly subnets: ec2.SubnetSelection;
  /**
   * Who may connect. The edge stack narrows this to CloudFront's
   * origin-facing prefix list.
   * @default - any IPv4 address
   */
  readonly allowedClients?: ec2.IPeer;
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
const HTTPS_PORT = 443;

/**
 * The internet-facing Application Load Balancer: HTTPS with a TLS 1.3 policy
 * when a certificate is configured (HTTP redirected to it), invalid header
 * fields dropped, access logs in S3, and a fixed 404 for any path no service
 * claims. Services add their routes to {@link listener}.
 */
export class PlatformLoadBalancer extends Construct {
  /** The load balancer. */
  readonly loadBalancer: elbv2.IApplicationLoadBalancer;
  /** The listener that routes to services (HTTPS when a certificate is configured). */
  readonly listener: elbv2.IApplicationListener;
  /** Whether {@link listener} terminates TLS. */
  readonly https: boolean;

  constructor(scope: Construct, id: string, props: PlatformLoadBalancerProps) {
    super(scope, id);
    const allowedClients = props.allowedClients ?? ec2.Peer.anyIpv4();
    this.https = props.certificateArn !== undefined;

    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Platform load balancer',
      allowAllOutbound: false,
    });
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

    const notFound = elbv2.ListenerAction.fixedResponse(404, {
      contentType: 'text/plain',
      messageBody: 'Not Found',
    });
    if (props.certificateArn) {
      securityGroup.addIngressRule(allowedClients, ec2.Port.tcp(HTTPS_PORT), 'HTTPS from clients');
      securityGroup.addIngressRule(
        allowedClients,
        ec2.Port.tcp(HTTP_PORT),
        'HTTP from clients, redirected to HTTPS',
      );
      this.listener = loadBalancer.addListener('Https', {
        port: HTTPS_PORT,
        protocol: elbv2.ApplicationProtocol.HTTPS,
        certificates: [
          acm.Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn),
        ],
        // TLS 1.3 and 1.2 with post-quantum hybrid key exchange: AWS's current recommendation.
        // See https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
        sslPolicy: elbv2.SslPolicy.TLS13_12_PQ,
        defaultAction: notFound,
        open: false,
      });
      loadBalancer.addListener('HttpRedirect', {
        port: HTTP_PORT,
        protocol: elbv2.ApplicationProtocol.HTTP,
        defaultAction: elbv2.ListenerAction.redirect({
          protocol: 'HTTPS',
          port: String(HTTPS_PORT),
          permanent: true,
        }),
        open: false,
      });
    } else {
      securityGroup.addIngressRule(allowedClients, ec2.Port.tcp(HTTP_PORT), 'HTTP from clients');
      this.listener = loadBalancer.addListener('Http', {
        port: HTTP_PORT,
        protocol: elbv2.ApplicationProtocol.HTTP,
        defaultAction: notFound,
        open: false,
      });
    }
    if (allowedClients.canInlineRule && allowedClients.uniqueId === ec2.Peer.anyIpv4().uniqueId) {
      Validations.of(securityGroup.node.defaultChild!).acknowledge({
        id: 'AwsSolutions-EC23',
        reason:
          'An internet-facing load balancer must accept clients from anywhere until the edge stack narrows this rule to the CloudFront origin-facing prefix list.',
      });
    }

    this.loadBalancer = loadBalancer;
  }
}
