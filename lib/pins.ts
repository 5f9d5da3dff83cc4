import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as recordedDigests from './image-digests.json';

/**
 * The register of external pins: every image tag, TLS policy, engine version,
 * runtime and AWS service this platform depends on, with the public source that
 * showed it current, the day it was checked and the day it must be looked at
 * again. Code reads its values from here; `npm run check:currency` lists the
 * pins whose review date has come, and a test checks that every image, TLS
 * policy, engine version and runtime in the synthesized templates is here.
 *
 * To bump a pin: verify the new value at its source, then change `value`,
 * `source`, `checked` and `reviewBy` together in one reviewed pull request.
 */
export interface Pin {
  /** The pinned value, exactly as the templates carry it. */
  readonly value: string;
  /** What the value is. */
  readonly kind: PinKind;
  /** The public page that showed the value current on `checked`. */
  readonly source: string;
  /** The day the value was verified at its source (YYYY-MM-DD). */
  readonly checked: string;
  /**
   * The day the pin must be reviewed by (YYYY-MM-DD): its end of support when
   * one is published, otherwise a review date chosen for its release cadence.
   */
  readonly reviewBy: string;
  /** Why `reviewBy` is that day. */
  readonly reviewReason: string;
  /**
   * The pin serves only the App Mesh reference design, which synth refuses to
   * produce without `-c appMeshReference=true`: it is reported, never due.
   * @default false
   */
  readonly referenceDesignOnly?: boolean;
}

/** The kinds of external pin. */
export type PinKind =
  'container image' | 'TLS policy' | 'engine version' | 'Lambda runtime' | 'AWS service';

/** Checked on this day, against the sources below. */
const CHECKED = '2026-12-01';
/** Images without a published end of support are reviewed each quarter. */
const QUARTERLY = '2027-03-01';
/** Policies and services without a published end are reviewed each year. */
const YEARLY = '2027-12-01';

/** The Aurora PostgreSQL engine: 17.9, the newest 17 minor in aws-cdk-lib 2.276. */
export const AURORA_POSTGRES_VERSION = rds.AuroraPostgresEngineVersion.VER_17_9;

/** The Node.js runtime of the trigger Lambdas. */
export const LAMBDA_NODE_RUNTIME = lambda.Runtime.NODEJS_24_X;

