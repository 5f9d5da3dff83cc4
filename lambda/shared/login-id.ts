/**
 * Login IDs are normalised once, at sign-up, and stored only in that form.
 * A migration once failed logins because of trailing spaces and letter case
 * (MySQL's collation ignored them, PostgreSQL does not), so the rules live in
 * this one function, used by every trigger and by the database's check.
 */

/**
 * Letters a-z, digits and `. _ - + @` (so an email address can be a login ID),
 * starting with a letter or digit, 3-128 characters.
 */
const ALLOWED = /^[a-z0-9][a-z0-9._+@-]{2,127}$/;
const ALLOWED_DESCRIPTION =
  'use 3-128 characters: letters a-z, digits 0-9 and . _ - + @, starting with a letter or digit';

/** A login ID the user must change before signing up; the message says how. */
export class LoginIdError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LoginIdError';
  }
}

/**
 * The canonical form of a login ID: Unicode NFKC (full-width letters, digits
 * and spaces become their ASCII forms), surrounding white space removed, lowercase.
 */
export function normaliseLoginId(raw: string): string {
  return raw.normalize('NFKC').trim().toLowerCase();
}

/**
 * Normalises `raw` and checks the result against the allowed characters.
 * Throws a {@link LoginIdError} naming the characters that are not allowed.
 */
export function validLoginId(raw: string): string {
  const normalised = normaliseLoginId(raw);
  if (ALLOWED.test(normalised)) {
    return normalised;
  }
  const disallowed = [...new Set(normalised.replace(/[a-z0-9._+@-]/g, ''))];
  if (disallowed.length > 0) {
    const shown = disallowed.map((c) => (c === ' ' ? 'space' : `"${c}"`)).join(', ');
    throw new LoginIdError(`Login ID "${raw}" contains ${shown}; ${ALLOWED_DESCRIPTION}.`);
  }
  throw new LoginIdError(
    `Login ID "${raw}" has ${normalised.length} characters or starts with a symbol; ${ALLOWED_DESCRIPTION}.`,
  );
}
