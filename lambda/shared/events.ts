import { isUuid } from './users';

/** A trigger event that lacks what the handler needs: a Cognito or configuration bug. */
export class MalformedEventError extends Error {
  constructor(message: string) {
    super(`malformed trigger event: ${message}`);
    this.name = 'MalformedEventError';
  }
}

/** The user attribute `name` of a trigger event, which must be a non-empty string. */
export function attribute(
  attributes: Readonly<Record<string, string>> | undefined,
  name: string,
): string {
  const value = attributes?.[name];
  if (typeof value !== 'string' || value.length === 0) {
    throw new MalformedEventError(`user attribute ${name} is missing`);
  }
  return value;
}

/** The user's company ID (`custom:company_id`), which must be a UUID. */
export function companyIdOf(attributes: Readonly<Record<string, string>> | undefined): string {
  const companyId = attribute(attributes, 'custom:company_id').trim();
  if (!isUuid(companyId)) {
    throw new MalformedEventError(`custom:company_id "${companyId}" is not a company ID (a UUID)`);
  }
  return companyId;
}
