import * as guardduty from 'aws-cdk-lib/aws-guardduty';
import { Construct } from 'constructs';
import { FindingPublishingFrequency } from '../../../config';
import { acknowledgeFindings, controlTower } from '../../compliance/acknowledge';

/** Properties of {@link GuardDutyDetector}. */
export interface GuardDutyDetectorProps {
  /** How often updates of existing findings are exported to EventBridge. */
  readonly findingPublishingFrequency: FindingPublishingFrequency;
}

/**
 * The features the detector turns on, by their API names, and the ones it
 * turns off explicitly: a feature left out of the list is enabled by default
 * (except Runtime Monitoring), and the platform runs no EKS.
 * See https://docs.aws.amazon.com/guardduty/latest/APIReference/API_DetectorFeatureConfiguration.html
 */
export const GUARDDUTY_FEATURES: readonly guardduty.CfnDetector.CFNFeatureConfigurationProperty[] =
  [
    // S3 Protection: data-plane events on buckets.
    { name: 'S3_DATA_EVENTS', status: 'ENABLED' },
    // RDS Protection: suspicious logins to Aurora.
    { name: 'RDS_LOGIN_EVENTS', status: 'ENABLED' },
    // Runtime Monitoring of ECS Fargate tasks, with GuardDuty managing the sidecar agent.
    // https://docs.aws.amazon.com/guardduty/latest/ug/how-runtime-monitoring-works-ecs-fargate.html
    {
      name: 'RUNTIME_MONITORING',
      status: 'ENABLED',
      additionalConfiguration: [
        { name: 'ECS_FARGATE_AGENT_MANAGEMENT', status: 'ENABLED' },
        { name: 'EKS_ADDON_MANAGEMENT', status: 'DISABLED' },
        { name: 'EC2_AGENT_MANAGEMENT', status: 'DISABLED' },
      ],
    },
    // Malware Protection for EC2: scans EBS volumes of instances with suspicious findings.
    { name: 'EBS_MALWARE_PROTECTION', status: 'ENABLED' },
    // Lambda Protection: network activity of functions (trigger Lambdas).
    { name: 'LAMBDA_NETWORK_LOGS', status: 'ENABLED' },
    // No EKS cluster: EKS audit logs would be enabled by default if left out.
    { name: 'EKS_AUDIT_LOGS', status: 'DISABLED' },
  ];

/**
 * The account+region's GuardDuty detector. GuardDuty allows one per account
 * and region: only the environment that owns the baseline creates it.
 * See https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_settingup.html
 */
export class GuardDutyDetector extends Construct {
  /** The detector. */
  readonly detector: guardduty.CfnDetector;

  constructor(scope: Construct, id: string, props: GuardDutyDetectorProps) {
    super(scope, id);
    this.detector = new guardduty.CfnDetector(this, 'Detector', {
      enable: true,
      findingPublishingFrequency: props.findingPublishingFrequency,
      features: [...GUARDDUTY_FEATURES],
    });
    acknowledgeFindings(
      this.detector,
      [controlTower('guardduty_s3_protection_enabled_check')],
      'S3 protection is on as the S3_DATA_EVENTS feature; the control reads the DataSources property, which GuardDuty deprecated for Features and which may not be set together with it (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-guardduty-detector.html).',
    );
  }
}
