import { Pool } from 'pg';
import { UserPoolKind } from './trigger-contract';

/** A user as the triggers write it on confirmation. */
export interface NewUser {
  readonly cognitoSub: string;
  readonly companyId: string;
  readonly userPool: UserPoolKind;
  /** Already normalised (see login-id.ts). */
  readonly loginId: string;
  readonly email: string;
}

/** What the tokens carry about a user. */
export interface UserClaims {
  readonly userId: string;
  readonly companyId: string;
  readonly status: string;
  readonly roles: readonly string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` is a UUID, the form of company IDs and Cognito `sub`s. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** Whether the company exists. */
export async function companyExists(db: Pool, companyId: string): Promise<boolean> {
  const result = await db.query('SELECT 1 FROM companies WHERE id = $1', [companyId]);
  return result.rowCount === 1;
}

/**
 * Inserts the user, or leaves the existing row (same Cognito `sub`) in place
 * with the latest email: Cognito retries triggers, and the same confirmation
 * twice, even concurrently, leaves one row and no error. `ON CONFLICT` is
 * atomic, so concurrent duplicates need no lock.
 */
export async function upsertUser(db: Pool, user: NewUser): Promise<UserClaims> {
  const result = await db.query<{
    id: string;
    company_id: string;
    status: string;
    roles: string[];
  }>(
    `INSERT INTO users (cognito_sub, company_id, user_pool, login_id, email)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (cognito_sub) DO UPDATE SET email = EXCLUDED.email, updated_at = now()
     RETURNING id, company_id, status, roles`,
    [user.cognitoSub, user.companyId, user.userPool, user.loginId, user.email],
  );
  const [row] = result.rows;
  return { userId: row.id, companyId: row.company_id, status: row.status, roles: row.roles };
}

/** The claims of the user with this Cognito `sub`, or undefined if there is no row. */
export async function claimsOf(db: Pool, cognitoSub: string): Promise<UserClaims | undefined> {
  const result = await db.query<{
    id: string;
    company_id: string;
    status: string;
    roles: string[];
  }>('SELECT id, company_id, status, roles FROM users WHERE cognito_sub = $1', [cognitoSub]);
  const [row] = result.rows;
  return row && { userId: row.id, companyId: row.company_id, status: row.status, roles: row.roles };
}
