import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { SecurityBaselineConfig } from '../../config';
import { AuditTrail } from '../constructs/security/audit-trail';
import { ConfigRecorder } from '../constructs/security/config-recorder';
import { CostBudget } from '../constructs/security/cost-budget';
import { GuardDutyDetector } from '../constructs/security/guardduty-detector';
import { GuardDutyFindingsRule } from '../constructs/security/guardduty-findings-rule';
import { Macie } from '../constructs/security/macie';
import { MacieFindingsRule } from '../constructs/security/macie-findings-rule';
import { SecurityHub } from '../constructs/security/security-hub';
import { PlatformStack, PlatformStackProps } from './platform-stack';

/** Properties of {@link SecurityBaselineStack}. */
export interface SecurityBaselineStackProps extends PlatformStackProps {
  /** The environment's notifications topic: findings and budget alerts go there. */
  readonly notificationsTopic: sns.ITopic;
}

/**
 * The account+region's security baseline, deployed only by the environment
 * whose config owns it (`ownsSecurityBaseline`; validation allows one owner
 * per account and region because GuardDuty allows one detector there).
 *
 * Mode `create` builds GuardDuty, Security Hub, CloudTrail, AWS Config and
 * Macie; mode `adopt` leaves them to the organisation. Both modes forward
 * GuardDuty and Macie findings and budget alerts to the notifications topic,
 * which reaches the environment's e-mail addresses and Slack channel
 * (`operations.notifications`).
 */
export class SecurityBaselineStack extends PlatformStack {
  /** The detector, in mode `create`. */
  readonly detector?: GuardDutyDetector;
  /** Security Hub, in mode `create`. */
  readonly securityHub?: SecurityHub;
  /** The trail, in mode `create`. */
  readonly auditTrail?: AuditTrail;
  /** The AWS Config recorder, in mode `create`. */
  readonly configRecorder?: ConfigRecorder;
  /** Macie with automated sensitive data discovery, in mode `create`. */
  readonly macie?: Macie;
  /** GuardDuty findings to the notifications topic. */
  readonly findingsRule: GuardDutyFindingsRule;
  /** Macie findings to the notifications topic. */
  readonly macieFindingsRule: MacieFindingsRule;
  /** The monthly cost budget. */
  readonly budget: CostBudget;

  constructor(scope: Construct, id: string, props: SecurityBaselineStackProps) {
    super(scope, id, props);
    const { config, notificationsTopic } = props;
    const baseline: SecurityBaselineConfig | undefined = config.securityBaseline;
    if (!config.ownsSecurityBaseline || !baseline) {
      throw new Error(
        `SecurityBaselineStack ${id}: config ${config.name} does not own the security baseline (ownsSecurityBaseline with securityBaseline settings)`,
      );
    }

    if (baseline.mode === 'create') {
      this.detector = new GuardDutyDetector(this, 'GuardDuty', {
        findingPublishingFrequency: baseline.findingPublishingFrequency,
      });
      this.securityHub = new SecurityHub(this, 'SecurityHub');
      this.auditTrail = new AuditTrail(this, 'CloudTrail', {
        trailName: `${config.name}-audit`,
        retention: baseline.cloudTrail,
      });
      this.configRecorder = new ConfigRecorder(this, 'AwsConfig', {
        settings: baseline.awsConfig,
      });
      this.macie = new Macie(this, 'Macie', {
        findingPublishingFrequency: baseline.findingPublishingFrequency,
        logRetention: baseline.cloudTrail.logRetentionDays,
      });
    }
    this.findingsRule = new GuardDutyFindingsRule(this, 'GuardDutyFindings', {
      minimumSeverity: baseline.minimumFindingSeverity,
      topic: notificationsTopic,
    });
    this.macieFindingsRule = new MacieFindingsRule(this, 'MacieFindings', {
      minimumSeverity: baseline.minimumFindingSeverity,
      topic: notificationsTopic,
    });
    this.budget = new CostBudget(this, 'Budget', {
      budget: baseline.budget,
      topic: notificationsTopic,
    });
  }
}
