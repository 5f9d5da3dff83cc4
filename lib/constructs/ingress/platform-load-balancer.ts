import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ALB_IDLE_TIMEOUT_SECONDS, HTTPS_PORT } from '../../defaults';
import { PINS } from '../../pins';
import type { LoadBalancerRoutes } from '../service/features/load-balancer-ingress';
import { AccessLogBucket } from './access-log-bucket';
import { CloudFrontVpcOrigin } from './cloudfront-vpc-origin';
import { acknowledgeFindings, controlTower, nist } from '../../compliance/acknowledge';

/** Properties of {@link PlatformLoadBalancer}. */
export interface PlatformLoadBalancerProps {
  /** The VPC. */
  readonly vpc: ec2.IVpc;
  /** The private subnets the load balancer (and CloudFront's VPC origin interfaces) live in. */
  readonly subnets: ec2.SubnetSelection;
  /**
   * Certificate of the HTTPS listener, covering {@link hostNames}.
   * @default - an HTTP listener, reached only by CloudFront's VPC origin over AWS's network
   */
  readonly certificate?: acm.ICertificate;
  /**
   * The viewer domain names (CloudFront forwards the viewer's Host): the only
   * hosts the rules route; any other gets 403. At most 3 (a rule takes 5
   * condition values, 2 of them its path patterns).
   * @default - every host is routed (the distribution's own `*.cloudfront.net` name)
   */
  readonly hostNames?: readonly string[];
  /** Name of the CloudFront VPC origin. */
  readonly vpcOriginName: string;
  /** Days the access logs are kept. */
  readonly accessLogExpirationDays: number;
  /** Encrypts the log group of the VPC origin's security group lookup. */
  readonly logsKey: kms.IKey;
  /** Retention of that log group. */
  readonly logRetention: logs.RetentionDays;
  /** Deletion protection, for production. */
  readonly deletionProtection: boolean;
  /** What happens to the access-log bucket and the log group when removed from the app. */
  readonly removalPolicy: RemovalPolicy;
}

const HTTP_PORT = 80;
/** The last listener-rule priority: the 404 for requests to our names that no service claims. */
const NOT_FOUND_PRIORITY = 50000;
const MAX_HOST_NAMES = 3;

/**
 * The internal Application Load Balancer behind CloudFront: private subnets,
 * no public address, no internet-facing listener, and a security group that
 * admits only CloudFront's VPC origin ({@link CloudFrontVpcOrigin}). HTTPS
 * with the AWS-recommended TLS policy when a certificate is given, invalid
 * header fields dropped, access logs in S3. The listener answers 403 by
 * default (a host that is not one of {@link PlatformLoadBalancerProps.hostNames}),
 * and 404, last, to requests no service claims. Services add their routes to
 * {@link listener} with {@link routeConditions}.
 * See https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-vpc-origins.html
 */
export class PlatformLoadBalancer extends Construct {
  /** The load balancer. */
  readonly loadBalancer: elbv2.IApplicationLoadBalancer;
  /** The listener that routes to services (HTTPS when a certificate is configured). */
  readonly listener: elbv2.IApplicationListener;
  /** Whether {@link listener} terminates TLS. */
  readonly https: boolean;
  /** Conditions every service route adds to its path condition (the viewer host names). */
  readonly routeConditions: readonly elbv2.ListenerCondition[];
  /** Where services (or a mesh gateway) add their path rules. */
  readonly routes: LoadBalancerRoutes;
  /** The load balancer as CloudFront's VPC origin. */
  readonly vpcOrigin: cloudfront.IVpcOrigin;

  constructor(scope: Construct, id: string, props: PlatformLoadBalancerProps) {
    super(scope, id);
    const hostNames = props.hostNames ?? [];
    if (hostNames.length > MAX_HOST_NAMES) {
      throw new Error(
        `PlatformLoadBalancer: hostNames ${JSON.stringify(hostNames)} has more than ${MAX_HOST_NAMES} names; a rule takes 5 condition values, 2 of them its path patterns`,
      );
    }
    this.https = props.certificate !== undefined;
    const port = this.https ? HTTPS_PORT : HTTP_PORT;

    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Platform load balancer: CloudFront VPC origin only',
      allowAllOutbound: false,
    });
    const loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      internetFacing: false,
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

    this.listener = loadBalancer.addListener(this.https ? 'Https' : 'Http', {
      port,
      protocol: this.https ? elbv2.ApplicationProtocol.HTTPS : elbv2.ApplicationProtocol.HTTP,
      certificates: props.certificate ? [props.certificate] : undefined,
      // TLS 1.3 and 1.2 with hybrid post-quantum key exchange, the policy AWS recommends
      // (lib/pins.ts). See https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
      sslPolicy: this.https ? PINS.loadBalancerTlsPolicy.value : undefined,
      // A request for a host that is not ours matches no rule.
      defaultAction: elbv2.ListenerAction.fixedResponse(403, {
        contentType: 'text/plain',
        messageBody: 'Forbidden',
      }),
      // The security group is opened to CloudFront's VPC origin alone, below.
      open: false,
    });
    if (!props.deletionProtection) {
      acknowledgeFindings(
        loadBalancer,
        [
          nist('ELBDeletionProtectionEnabled'),
          controlTower('elbv2_deletion_protection_enabled_check'),
        ],
        'Deletion protection follows the tier policy (on in production); a development or staging load balancer is torn down with its stage and holds no data.',
      );
    }
    if (!this.https) {
      acknowledgeFindings(
        this.listener,
        [
          nist('ALBHttpToHttpsRedirection'),
          nist('ELBv2ACMCertificateRequired'),
          controlTower('alb_http_to_https_redirection_check'),
        ],
        "Without an ALB certificate (application.loadBalancerCertificate) the internal listener is plain HTTP inside the VPC: only CloudFront's VPC origin reaches it, viewers get HTTPS at CloudFront, and there is no HTTPS listener to redirect to.",
      );
    }
    this.routeConditions =
      hostNames.length > 0 ? [elbv2.ListenerCondition.hostHeaders([...hostNames])] : [];
    new elbv2.ApplicationListenerRule(this, 'NotFound', {
      listener: this.listener,
      priority: NOT_FOUND_PRIORITY,
      conditions: [elbv2.ListenerCondition.pathPatterns(['/*']), ...this.routeConditions],
      action: elbv2.ListenerAction.fixedResponse(404, {
        contentType: 'text/plain',
        messageBody: 'Not Found',
      }),
    });

    this.vpcOrigin = new CloudFrontVpcOrigin(this, 'CloudFront', {
      loadBalancer,
      securityGroup,
      vpc: props.vpc,
      port,
      https: this.https,
      name: props.vpcOriginName,
      logsKey: props.logsKey,
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
    }).vpcOrigin;
    this.loadBalancer = loadBalancer;
    this.routes = {
      listener: this.listener,
      loadBalancer,
      routeConditions: this.routeConditions,
    };
  }
}
