import { Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { addPipeline, addPlatform } from '../../lib/platform-app';
import { PlatformStage } from '../../lib/stages/platform-stage';
import { ControlTowerControls } from '../../lib/compliance/control-tower-controls';
import { acknowledgeFindings, controlTower } from '../../lib/compliance/acknowledge';
import { RULE_SETS, RuleSetName } from '../../lib/compliance/rule-sets';
import { acknowledgementProblems } from '../helpers/acknowledgements';
import { GatedSynth, gatedSynth } from '../helpers/compliance';
import {
  addNetworkFirewall,
  changed,
  developmentConfig,
  peeredDatabase,
  validated,
} from '../helpers/config-builder';
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

/** The rule sets' findings of a scope: the stage's (`Dev`), or the stacks outside any stage (`''`). */
function findingsOf(synth: () => GatedSynth, stage: string, ruleSet: RuleSetName): string[] {
  const { findings, error } = synth();
  const open = findings.open
    .filter((f) => f.stage === stage && f.ruleSet === ruleSet)
    .map((f) => `${f.rule}: ${f.path}`);
  // A failed synth with no open finding of any rule set failed for another reason: show it.
  return findings.open.length === 0 && error ? [error] : open;
}

/** Settings the shipped environments leave off, each in an environment of its own. */
const VARIANTS: [string, (draft: any) => void][] = [
  ['operator-access', (d) => (d.database.operatorAccess = true)],
  [
    'datadog',
    (d) => {
      d.secrets['datadog/api-key'] = {
        description: 'Datadog API key',
        secretArn: 'arn:aws:secretsmanager:ap-northeast-1:111111111111:secret:datadog-AbCdEf',
        kmsKeyArn:
          'arn:aws:kms:ap-northeast-1:111111111111:key/00000000-0000-4000-8000-000000000000',
      };
      d.application.datadog = { site: 'datadoghq.com', apiKeySecret: 'datadog/api-key' };
    },
  ],
  ['peered', (d) => (d.database = { ...peeredDatabase(), operatorAccess: true })],
  ['network-firewall', addNetworkFirewall],
];

describe('quality gates', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-synth-'));
  const variantsOutdir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-variants-'));
  afterAll(() => {
    fs.rmSync(outdir, { recursive: true, force: true });
    fs.rmSync(variantsOutdir, { recursive: true, force: true });
  });
  const ruleSets = Object.keys(RULE_SETS) as RuleSetName[];

  // Every environment as `cdk synth` builds it: the bundled CloudFormation validator and
  // esbuild bundling on (off in the other tests), every rule set run once over all stages.
  let shipped: GatedSynth | undefined;
  const shippedSynth = () =>
    (shipped ??= gatedSynth(
      outdir,
      (app) => {
        addPlatform(app, shippedEnvironments);
        addPipeline(app, shippedEnvironments, shippedPipeline);
      },
      { builtinCloudFormationValidation: true, context: { 'aws:cdk:bundling-stacks': ['**'] } },
    ));
  let variants: GatedSynth | undefined;
  const variantSynth = () =>
    (variants ??= gatedSynth(variantsOutdir, (app) => {
      addPlatform(
        app,
        VARIANTS.map(([name, change]) => validated(changed(developmentConfig(name), change))),
      );
    }));

  const scopes: [string, () => GatedSynth, string][] = [
    ...shippedEnvironments.map((config): [string, () => GatedSynth, string] => [
      `environment ${config.name}`,
      shippedSynth,
      PlatformStage.idOf(config.name),
    ]),
    ['the GitHub OIDC stacks', shippedSynth, ''],
    ...VARIANTS.map(([name]): [string, () => GatedSynth, string] => [
      `an environment with the setting ${name}`,
      variantSynth,
      PlatformStage.idOf(name),
    ]),
  ];

  describe.each(scopes)('%s', (_name, synth, stage) => {
    test.each(ruleSets)('has no unacknowledged %s finding (errors or warnings)', (ruleSet) => {
      expect(findingsOf(synth, stage, ruleSet)).toEqual([]);
    });
  });

  describe.each([
    ...shippedEnvironments.map((config): [string, () => IConstruct] => [
      `environment ${config.name}`,
      () => synthesized(config.name).stage,
    ]),
    ...synthesizedApp().pipelineStacks.map((stack): [string, () => IConstruct] => [
      `GitHub OIDC stack ${stack.stackName}`,
      () => stack,
    ]),
  ])('%s', (_name, scopeOf) => {
    test('acknowledges findings only on single resources, each with a reason', () => {
      expect(acknowledgementProblems(scopeOf())).toEqual([]);
    });
  });

  describe('cdk synth of every environment, as the CLI runs it', () => {
    test('passes the rule sets and the bundled CloudFormation validator with no finding of any severity', () => {
      const { error } = shippedSynth();
      expect(error).toBeUndefined();
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

    test('records every acknowledgement, with its reason, in the templates', () => {
      const { findings } = shippedSynth();
      for (const ruleSet of ruleSets) {
        expect(findings.acknowledged.filter((f) => f.ruleSet === ruleSet).length).toBeGreaterThan(
          0,
        );
      }
      expect(findings.acknowledged.filter((f) => (f.reason ?? '').trim().length < 40)).toEqual([]);
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

  describe('a synth with the rule sets on', () => {
    const bucketApp = (acknowledge: boolean) => {
      const app = newTestApp({}, { ruleSets: true });
      const bucket = new s3.Bucket(new Stack(app, 'Fixture'), 'Bucket', { enforceSSL: true });
      if (acknowledge) {
        acknowledgeFindings(
          bucket,
          [controlTower('s3_bucket_versioning_enabled_check')],
          'A fixture: the acknowledgement reaches the Control Tower report.',
        );
      }
      return app;
    };

    test('fails when the NIST 800-53 rev 5 pack or a Control Tower control finds an error', () => {
      expect(() => bucketApp(false).synth()).toThrow(
        /NIST\.800\.53\.R5-S3BucketVersioningEnabled[\s\S]*s3_bucket_versioning_enabled_check|s3_bucket_versioning_enabled_check[\s\S]*NIST\.800\.53\.R5-S3BucketVersioningEnabled/,
      );
    });

    test('fails when a Control Tower control is acknowledged but a NIST finding is not', () => {
      let message = '';
      try {
        bucketApp(true).synth();
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/NIST\.800\.53\.R5-S3BucketVersioningEnabled/);
      expect(message).not.toMatch(
        /s3_bucket_versioning_enabled_check[^\n]*\n[^\n]*Fixture\/Bucket/,
      );
    });
  });

  describe('a synth with the Control Tower controls alone', () => {
    test('fails when a control finds an error next to an acknowledged finding of the same control', () => {
      // Taking an acknowledged finding out makes the framework re-judge the report by the
      // severity of what is left, which cfn-guard's validator does not set.
      const app = newTestApp({}, { ruleSets: false });
      Validations.of(app).addPlugins(new ControlTowerControls());
      const stack = new Stack(app, 'Fixture');
      const acknowledged = new s3.Bucket(stack, 'Acknowledged', { enforceSSL: true });
      acknowledgeFindings(
        acknowledged,
        [controlTower('s3_bucket_versioning_enabled_check')],
        'A fixture: this one finding is acknowledged, the other bucket is not.',
      );
      new s3.Bucket(stack, 'Open', { enforceSSL: true });
      expect(() => app.synth()).toThrow(/s3_bucket_versioning_enabled_check[\s\S]*Fixture\/Open/);
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