export const PINS = {
  /**
   * AWS for Fluent Bit 3.x (Amazon Linux 2023). The 2.x line (Amazon Linux 2)
   * reached end of life on 2026-06-30; the maintainers point to 3.x, supported
   * through 2028 (README, quoted in aws/aws-for-fluent-bit#1181).
   */
  fluentBitImage: {
    value: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:3.5.10',
    kind: 'container image',
    source: 'https://github.com/aws/aws-for-fluent-bit/releases/tag/v3.5.10 (released 2026-11-21)',
    checked: CHECKED,
    reviewBy: QUARTERLY,
    reviewReason: 'review: 3.x images are rebuilt for Amazon Linux 2023 fixes every few weeks',
  },
  /**
   * The AWS Distro for OpenTelemetry collector: its awsxray receiver takes the
   * X-Ray daemon's place on UDP 2000, so apps keep their X-Ray SDK. AWS lists
   * the CloudWatch agent or an OpenTelemetry collector as the daemon's
   * successors; ADOT is the one documented as an ECS sidecar.
   * See https://docs.aws.amazon.com/xray/latest/devguide/xray-sdk-migration.html
   */
  otelCollectorImage: {
    value: 'public.ecr.aws/aws-observability/aws-otel-collector:v0.50.0',
    kind: 'container image',
    source:
      'https://github.com/aws-observability/aws-otel-collector/releases/tag/v0.50.0 (released 2026-08-31)',
    checked: CHECKED,
    reviewBy: QUARTERLY,
    reviewReason: 'review: a minor release every few months',
  },
  /** The X-Ray daemon: in maintenance since 2026-02-25, end of support 2027-02-25. */
  xrayDaemonImage: {
    value: 'public.ecr.aws/xray/aws-xray-daemon:3.6.6',
    kind: 'container image',
    source:
      'https://github.com/aws/aws-xray-daemon/blob/master/CHANGELOG.md (3.6.6, 2026-07-14); ' +
      'https://docs.aws.amazon.com/xray/latest/devguide/xray-daemon-eos.html',
    checked: CHECKED,
    reviewBy: '2027-02-25',
    reviewReason: 'end of support of the X-Ray daemon and SDKs',
  },
  /** The Datadog agent (7.x), the version Datadog's Helm chart defaults to. */
  datadogAgentImage: {
    value: 'public.ecr.aws/datadog/agent:7.84.6',
    kind: 'container image',
    source:
      'https://github.com/DataDog/helm-charts/releases/tag/datadog-3.261.1 (default agent 7.84.6, 2026-10-26)',
    checked: CHECKED,
    reviewBy: QUARTERLY,
    reviewReason: 'review: Datadog recommends every minor release (about every six weeks)',
  },
  /**
   * The operators' database shell task (it only idles: ECS Exec's agent does
   * the port forwarding): Alpine 3.24.1, an official Docker image mirrored on
   * ECR Public.
   */
  databaseShellImage: {
    value: 'public.ecr.aws/docker/library/alpine:3.24.1',
    kind: 'container image',
    source:
      'https://github.com/docker-library/official-images/blob/master/library/alpine (3.24.1 at 37079fb, 2026-08-21)',
    checked: CHECKED,
    reviewBy: QUARTERLY,
    reviewReason: 'review: Alpine patch releases ship every few weeks',
  },
  /** Envoy for App Mesh: moot since App Mesh's end of support. */
  envoyImage: {
    value: 'public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.12.1-prod',
    kind: 'container image',
    source: 'https://docs.aws.amazon.com/app-mesh/latest/userguide/envoy.html',
    checked: CHECKED,
    reviewBy: '2026-09-30',
    reviewReason: 'end of support of AWS App Mesh',
    referenceDesignOnly: true,
  },
  /**
   * The load balancer's TLS policy: TLS 1.3 and 1.2 with hybrid post-quantum
   * key exchange, which AWS recommends and the console defaults to.
   */
  loadBalancerTlsPolicy: {
    value: elbv2.SslPolicy.TLS13_12_RES_PQ,
    kind: 'TLS policy',
    source:
      'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html',
    checked: CHECKED,
    reviewBy: YEARLY,
    reviewReason: 'review: AWS publishes new security policies about yearly',
  },
  /** CloudFront's viewer policy: TLS 1.2 and 1.3 with AEAD ciphers only. */
  cloudFrontViewerTlsPolicy: {
    value: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2025,
    kind: 'TLS policy',
    source:
      'https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/secure-connections-supported-viewer-protocols-ciphers.html',
    checked: CHECKED,
    reviewBy: YEARLY,
    reviewReason: 'review: TLSv1.3_2025 once every viewer (mobile clients included) speaks TLS 1.3',
  },
  /** CloudFront to the load balancer: TLS 1.2, the highest origin protocol CloudFront offers. */
  cloudFrontOriginTlsProtocol: {
    value: cloudfront.OriginSslPolicy.TLS_V1_2,
    kind: 'TLS policy',
    source:
      'https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_OriginSslProtocols.html',
    checked: CHECKED,
    reviewBy: YEARLY,
    reviewReason: 'review: valid values are SSLv3, TLSv1, TLSv1.1 and TLSv1.2',
  },
  /**
   * Aurora PostgreSQL. Automatic minor upgrades are off, so the cluster runs
   * exactly this version until a reviewed change raises it (see AuroraDatabase).
   * Standard and extended support end dates of the major version:
   * `aws rds describe-db-major-engine-versions --engine aurora-postgresql`.
   */
  auroraPostgresEngine: {
    value: AURORA_POSTGRES_VERSION.auroraPostgresFullVersion,
    kind: 'engine version',
    source:
      'aws-cdk-lib 2.276.0 AuroraPostgresEngineVersion (17.9, 18.3, 18.4, 18.6); ' +
      'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.VersionPolicy.html',
    checked: CHECKED,
    reviewBy: '2027-06-01',
    reviewReason:
      'review: Aurora keeps a minor version available about 12 months; 18.x is a planned major upgrade',
  },
  /** Node.js 24 for Lambda: deprecated on 2028-04-30. */
  lambdaNodeRuntime: {
    value: LAMBDA_NODE_RUNTIME.name,
    kind: 'Lambda runtime',
    source: 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html',
    checked: CHECKED,
    reviewBy: '2028-04-30',
    reviewReason: 'deprecation of the Node.js 24 runtime (creates blocked from 2028-06-01)',
  },
  /**
   * Security Hub CSPM (`AWS::SecurityHub::Hub`), which runs the FSBP controls.
   * The new unified Security Hub (`AWS::SecurityHub::HubV2`) is a separate
   * service that can run next to it; enabling it is an organisation-level choice.
   */
  securityHubCspm: {
    value: 'AWS::SecurityHub::Hub',
    kind: 'AWS service',
    source:
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-securityhub-hub.html',
    checked: CHECKED,
    reviewBy: YEARLY,
    reviewReason: 'review: Security Hub CSPM next to the unified Security Hub (HubV2)',
  },
  /** The AWS Foundational Security Best Practices standard, version 1.0.0. */
  foundationalBestPracticesStandard: {
    value: 'aws-foundational-security-best-practices/v/1.0.0',
    kind: 'AWS service',
    source: 'https://docs.aws.amazon.com/securityhub/latest/userguide/fsbp-standard.html',
    checked: CHECKED,
    reviewBy: YEARLY,
    reviewReason: 'review: the only version of the standard',
  },
  /**
   * AWS App Mesh: after 2026-09-30 its console and resources can no longer be
   * accessed. Kept as the reference of the original design only.
   */
  appMesh: {
    value: 'AWS::AppMesh',
    kind: 'AWS service',
    source:
      'https://docs.aws.amazon.com/app-mesh/latest/userguide/what-is-app-mesh.html (end of support notice)',
    checked: CHECKED,
    reviewBy: '2026-09-30',
    reviewReason: 'end of support of AWS App Mesh',
    referenceDesignOnly: true,
  },
} as const satisfies Record<string, Pin>;

/** A pin's name in {@link PINS}. */
export type PinName = keyof typeof PINS;

/**
 * The digests of the container images of {@link PINS}, by image (`<image>:<tag>`),
 * as `npm run pins:digests -- --write` records them from the registry. A tag
 * bump has no digest until it is recorded again, and the weekly currency
 * workflow reports every image without one, or whose tag the registry now
 * serves with another digest.
 */
export const IMAGE_DIGESTS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(recordedDigests as Record<string, unknown>).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string',
  ),
);

/**
 * The image a task definition runs for a container-image pin: `<image>:<tag>@<digest>`
 * when its digest is recorded (the tag for people, the digest for the
 * registry: a moved tag cannot change what runs), the tagged image otherwise.
 */
export function pinnedImage(pin: Pin): string {
  const digest = IMAGE_DIGESTS[pin.value];
  return digest ? `${pin.value}@${digest}` : pin.value;
}
