import { App, AspectPriority, Aspects, Validations } from 'aws-cdk-lib';
import {
  AwsSolutionsChecks,
  NIST80053R5Checks,
  WriteNagSuppressionsToCloudFormationAspect,
} from 'cdk-nag';
import { IConstruct } from 'constructs';
import { ControlTowerControls } from './control-tower-controls';

/**
 * The published rule sets every synth is gated on (ARCHITECTURE.md decision
 * 9), by validation-plugin name: cdk-nag's AWS Solutions and NIST 800-53
 * rev 5 packs and the AWS Control Tower proactive controls. A finding is
 * fixed, or acknowledged on one resource with a reason.
 */
export const RULE_SETS = {
  AwsSolutions: 'AWS Solutions (cdk-nag)',
  'NIST.800.53.R5': 'NIST 800-53 rev 5 (cdk-nag)',
  [ControlTowerControls.NAME]: 'AWS Control Tower proactive controls (cfn-guard)',
} as const;

/** The plugin name of each rule set, as the validation report names it. */
export type RuleSetName = keyof typeof RULE_SETS;

/**
 * Registers the rule sets on `app`. The framework runs each plugin once per
 * synth over every stage's templates and writes one report
 * (validation-report.json in the cloud assembly), which the tests and
 * `npm run compliance` read instead of running the rules again.
 */
export function addRuleSets(app: App): void {
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app),
    new NIST80053R5Checks(app),
    new ControlTowerControls(),
  );
}

/**
 * Writes every acknowledgement below `scope` into its resource's template
 * metadata (`cdk_nag.rules_to_suppress`, with the reason), after every other
 * aspect has recorded its own: the cloud assembly then says what is
 * acknowledged and why, for `npm run compliance` and for a reviewer reading
 * the templates. Aspects of an App do not reach into its Stages, so each
 * stage and each stack outside a stage is given it.
 */
export function recordAcknowledgements(scope: IConstruct): void {
  Aspects.of(scope).add(new WriteNagSuppressionsToCloudFormationAspect(), {
    priority: AspectPriority.READONLY,
  });
}
