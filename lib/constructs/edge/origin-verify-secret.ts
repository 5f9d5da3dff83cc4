import { RemovalPolicy, SecretValue, Stack, Token, Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/** Properties of {@link OriginVerifySecret}. */
export interface OriginVerifySecretProps {
  /**
   * The secret's name, fixed so that stacks of both regions can reference the
   * value (and the replica) by name. Letters, digits and `/_+=.@-`.
   */
  readonly secretName: string;
  /**
   * The region of the CloudFront distribution's stack, which gets a replica.
   * Nothing is replicated when it is the secret's own region.
   */
  readonly replicaRegion: string;
  /** What happens to the secret when removed from the app. */
  readonly removalPolicy: RemovalPolicy;
}

/** The header CloudFront adds to every origin request and the load balancer requires. */
export const ORIGIN_VERIFY_HEADER = 'x-origin-verify';

/**
 * The shared secret that proves a request came through our CloudFront
 * distribution: CloudFront sends it as {@link ORIGIN_VERIFY_HEADER} and the
 * load balancer's listener rules forward only requests carrying it. Secrets
 * Manager generates the value (it never appears in code, config or templates:
 * both sides read it through a `{{resolve:secretsmanager:...}}` dynamic
 * reference) and replicates it to the distribution's region, because a dynamic
 * reference reads secrets of its own region only.
 * See https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/restrict-access-to-load-balancer.html,
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/create-manage-multi-region-secrets.html
 * and https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references-secretsmanager.html
 */
export class OriginVerifySecret extends Construct {
  /** The secret (primary, in this construct's region). */
  readonly secret: secretsmanager.ISecret;
  private readonly secretName: string;
  private readonly regions: readonly string[];

  constructor(scope: Construct, id: string, props: OriginVerifySecretProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(props.secretName)) {
      throw new Error(
        `OriginVerifySecret: secretName ${JSON.stringify(props.secretName)} is not a Secrets Manager name; allowed: letters, digits and /_+=.@-`,
      );
    }
    const region = Stack.of(this).region;
    if (Token.isUnresolved(region) || Token.isUnresolved(props.replicaRegion)) {
      throw new Error(
        `OriginVerifySecret: the stack region (${region}) and replicaRegion (${props.replicaRegion}) must be explicit regions`,
      );
    }
    this.secretName = props.secretName;
    this.regions = [region, props.replicaRegion];
    const secret = new secretsmanager.Secret(this, 'Secret', {
      secretName: props.secretName,
      description: `Value of the ${ORIGIN_VERIFY_HEADER} header CloudFront sends to the load balancer`,
      // Letters and digits only: "*" and "?" are wildcards in listener-rule header values.
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      replicaRegions:
        props.replicaRegion === region ? undefined : [{ region: props.replicaRegion }],
      removalPolicy: props.removalPolicy,
    });
    Validations.of(secret.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'CloudFront and the listener rules get the value through dynamic references that CloudFormation resolves only when those resources are updated, so automatic rotation would desynchronise them and cut all traffic; rotation is a planned deployment.',
    });
    this.secret = secret;
  }

  /**
   * The header value for a resource of `scope`'s stack, as a dynamic reference
   * to the secret (or its replica) of that stack's region.
   */
  valueFor(scope: Construct): SecretValue {
    const region = Stack.of(scope).region;
    if (!this.regions.includes(region)) {
      throw new Error(
        `OriginVerifySecret: no copy of the secret in region ${region}; allowed: ${this.regions.join(', ')}`,
      );
    }
    return SecretValue.secretsManager(this.secretName);
  }
}
