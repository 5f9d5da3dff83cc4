import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, IConstruct } from 'constructs';
import { ThreatProtectionMode, TokenValidityConfig, UserPoolConfig } from '../../../config';
import { UserPoolKind } from '../../../lambda/shared/trigger-contract';
import { UserPoolWebAcl } from './user-pool-web-acl';

/** The pool's three triggers. */
export interface UserPoolTriggers {
  readonly preSignUp: lambda.IFunction;
  readonly postConfirmation: lambda.IFunction;
  readonly preTokenGeneration: lambda.IFunction;
}

/** Properties of {@link PlatformUserPool}. */
export interface PlatformUserPoolProps {
  /** Product pool (MFA optional, mobile client) or console pool (MFA required, admin web client). */
  readonly kind: UserPoolKind;
  /** Sign-in method, domain prefix and redirect URLs. */
  readonly config: UserPoolConfig;
  /** Threat protection mode (feature plan Plus). */
  readonly threatProtection: ThreatProtectionMode;
  /** Token lifetimes of the client. */
  readonly tokenValidity: TokenValidityConfig;
  /** Identifier of the APIs' resource server. */
  readonly apiIdentifier: string;
  /** The trigger functions. */
  readonly triggers: UserPoolTriggers;
  /** The web ACL in front of the pool's managed login and API endpoints. */
  readonly webAcl: UserPoolWebAcl;
  /**
   * How the pool sends mail (through the environment's SES identity).
   * @default - Cognito's default sender
   */
  readonly email?: cognito.UserPoolEmail;
  /** Deletion protection (production). */
  readonly deletionProtection: boolean;
  /** What happens to the pool when removed from the app. */
  readonly removalPolicy: RemovalPolicy;
}

/** The APIs' scopes each kind of client asks for. */
export const API_SCOPES: Readonly<
  Record<UserPoolKind, readonly cognito.ResourceServerScopeProps[]>
> = {
  product: [
    { scopeName: 'profile.read', scopeDescription: 'Read the signed-in user' },
    { scopeName: 'profile.write', scopeDescription: 'Update the signed-in user' },
  ],
  console: [
    { scopeName: 'admin.read', scopeDescription: 'Read users, companies and IP allow lists' },
    { scopeName: 'admin.write', scopeDescription: 'Change users, companies and IP allow lists' },
  ],
};

/** The tenant of a user: set by the platform at sign-up, never by a client. */
export const COMPANY_ID_ATTRIBUTE = 'company_id';

/**
 * What an app client may read of its signed-in user: the email, whether it is
 * verified, and the tenant. Listed, so a new attribute is not readable by default.
 */
export const CLIENT_READ_ATTRIBUTES = new cognito.ClientAttributes()
  .withStandardAttributes({ email: true, emailVerified: true })
  .withCustomAttributes(COMPANY_ID_ATTRIBUTE);

/**
 * What an app client may change of its signed-in user: the email only (kept
 * until the new address is verified). Never the tenant, never `email_verified`.
 */
export const CLIENT_WRITE_ATTRIBUTES = new cognito.ClientAttributes().withStandardAttributes({
  email: true,
});

/**
 * How long a rotated-out refresh token stays valid, so a mobile client whose
 * refresh response was lost can retry (0-60 s).
 * See https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-refresh-token.html
 */
export const REFRESH_TOKEN_ROTATION_GRACE_PERIOD = Duration.seconds(10);

/**
 * A Cognito user pool of one kind of user (seed 000: pools split by product
 * access), with the triggers, a Cognito domain, the APIs' resource server, one
 * public app client using the authorization code grant with PKCE (refresh
 * tokens rotated on use, readable and writable attributes listed), and the
 * web ACL in front of it. Self sign-up is off: users are created by the
 * platform, which sets their tenant.
 */
export class PlatformUserPool extends Construct {
  /** The pool. */
  readonly userPool: cognito.UserPool;
  /** The app client (admin web for the console pool, mobile for the product pool). */
  readonly client: cognito.UserPoolClient;
  /** The Cognito domain of the hosted sign-in pages. */
  readonly domain: cognito.UserPoolDomain;

