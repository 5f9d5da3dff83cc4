import { Arn, ArnFormat, Aws, Token, Validations } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { acknowledgeFindings, nist } from '../../compliance/acknowledge';

/** Where the value of a {@link SecretParameter} comes from. */
export type SecretSource =
  /** A new secret with a generated value (a random string, or a JSON object with one). */
  | {
      readonly kind: 'generated';
      /**
       * How the value is generated.
       * @default - 32 characters without punctuation
       */
      readonly generate?: secretsmanager.SecretStringGenerator;
      /**
       * Why the generated secret is not rotated automatically (for example, a
       * third-party API key set by hand after deployment). At least 40 characters.
       * @default - none: the caller adds a rotation schedule to `secret`
       */
      readonly withoutRotationBecause?: string;
    }
  /** A secret that exists outside this app, by its complete ARN (with the 6-character suffix). */
  | {
      readonly kind: 'existing';
      readonly secretArn: string;
      /**
       * The customer-managed key that encrypts it, so readers may decrypt with it.
       * @default - the AWS managed key of Secrets Manager
       */
      readonly encryptionKeyArn?: string;
    }
  /** A secret another construct of the app created (e.g. the database's credentials). */
  | { readonly kind: 'secret'; readonly secret: secretsmanager.ISecret };

/** Properties of {@link SecretParameter}. */
export interface SecretParameterProps {
  /** The SSM parameter's full name, `/<env>/<name>`. */
  readonly parameterName: string;
  /** What the secret is for; shown in Secrets Manager, Parameter Store and docs/parameters.md. */
  readonly description: string;
  /** Where the secret comes from. */
  readonly source: SecretSource;
}

/** The minimum length of a reason a security reviewer accepts. */
const MIN_REASON_LENGTH = 40;

/**
 * A Secrets Manager secret and the SSM parameter `/<env>/<name>` whose value
 * is the secret's ARN: the pipeline reads the parameter to find the secret, so
 * one workflow serves every environment, and the value itself never leaves
 * Secrets Manager.
 */
export class SecretParameter extends Construct {
  /** The secret. */
  readonly secret: secretsmanager.ISecret;
  /** The parameter that holds the secret's ARN. */
  readonly parameter: ssm.IStringParameter;

  constructor(scope: Construct, id: string, props: SecretParameterProps) {
    super(scope, id);
    const { source } = props;
    if (source.kind === 'existing') {
      assertCompleteSecretArn(id, source.secretArn);
    }
    if (
      source.kind === 'generated' &&
      source.withoutRotationBecause !== undefined &&
      source.withoutRotationBecause.trim().length < MIN_REASON_LENGTH
    ) {
      throw new Error(
        `SecretParameter ${id}: source.withoutRotationBecause "${source.withoutRotationBecause}" must explain in at least ${MIN_REASON_LENGTH} characters why the secret is not rotated`,
      );
    }

    this.secret = secretOf(this, props);
    this.parameter = new ssm.StringParameter(this, 'Parameter', {
      parameterName: props.parameterName,
      description: `ARN of the Secrets Manager secret: ${props.description}`,
      stringValue: this.secret.secretArn,
    });
  }

  /** Lets `grantee` find the secret through the parameter and read its value. */
  grantRead(grantee: iam.IGrantable): void {
    this.parameter.grantRead(grantee);
    this.secret.grantRead(grantee);
  }

  /**
   * Lets `grantee` read the secret's value, all in the grantee's own policy:
   * `secretsmanager:GetSecretValue` on the secret and, for a secret with a
   * customer-managed key, `kms:Decrypt` with that key through Secrets
   * Manager. (`ISecret.grantRead` puts the key grant into the key's policy,
   * which fails silently for an imported key and, for a key of another
   * stack, makes that stack depend on the grantee's.)
   */
  grantValueRead(grantee: iam.IGrantable): iam.Grant {
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      resourceArns: [this.secret.secretArn],
    });
    const key = this.secret.encryptionKey;
    if (key) {
      iam.Grant.addToPrincipal({
        grantee,
        actions: ['kms:Decrypt'],
        resourceArns: [key.keyArn],
        conditions: {
          StringEquals: { 'kms:ViaService': `secretsmanager.${Aws.REGION}.${Aws.URL_SUFFIX}` },
        },
      });
    }
    return grant;
  }

  /**
   * The secret for a container's `secrets`: ECS injects the value at start
   * with the task's execution role, which is granted {@link grantValueRead},
   * so the value never appears in the task definition's plain environment.
   * See https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html
   *
   * @param field a JSON key of the secret's value
   * @default - the whole value
   */
  ecsSecret(field?: string): ecs.Secret {
    return new RegistryEcsSecret(this, field);
  }
}

/** An `ecs.Secret` of a {@link SecretParameter}, read with its {@link SecretParameter.grantValueRead}. */
class RegistryEcsSecret extends ecs.Secret {
  readonly arn: string;
  readonly hasField: boolean;

  constructor(
    private readonly source: SecretParameter,
    field?: string,
  ) {
    super();
    // The form ECS expects for a JSON key: <secret ARN>:<key>::
    // See https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html
    this.arn = field ? `${source.secret.secretArn}:${field}::` : source.secret.secretArn;
    this.hasField = field !== undefined;
  }

  grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.source.grantValueRead(grantee);
  }
}

function secretOf(scope: SecretParameter, props: SecretParameterProps): secretsmanager.ISecret {
  const { source } = props;
  switch (source.kind) {
    case 'secret':
      return source.secret;
    case 'existing':
      return secretsmanager.Secret.fromSecretAttributes(scope, 'Secret', {
        secretCompleteArn: source.secretArn,
        encryptionKey: source.encryptionKeyArn
          ? kms.Key.fromKeyArn(scope, 'Key', source.encryptionKeyArn)
          : undefined,
      });
    case 'generated': {
      const secret = new secretsmanager.Secret(scope, 'Secret', {
        description: props.description,
        generateSecretString: source.generate ?? { passwordLength: 32, excludePunctuation: true },
      });
      if (source.withoutRotationBecause) {
        Validations.of(secret).acknowledge({
          id: 'AwsSolutions-SMG4',
          reason: source.withoutRotationBecause,
        });
        acknowledgeFindings(
          secret,
          [nist('SecretsManagerRotationEnabled')],
          source.withoutRotationBecause,
        );
      }
      acknowledgeFindings(
        secret,
        [nist('SecretsManagerUsingKMSKey')],
        'A generated application secret, encrypted with the AWS managed key aws/secretsmanager: who may read it is decided by IAM (grantRead to the services that declare it), and a customer-managed key would add a key policy without narrowing that.',
      );
      return secret;
    }
  }
}

function assertCompleteSecretArn(id: string, arn: string): void {
  if (Token.isUnresolved(arn)) {
    return;
  }
  const problem = `SecretParameter ${id}: source.secretArn "${arn}" is not a complete Secrets Manager secret ARN (arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-<6 characters>)`;
  let resourceName: string | undefined;
  try {
    const parts = Arn.split(arn, ArnFormat.COLON_RESOURCE_NAME);
    resourceName =
      parts.service === 'secretsmanager' && parts.resource === 'secret'
        ? parts.resourceName
        : undefined;
  } catch {
    resourceName = undefined;
  }
  if (!resourceName || !/-[A-Za-z0-9]{6}$/.test(resourceName)) {
    throw new Error(problem);
  }
}
