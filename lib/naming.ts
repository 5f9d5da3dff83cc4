/**
 * `dev` -> `Dev`, `admin-api` -> `AdminApi`, `ecr.api` -> `EcrApi`,
 * `database/credentials` -> `DatabaseCredentials`: names from config turned
 * into stable construct IDs.
 */
export function pascalCase(name: string): string {
  return name
    .split(/[./-]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
