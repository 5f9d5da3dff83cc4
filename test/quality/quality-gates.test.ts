import { Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { addPipeline, addPlatform } from '../../lib/platform-app';
import { PlatformStage } from '../../lib/stages/platform-stage';
import { acknowledgementProblems } from '../helpers/acknowledgements';
import { changed, developmentConfig, peeredDatabase, validated } from '../helpers/config-builder';
import {
  newTestApp,
  shippedEnvironments,
  shippedPipeline,
  synthesized,
  synthesizedApp,
} from '../helpers/test-app';

interface ValidationReport {
  readonly pluginReports: readonly {
    readonly pluginName: string;
    readonly violations: readonly {
      readonly ruleName: string;
      readonly severity: string;
      readonly description: string;
    }[];
  }[];
}

/** A stage of a development environment changed by `change`, synthesized once (aspects run). */
function variantStage(change: (draft: any) => void): () => IConstruct {
  let stage: PlatformStage | undefined;
  return () => {
    if (!stage) {
      const app = newTestApp();
      [stage] = addPlatform(app, [validated(changed(developmentConfig('variant'), change))]);
      app.synth();
    }
    return stage;
  };
}

describe('quality gates', () => {
  // Every environment's stage, settings the shipped ones leave off, and the GitHub OIDC stacks.
  const scopes: [string, () => IConstruct][] = [
    ...shippedEnvironments.map((config): [string, () => IConstruct] => [
      `environment ${config.name}`,
      () => synthesized(config.name).stage,
    ]),
    [
      'an environment with operator access to its database',
      variantStage((d) => (d.database.operatorAccess = true)),
    ],
    [
      'an environment with the Datadog agent, whose key is an existing secret with its own KMS key',
      variantStage((d) => {
        d.secrets['datadog/api-key'] = {
          description: 'Datadog API key',
          secretArn: 'arn:aws:secretsmanager:ap-northeast-1:111111111111:secret:datadog-AbCdEf',
          kmsKeyArn:
            'arn:aws:kms:ap-northeast-1:111111111111:key/00000000-0000-4000-8000-000000000000',
        };
        d.application.datadog = { site: 'datadoghq.com', apiKeySecret: 'datadog/api-key' };
      }),
    ],
    [
      'an environment with a peered database and operator access',
      variantStage((d) => (d.database = { ...peeredDatabase(), operatorAccess: true })),
    ],
    ...synthesizedApp().pipelineStacks.map((stack): [string, () => IConstruct] => [
      `GitHub OIDC stack ${stack.stackName}`,
      () => stack,
    ]),
  ];

  describe.each(scopes)('%s', (_name, scopeOf) => {
    test('has no unacknowledged cdk-nag AwsSolutions finding (errors or warnings)', () => {
      const scope = scopeOf();
      const report = new AwsSolutionsChecks(scope).validateScope(scope);
      expect(
        report.violations.map(
          (v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath)}`,
        ),
      ).toEqual([]);
    });

    test('acknowledges findings only on single resources, each with a reason', () => {
      expect(acknowledgementProblems(scopeOf())).toEqual([]);
    });
  });

  describe('cdk synth of every environment, as the CLI runs it', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-synth-'));
    afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

    test('passes cdk-nag and the bundled CloudFormation validator with no finding of any severity', () => {
      // The validator and bundling are on here (off in the other tests for speed), and the
      // feature flag @aws-cdk/core:validateAgainstDefaultRules makes its errors fail synth.
      const app = newTestApp({
        outdir,
        builtinCloudFormationValidation: true,
        // Bundles the Lambdas with esbuild, as `cdk synth` does (off in the other tests).
        context: { 'aws:cdk:bundling-stacks': ['**'] },
      });
      addPlatform(app, shippedEnvironments);
      addPipeline(app, shippedEnvironments, shippedPipeline);
      app.synth();

      const reportFile = path.join(outdir, 'validation-report.json');
      const report: ValidationReport = fs.existsSync(reportFile)
        ? JSON.parse(fs.readFileSync(reportFile, 'utf8'))
        : { pluginReports: [] };
      const findings = report.pluginReports.flatMap((plugin) =>
        plugin.violations.map(
          (v) => `${plugin.pluginName} ${v.severity} ${v.ruleName}: ${v.description}`,
        ),
      );
      expect(findings).toEqual([]);
      const assemblies = fs.readdirSync(outdir).filter((entry) => entry.startsWith('assembly-'));
      expect(assemblies.sort()).toEqual(
        shippedEnvironments.map((env) => `assembly-${PlatformStage.idOf(env.name)}`).sort(),
      );
    });
  });

  describe('a synth started by the CDK CLI', () => {
    test('fails when cdk-nag finds an error, although the CLI asks the app not to fail', () => {
      // What `cdk synth` (CLI 2.1148) passes; the CLI then exits 0 on findings.
      const app = newTestApp({ context: { '@aws-cdk/core:failSynthOnValidationErrors': false } });
      Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
      const stack = new Stack(app, 'Fixture');
      const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, subnetConfiguration: [] });
      new ec2.SecurityGroup(stack, 'Open', { vpc }).addIngressRule(
        ec2.Peer.anyIpv4(),
        ec2.Port.tcp(22),
      );
      expect(() => app.synth()).toThrow(/AwsSolutions-EC23/);
    });
  });

  describe('the acknowledgement guard', () => {
    test('fails when a finding is acknowledged on a whole stack or without a reason', () => {
      const stack = new Stack(newTestApp(), 'Fixture');
      const topic = new sns.Topic(stack, 'Topic');
      Validations.of(stack).acknowledge({
        id: 'AwsSolutions-SNS3',
        reason: 'Too broad, but well explained here.',
      });
      Validations.of(topic).acknowledge({ id: 'AwsSolutions-SNS2', reason: 'ok' });
      expect(acknowledgementProblems(stack)).toEqual([
        'Fixture: Annotation::AwsSolutions-SNS3 is acknowledged on a whole app, stage or stack',
        'Fixture: Annotation::AwsSolutions-SNS3 has no convincing reason: "Too broad, but well explained here."',
        'Fixture/Topic: Annotation::AwsSolutions-SNS2 has no convincing reason: "ok"',
      ]);
    });
  });
});
