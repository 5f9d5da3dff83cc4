import * as iam from 'aws-cdk-lib/aws-iam';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { REGISTRY_NAME } from '../../../config/rules';
import { pascalCase } from '../../naming';
import { SecretParameter, SecretSource } from './secret-parameter';

/** Properties of {@link SecretParameterRegistry}. */
export interface SecretParameterRegistryProps {
  /** The environment's name: every parameter is `/<environmentName>/<name>`. */
  readonly environmentName: string;
}

/** What an entry registers, for the pipeline's documentation. */
export type RegisteredParameterKind = 'secret-arn' | 'plain';

/** One parameter the pipeline or the services can read. */
export interface RegisteredParameter {
  /** `<name>` of `/<env>/<name>`. */
  readonly name: string;
  /** The full parameter name, `/<env>/<name>`. */
  readonly parameterName: string;
  /** `secret-arn`: the value is a Secrets Manager ARN; `plain`: the value is the setting itself. */
  readonly kind: RegisteredParameterKind;
  /** What it is for. */
  readonly description: string;
  /** Who reads it (e.g. `service api`), as recorded by the consumers, sorted. */
  readonly readers: readonly string[];
}

/** Options of {@link SecretParameterRegistry.addSecret}. */
export interface AddSecretOptions {
  /** What the secret is for. */
  readonly description: string;
  /** Where the secret comes from. */
  readonly source: SecretSource;
  /**
   * Where the secret and its parameter are created: pass a construct of the
   * stack that owns the secret, so that stack does not depend on itself
   * through the registry's stack.
   * @default - the registry
   */
  readonly scope?: Construct;
  /**
   * Who may read the secret and its parameter.
   * @default - nobody yet; call `grantRead` on the result
   */
  readonly readers?: readonly iam.IGrantable[];
  /**
   * Who reads the secret, for docs/parameters.md (e.g. `the Cognito triggers`);
   * services are recorded when they look a secret up ({@link SecretParameterRegistry.secretFor}).
   * @default - nobody recorded yet
   */
  readonly readBy?: readonly string[];
}

/** Options of {@link SecretParameterRegistry.addPlainParameter}. */
export interface AddPlainParameterOptions {
  /** What the setting is for. */
  readonly description: string;
  /** The value: not a secret (it is readable by anyone who may read parameters). */
  readonly value: string;
  /**
   * Where the parameter is created (the stack that owns the value).
   * @default - the registry
   */
  readonly scope?: Construct;
}

/**
 * The environment's catalogue of `/<env>/<name>` SSM parameters: secrets
 * (Secrets Manager secret + parameter holding its ARN) and plain settings the
 * pipeline reads (repository URIs, cluster and service names). Every entry is
 * listed in docs/parameters.md (`npm run docs:parameters`), so the pipeline
 * knows what to read. Adding one is a single call:
 *
 * ```ts
 * registry.addSecret('datadog-api-key', { description: 'Datadog API key', source: { kind: 'generated' } });
 * registry.addPlainParameter('cluster-name', { description: 'ECS cluster', value: cluster.clusterName, scope: this });
 * ```
 */
export class SecretParameterRegistry extends Construct {
  /** The path every parameter of the environment lives under: `/<env>/`. */
  readonly path: string;
  private readonly registered = new Map<string, RegisteredParameter & { readers: string[] }>();
  private readonly secrets = new Map<string, SecretParameter>();

  constructor(scope: Construct, id: string, props: SecretParameterRegistryProps) {
    super(scope, id);
    if (!/^[a-z][a-z0-9-]*$/.test(props.environmentName)) {
      throw new Error(
        `SecretParameterRegistry ${id}: environmentName "${props.environmentName}" must be lowercase letters, digits and "-"`,
      );
    }
    this.path = `/${props.environmentName}/`;
  }

  /** Registers a secret and creates it with its `/<env>/<name>` parameter. */
  addSecret(name: string, options: AddSecretOptions): SecretParameter {
    const entry = this.register(name, 'secret-arn', options.description);
    const secret = new SecretParameter(
      options.scope ?? this,
      `${pascalCase(name)}SecretParameter`,
      {
        parameterName: entry.parameterName,
        description: options.description,
        source: options.source,
      },
    );
    for (const reader of options.readers ?? []) {
      secret.grantRead(reader);
    }
    entry.readers.push(...(options.readBy ?? []));
    this.secrets.set(name, secret);
    return secret;
  }

  /** Registers a plain (non-secret) setting and creates its `/<env>/<name>` parameter. */
  addPlainParameter(name: string, options: AddPlainParameterOptions): ssm.StringParameter {
    const entry = this.register(name, 'plain', options.description);
    return new ssm.StringParameter(options.scope ?? this, `${pascalCase(name)}Parameter`, {
      parameterName: entry.parameterName,
      description: options.description,
      stringValue: options.value,
    });
  }

  /** A registered secret by name; an unknown name fails, listing the registered secrets. */
  secret(name: string): SecretParameter {
    const found = this.secrets.get(name);
    if (!found) {
      throw new Error(
        `SecretParameterRegistry: no secret "${name}"; registered: ${[...this.secrets.keys()].sort().join(', ') || 'none'}`,
      );
    }
    return found;
  }

  /**
   * A registered secret, for `reader` (e.g. `service api`), who is recorded
   * as one of its readers in docs/parameters.md. The caller grants the read
   * (an `ecs.Secret` does).
   */
  secretFor(name: string, reader: string): SecretParameter {
    const found = this.secret(name);
    this.registered.get(name)!.readers.push(reader);
    return found;
  }

  /** Every registered parameter, sorted by name. */
  get entries(): readonly RegisteredParameter[] {
    return [...this.registered.values()]
      .map((entry) => ({ ...entry, readers: [...new Set(entry.readers)].sort() }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  private register(
    name: string,
    kind: RegisteredParameterKind,
    description: string,
  ): RegisteredParameter & { readers: string[] } {
    if (!REGISTRY_NAME.test(name)) {
      throw new Error(
        `SecretParameterRegistry: name "${name}" is not allowed; use lowercase letters, digits and "-", nested with "/" (e.g. "database/credentials")`,
      );
    }
    if (this.registered.has(name)) {
      throw new Error(`SecretParameterRegistry: "${this.path}${name}" is registered twice`);
    }
    if (description.trim().length === 0) {
      throw new Error(`SecretParameterRegistry: description of "${name}" is empty`);
    }
    const entry = { name, parameterName: `${this.path}${name}`, kind, description, readers: [] };
    this.registered.set(name, entry);
    return entry;
  }
}
