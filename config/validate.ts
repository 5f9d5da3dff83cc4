import { z } from 'zod';
import { blocksOverlap, parseIpv4Cidr } from './cidr';
import { EnvironmentConfig, environmentConfigSchema } from './schema';

/**
 * Thrown when the configuration is invalid. The message lists every problem,
 * one per line, as `<env>.<setting path>: <bad value> <what is allowed>`.
 */
export class ConfigValidationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `Invalid environment configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
    this.name = 'ConfigValidationError';
  }
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object') {
      return undefined;
    }
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/** `a string`, `an object`. */
const withArticle = (noun: string) => `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`;

/** Turns zod's built-in issues into "what is allowed" sentences. */
export function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? `is required (${withArticle(issue.expected)})`
        : `is not ${withArticle(issue.expected)}`;
    case 'invalid_value':
      return `${issue.input === undefined ? 'is required' : 'is not allowed'}; allowed: ${issue.values.map((v) => show(v)).join(', ')}`;
    case 'too_small':
      return `is too short; at least ${String(issue.minimum)}`;
    case 'too_big':
      return `is too long; at most ${String(issue.maximum)}`;
    case 'invalid_union': {
      // A discriminated union (e.g. database.mode) names the discriminator's allowed values.
      const options = (issue as { options?: readonly unknown[] }).options;
      return options
        ? `is not allowed; allowed: ${options.map((v) => show(v)).join(', ')}`
        : undefined;
    }
    default:
      return undefined;
  }
}

function label(envLabel: string, path: readonly PropertyKey[]): string {
  return [envLabel, ...path.map(String)].join('.');
}

export function problemsOf(
  raw: unknown,
  envLabel: string,
  error: z.ZodError,
  documentedIn = 'config/schema.ts',
): string[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map(
        (key) =>
          `${label(envLabel, [...issue.path, key])}: is not a known setting (check the spelling in ${documentedIn})`,
      );
    }
    const value = valueAt(raw, issue.path);
    const where = label(envLabel, issue.path);
    return value === undefined
      ? `${where}: ${issue.message}`
      : `${where}: ${show(value)} ${issue.message}`;
  });
}

function envLabelOf(raw: unknown, index: number): string {
  const name = valueAt(raw, ['name']);
  return typeof name === 'string' && name.length > 0 ? name : `environments[${index}]`;
}

/** Rules that only make sense across all environments. */
function crossEnvironmentProblems(envs: readonly EnvironmentConfig[]): string[] {
  const problems: string[] = [];
  const byName = new Map<string, number>();
  envs.forEach((env) => byName.set(env.name, (byName.get(env.name) ?? 0) + 1));
  for (const [name, count] of byName) {
    if (count > 1) {
      problems.push(
        `${name}.name: "${name}" is used by ${count} environments; names must be unique`,
      );
    }
  }

  // GuardDuty allows one detector per account and region: a second owner fails its deployment.
  // An environment without an account deploys to the CLI's account, treated here as one account.
  const owners = new Map<string, string>();
  for (const env of envs.filter((e) => e.ownsSecurityBaseline)) {
    const key = `${env.account ?? '(CLI account)'}/${env.region ?? '(CLI region)'}`;
    const other = owners.get(key);
    if (other) {
      problems.push(
        `${env.name}.ownsSecurityBaseline: true conflicts with ${other}, which already owns the baseline of ${key}; ` +
          'allowed: one owner per account and region (GuardDuty allows one detector there)',
      );
    } else {
      owners.set(key, env.name);
    }
  }

  // Global resource types (IAM) are the same in every region: one recorder per account records them.
  // A second owner in the same region is already reported above.
  const globalRecorders = new Map<string, EnvironmentConfig>();
  for (const env of envs) {
    const baseline = env.ownsSecurityBaseline ? env.securityBaseline : undefined;
    if (baseline?.mode !== 'create' || !baseline.awsConfig.recordGlobalResourceTypes) {
      continue;
    }
    const account = env.account ?? '(CLI account)';
    const other = globalRecorders.get(account);
    if (other && other.region !== env.region) {
      problems.push(
        `${env.name}.securityBaseline.awsConfig.recordGlobalResourceTypes: true conflicts with ${other.name}, which already records ` +
          `the global resource types of account ${account}; allowed: true in one region of an account, false elsewhere`,
      );
    } else if (!other) {
      globalRecorders.set(account, env);
    }
  }

  // Distinct VPC ranges keep peering (database VPC, shared services) possible between environments.
  envs.forEach((env, i) => {
    const block = parseIpv4Cidr(env.network.vpcCidr);
    envs.slice(0, i).forEach((other) => {
      const otherBlock = parseIpv4Cidr(other.network.vpcCidr);
      if (block && otherBlock && blocksOverlap(block, otherBlock)) {
        problems.push(
          `${env.name}.network.vpcCidr: "${env.network.vpcCidr}" overlaps ${other.name}.network.vpcCidr ` +
            `"${other.network.vpcCidr}"; allowed: a range no other environment uses`,
        );
      }
    });
  });
  return problems;
}

/**
 * Validates every environment and the rules between them. Throws one
 * {@link ConfigValidationError} listing every problem found.
 */
export function validateEnvironments(raws: readonly unknown[]): EnvironmentConfig[] {
  const problems: string[] = [];
  const valid: EnvironmentConfig[] = [];
  raws.forEach((raw, index) => {
    const result = environmentConfigSchema.safeParse(raw, { error: describeIssue });
    if (result.success) {
      valid.push(result.data);
    } else {
      problems.push(...problemsOf(raw, envLabelOf(raw, index), result.error));
    }
  });
  problems.push(...crossEnvironmentProblems(valid));
  if (problems.length > 0) {
    throw new ConfigValidationError(problems);
  }
  return valid;
}
