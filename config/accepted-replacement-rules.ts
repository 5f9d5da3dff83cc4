import { z } from 'zod';
import { pascalCase } from '../lib/naming';
import { AcceptedReplacement, acceptedReplacementSchema } from './accepted-replacement-schema';
import { acceptedReplacements } from './accepted-replacements';
import { list } from './rules';
import { EnvironmentConfig } from './schema';
import { ConfigValidationError, describeIssue, problemsOf } from './validate';

const LABEL = 'acceptedReplacements';

/** `YYYY-MM-DD` of `date` in UTC. */
export const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/**
 * Validates `config/accepted-replacements.ts` against the environments: each
 * entry names a configured environment, a path of that environment's stage,
 * and a day that has not passed (`today`, in UTC); no entry twice. Throws one
 * {@link ConfigValidationError} listing every problem.
 */
export function loadAcceptedReplacements(
  environments: readonly EnvironmentConfig[],
  entries: unknown = acceptedReplacements,
  today: Date = new Date(),
): readonly AcceptedReplacement[] {
  const parsed = z.array(acceptedReplacementSchema).safeParse(entries, { error: describeIssue });
  if (!parsed.success) {
    throw new ConfigValidationError(
      problemsOf(entries, LABEL, parsed.error, 'config/accepted-replacement-schema.ts'),
    );
  }
  const names = environments.map((env) => env.name);
  const day = isoDay(today);
  const seen = new Set<string>();
  const problems = parsed.data.flatMap((entry, index) => {
    const at = `${LABEL}.${index}`;
    const found: string[] = [];
    if (!names.includes(entry.environment)) {
      found.push(
        `${at}.environment: ${JSON.stringify(entry.environment)} is not a configured environment; allowed: ${list(names)}`,
      );
    } else {
      const stage = pascalCase(entry.environment);
      if (!entry.path.startsWith(`${stage}/`)) {
        found.push(
          `${at}.path: ${JSON.stringify(entry.path)} is not a path of environment ${entry.environment}; ` +
            `allowed: a path of its stage, "${stage}/<Stack>/..."`,
        );
      }
    }
    if (entry.until < day) {
      found.push(
        `${at}.until: "${entry.until}" has passed (today is ${day}); remove the entry once its change is deployed, ` +
          'or set a new date if the change is still to come',
      );
    }
    const key = `${entry.environment} ${entry.path}`;
    if (seen.has(key)) {
      found.push(
        `${at}: ${entry.environment} ${entry.path} is accepted twice; one entry per resource`,
      );
    }
    seen.add(key);
    return found;
  });
  if (problems.length > 0) {
    throw new ConfigValidationError(problems);
  }
  return parsed.data;
}
