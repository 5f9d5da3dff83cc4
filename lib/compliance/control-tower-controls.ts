import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import {
  IPolicyValidationContext,
  IPolicyValidationPlugin,
  PolicyValidationPluginReport,
} from 'aws-cdk-lib';
import * as fs from 'fs';
import * as path from 'path';

/**
 * The AWS Control Tower proactive controls as cfn-guard rules, shipped with
 * @cdklabs/cdk-validator-cfnguard 0.0.62 together with a static cfn-guard
 * 3.1.1 binary (bin/<os>/<arch>/cfn-guard, no install script, no network at
 * run time; checked on npm and on this machine, 2026-12-02).
 * See https://docs.aws.amazon.com/controltower/latest/controlreference/proactive-controls.html
 */
const RULES_DIRECTORY = path.join(
  path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json')),
  'rules',
  'control-tower',
  'cfn-guard',
);

/** Every `.guard` file below `directory`. */
function guardFiles(directory: string): string[] {
  return fs
    .readdirSync(directory, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? guardFiles(path.join(directory, entry.name))
        : entry.name.endsWith('.guard')
          ? [path.join(directory, entry.name)]
          : [],
    );
}

/**
 * The resource types a rule file reports on, from its specification header
 * (`# Reports on:` followed by one `#   AWS::Service::Type` per line); empty
 * when the header names none, so such a rule always runs.
 */
export function reportedResourceTypes(ruleText: string): string[] {
  const header = /^# Reports on:\n((?:#\s+AWS::[A-Za-z0-9]+::[A-Za-z0-9]+\s*\n)+)/m.exec(ruleText);
  return header ? [...header[1].matchAll(/AWS::[A-Za-z0-9]+::[A-Za-z0-9]+/g)].map((m) => m[0]) : [];
}

/** The resource types of the templates, read from disk. */
function resourceTypesOf(templatePaths: readonly string[]): Set<string> {
  return new Set(
    templatePaths.flatMap((templatePath) => {
      const template = JSON.parse(fs.readFileSync(templatePath, 'utf8')) as {
        Resources?: Record<string, { Type: string }>;
      };
      return Object.values(template.Resources ?? {}).map((resource) => resource.Type);
    }),
  );
}

/**
 * The Control Tower proactive controls as a CDK policy-validation plugin. It
 * hands cfn-guard only the controls that report on a resource type the
 * templates contain: cfn-guard 3.1.1 parses every template once per rule
 * file, and the 237 controls over this app's templates took over a minute,
 * where the few dozen that apply take seconds. The findings are the same (a
 * control with nothing to check passes). Findings are acknowledged with
 * `Validations.of(resource).acknowledge({ id: 'ControlTower::<rule name>', reason })`.
 */
export class ControlTowerControls implements IPolicyValidationPlugin {
  /** The plugin name, and so the namespace of its acknowledgements. */
  static readonly NAME = 'ControlTower';

  readonly name = ControlTowerControls.NAME;
  readonly version: string;
  private readonly rules: readonly { file: string; types: readonly string[] }[];

  constructor() {
    this.version = (
      JSON.parse(
        fs.readFileSync(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json'), 'utf8'),
      ) as { version: string }
    ).version;
    this.rules = guardFiles(RULES_DIRECTORY).map((file) => ({
      file,
      types: reportedResourceTypes(fs.readFileSync(file, 'utf8')),
    }));
  }

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const present = resourceTypesOf(context.templatePaths);
    const rules = this.rules
      .filter((rule) => rule.types.length === 0 || rule.types.some((type) => present.has(type)))
      .map((rule) => rule.file);
    if (rules.length === 0) {
      return { success: true, violations: [], pluginVersion: this.version };
    }
    const guard = new CfnGuardValidator({
      controlTowerRulesEnabled: false,
      rules,
      // cfn-guard's structured output lists every evaluated clause of a failing control.
      maxBuffer: 256 * 1024 * 1024,
    });
    const report = guard.validate(context);
    // The validator leaves `severity` unset. After taking the acknowledged
    // findings out, the framework counts only findings of severity "error" (or
    // "fatal") as failing, so an open Control Tower finding would let the synth
    // pass: every failed control is an error here.
    return {
      ...report,
      violations: report.violations.map((violation) => ({ ...violation, severity: 'error' })),
      pluginVersion: this.version,
    };
  }
}
