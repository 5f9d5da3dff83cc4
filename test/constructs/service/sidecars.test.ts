import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { EnvironmentConfig, validateEnvironments } from '../../../config';
import { XRAY_DAEMON_END_OF_SUPPORT_WARNING } from '../../../lib/constructs/service/sidecars/xray-daemon';
import { pinnedImage, PINS } from '../../../lib/pins';
import { addPlatform } from '../../../lib/platform-app';
import { changed, developmentConfig } from '../../helpers/config-builder';
import { containersOf } from '../../helpers/task-definitions';
import { newTestApp } from '../../helpers/test-app';

function servicesStackOf(tracing: EnvironmentConfig['application']['tracing']) {
  const [config] = validateEnvironments([
    changed(developmentConfig(), (d) => {
      d.application.tracing = tracing;
    }),
  ]) as EnvironmentConfig[];
  const [stage] = addPlatform(newTestApp(), [config]);
  return stage.services[0];
}

describe('task sidecars', () => {
  describe('the FireLens log router (AWS for Fluent Bit 3.x)', () => {
    const containers = containersOf(Template.fromStack(servicesStackOf('otel')), 'Web');
    const router = containers.find((c) => c.Name === 'log_router')!;

    test('runs the pinned 3.x image', () => {
      expect(router.Image).toBe(pinnedImage(PINS.fluentBitImage));
      expect(PINS.fluentBitImage.value).toMatch(/aws-for-fluent-bit:3\.\d+\.\d+$/);
    });

    test('is configured by options only: no config file, and no Match anywhere', () => {
      expect(router.FirelensConfiguration).toEqual({
        Type: 'fluentbit',
        Options: { 'enable-ecs-log-metadata': 'true' },
      });
      const app = containers.find((c) => c.Name === 'app')!;
      expect(app.LogConfiguration?.LogDriver).toBe('awsfirelens');
      expect(
        Object.keys(app.LogConfiguration?.Options ?? {}).map((o) => o.toLowerCase()),
      ).not.toContain('match');
    });

    test('sends its own logs to CloudWatch through awslogs, so a broken router stays visible', () => {
      expect(router.LogConfiguration).toEqual({
        LogDriver: 'awslogs',
        Options: expect.objectContaining({ 'awslogs-stream-prefix': 'log-router' }),
      });
    });
  });

  describe('tracing', () => {
    test('warns once per stack that the X-Ray daemon ends support on 2027-02-25 when chosen explicitly', () => {
      const warnings = Annotations.fromStack(servicesStackOf('xray-daemon')).findWarning(
        '*',
        Match.stringLikeRegexp('reach end of support on 2027-02-25'),
      );
      expect(warnings).toHaveLength(1);
      expect(warnings[0].entry.data).toContain(XRAY_DAEMON_END_OF_SUPPORT_WARNING);
    });

    test('prints no warning with the OpenTelemetry collector, the default', () => {
      Annotations.fromStack(servicesStackOf('otel')).hasNoWarning(
        '*',
        Match.stringLikeRegexp('X-Ray daemon'),
      );
    });
  });
});
