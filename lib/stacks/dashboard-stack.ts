import { Construct } from 'constructs';
import { Monitoring } from '../constructs/operations/monitoring';
import { PlatformDashboard } from '../constructs/operations/platform-dashboard';
import { runbookIndexUrl } from '../constructs/operations/runbooks';
import { PlatformStack, PlatformStackProps } from './platform-stack';

/** Properties of {@link DashboardStack}. */
export interface DashboardStackProps extends PlatformStackProps {
  /** The environment's monitoring: the dashboard shows every alarm registered with it. */
  readonly monitoring: Monitoring;
}

/**
 * The environment's dashboard, `<env>-platform`, deployed after every stack
 * whose resources it graphs (it reads their names through weak references;
 * the operations stack, deployed first, cannot refer to them).
 */
export class DashboardStack extends PlatformStack {
  /** The dashboard. */
  readonly dashboard: PlatformDashboard;

  constructor(scope: Construct, id: string, props: DashboardStackProps) {
    super(scope, id, props);
    const { config, monitoring } = props;
    this.dashboard = new PlatformDashboard(this, 'Dashboard', {
      dashboardName: `${config.name}-platform`,
      monitoring,
      introduction: [
        `# ${config.name} platform`,
        `Every alarm below notifies the environment's topic (e-mail, Slack) on ALARM and OK; each names its runbook ([index](${runbookIndexUrl(config.operations.runbookBaseUrl)})).`,
      ].join('\n'),
    });
  }
}