  constructor(scope: Construct, id: string, props: PlatformUserPoolProps) {
    super(scope, id);
    const { config, kind, tokenValidity } = props;
    if (config.callbackUrls.length === 0 || config.logoutUrls.length === 0) {
      throw new Error('a user pool client needs at least one callback and one logout URL');
    }
    const isConsole = kind === 'console';

    const userPool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: {
        email: config.signIn !== 'login-id',
        username: config.signIn !== 'email',
      },
      // Login IDs are normalised to lowercase at sign-up; sign-in ignores case as well.
      signInCaseSensitive: false,
      autoVerify: { email: true },
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      customAttributes: { [COMPANY_ID_ATTRIBUTE]: new cognito.StringAttribute({ mutable: false }) },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: isConsole ? cognito.Mfa.REQUIRED : cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      email: props.email,
      // Threat protection needs the Plus plan. See https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-sign-in-feature-plans.html
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode:
        props.threatProtection === 'full-function'
          ? cognito.StandardThreatProtectionMode.FULL_FUNCTION
          : cognito.StandardThreatProtectionMode.AUDIT_ONLY,
      deletionProtection: props.deletionProtection,
      removalPolicy: props.removalPolicy,
    });
    userPool.addTrigger(cognito.UserPoolOperation.PRE_SIGN_UP, props.triggers.preSignUp);
    userPool.addTrigger(
      cognito.UserPoolOperation.POST_CONFIRMATION,
      props.triggers.postConfirmation,
    );
    // Version 2 events let the trigger change the access token too.
    userPool.addTrigger(
      cognito.UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG,
      props.triggers.preTokenGeneration,
      cognito.LambdaVersion.V2_0,
    );

    const resourceServer = userPool.addResourceServer('Api', {
      identifier: props.apiIdentifier,
      // The name defaults to the identifier, whose "://" CloudFormation refuses in a name.
      userPoolResourceServerName: 'api',
      scopes: API_SCOPES[kind].map((scope) => new cognito.ResourceServerScope(scope)),
    });
    this.domain = userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: config.domainPrefix },
    });
    // A public client (no secret): the authorization code grant with PKCE, which the
    // app performs; the implicit grant is off. See https://docs.aws.amazon.com/cognito/latest/developerguide/using-pkce-in-authorization-code.html
    this.client = userPool.addClient(isConsole ? 'AdminWebClient' : 'MobileClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [
          cognito.OAuthScope.OPENID,
          cognito.OAuthScope.EMAIL,
          cognito.OAuthScope.PROFILE,
          ...API_SCOPES[kind].map((scope) =>
            cognito.OAuthScope.resourceServer(
              resourceServer,
              new cognito.ResourceServerScope(scope),
            ),
          ),
        ],
        callbackUrls: [...config.callbackUrls],
        logoutUrls: [...config.logoutUrls],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.minutes(tokenValidity.idTokenMinutes),
      accessTokenValidity: Duration.minutes(tokenValidity.accessTokenMinutes),
      refreshTokenValidity: Duration.days(tokenValidity.refreshTokenDays),
      // Each refresh returns a new refresh token and retires the old one, so a stolen
      // refresh token is good for one use (the REFRESH_TOKEN_AUTH flow goes with it).
      refreshTokenRotationGracePeriod: REFRESH_TOKEN_ROTATION_GRACE_PERIOD,
      readAttributes: CLIENT_READ_ATTRIBUTES,
      writeAttributes: CLIENT_WRITE_ATTRIBUTES,
    });
    props.webAcl.protect(this, userPool);

    if (!isConsole) {
      Validations.of(userPool.node.defaultChild as IConstruct).acknowledge({
        id: 'AwsSolutions-COG2',
        reason:
          'Product end users may enrol TOTP (MFA optional, a product decision); the console pool of operators requires MFA.',
      });
    }
    this.userPool = userPool;
  }
}
