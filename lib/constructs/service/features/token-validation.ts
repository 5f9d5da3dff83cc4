import { UserPoolKind } from '../../../../lambda/shared/trigger-contract';
import { API_SCOPES, PlatformUserPool } from '../../identity/platform-user-pool';
import { ServiceApp, ServiceFeature } from '../service-feature';

/** The environment of a service that validates Cognito tokens (`userPools`). */
export const TOKEN_VALIDATION_ENVIRONMENT = {
  /** The pools whose tokens are accepted, comma-separated (`product,console`). */
  pools: 'AUTH_USER_POOLS',
  /** The resource server's identifier: the audience of the API scopes. */
  resourceServer: 'AUTH_RESOURCE_SERVER',
  /** The accepted scopes, space-separated as in the token (`<identifier>/<scope>`). */
  scopes: 'AUTH_SCOPES',
  /** Per pool: `AUTH_<POOL>_ISSUER`, `_JWKS_URL`, `_CLIENT_ID`, `_DOMAIN_URL`. */
  issuer: (kind: UserPoolKind) => `AUTH_${kind.toUpperCase()}_ISSUER`,
  jwksUrl: (kind: UserPoolKind) => `AUTH_${kind.toUpperCase()}_JWKS_URL`,
  clientId: (kind: UserPoolKind) => `AUTH_${kind.toUpperCase()}_CLIENT_ID`,
  domainUrl: (kind: UserPoolKind) => `AUTH_${kind.toUpperCase()}_DOMAIN_URL`,
} as const;

/**
 * What a service needs to validate Cognito tokens the way the design does
 * (RS256, keys from the pool's JWKS by `kid`, issuer and client checked, then
 * the scopes): per accepted pool the issuer URL, the JWKS URL and the app
 * client's ID, and the hosted sign-in domain for a front end's redirects;
 * the resource server's identifier and the scopes of the accepted pools.
 * All public values, as plain environment.
 * See https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html
 */
export class TokenValidation implements ServiceFeature {
  constructor(
    private readonly pools: Readonly<Partial<Record<UserPoolKind, PlatformUserPool>>>,
    private readonly apiIdentifier: string,
  ) {}

  useAppContainer({ appContainer }: ServiceApp): void {
    const env = TOKEN_VALIDATION_ENVIRONMENT;
    const kinds = Object.keys(this.pools) as UserPoolKind[];
    appContainer.addEnvironment(env.pools, kinds.join(','));
    appContainer.addEnvironment(env.resourceServer, this.apiIdentifier);
    appContainer.addEnvironment(
      env.scopes,
      kinds
        .flatMap((kind) => API_SCOPES[kind].map((s) => `${this.apiIdentifier}/${s.scopeName}`))
        .join(' '),
    );
    for (const kind of kinds) {
      const { userPool, client, domain } = this.pools[kind]!;
      appContainer.addEnvironment(env.issuer(kind), userPool.userPoolProviderUrl);
      appContainer.addEnvironment(
        env.jwksUrl(kind),
        `${userPool.userPoolProviderUrl}/.well-known/jwks.json`,
      );
      appContainer.addEnvironment(env.clientId(kind), client.userPoolClientId);
      appContainer.addEnvironment(env.domainUrl(kind), domain.baseUrl());
    }
  }
}
