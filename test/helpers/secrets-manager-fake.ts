import {
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  InvalidRequestException,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { AwsClientStub } from 'aws-sdk-client-mock';
import { randomInt, randomUUID } from 'node:crypto';

/** One version of a secret: its value (none for the placeholder a rotation starts with) and labels. */
interface Version {
  value?: string;
  readonly stages: Set<string>;
}

const notFound = (message: string) => new ResourceNotFoundException({ message, $metadata: {} });

/**
 * A secret as Secrets Manager keeps it, for the rotation function's tests:
 * versions with staging labels (a label is on one version at most), the
 * placeholder version RotateSecret labels AWSPENDING before it invokes the
 * function, and AWSPREVIOUS moved along with AWSCURRENT.
 * See https://docs.aws.amazon.com/secretsmanager/latest/userguide/whats-in-a-secret.html
 */
export class FakeSecret {
  /** Whether rotation is on (DescribeSecret's `RotationEnabled`). */
  rotationEnabled = true;
  readonly versions = new Map<string, Version>();

  constructor(
    readonly arn: string,
    value: object,
  ) {
    this.versions.set(randomUUID(), {
      value: JSON.stringify(value),
      stages: new Set(['AWSCURRENT']),
    });
  }

  /** The version ID that has `stage`, if any. */
  versionIdOf(stage: string): string | undefined {
    return [...this.versions].find(([, version]) => version.stages.has(stage))?.[0];
  }

  /** The JSON of the version that has `stage`. */
  valueOf(stage: string): Record<string, unknown> {
    const value = this.versions.get(this.versionIdOf(stage) ?? '')?.value;
    if (value === undefined) {
      throw new Error(`no version of ${this.arn} has ${stage}`);
    }
    return JSON.parse(value) as Record<string, unknown>;
  }

  /** Adds a version with `value` and `stages` (moved from the versions that had them). */
  addVersion(value: object, stages: readonly string[]): string {
    const id = randomUUID();
    this.label(id, stages);
    this.versions.set(id, { value: JSON.stringify(value), stages: new Set(stages) });
    return id;
  }

  /** What RotateSecret does before the first step: a version without value, labelled AWSPENDING. */
  startRotation(): string {
    const token = randomUUID();
    this.label(token, ['AWSPENDING']);
    this.versions.set(token, { stages: new Set(['AWSPENDING']) });
    return token;
  }

  /** Takes `stages` off every other version; the one that loses AWSCURRENT becomes AWSPREVIOUS. */
  private label(id: string, stages: readonly string[]): void {
    const current = this.versionIdOf('AWSCURRENT');
    if (stages.includes('AWSCURRENT') && current !== undefined && current !== id) {
      this.label(current, ['AWSPREVIOUS']);
      this.versions.get(current)!.stages.add('AWSPREVIOUS');
    }
    for (const [other, version] of this.versions) {
      if (other !== id) {
        stages.forEach((stage) => version.stages.delete(stage));
      }
    }
  }

  describe() {
    return {
      ARN: this.arn,
      RotationEnabled: this.rotationEnabled,
      VersionIdsToStages: Object.fromEntries(
        [...this.versions]
          .filter(([, version]) => version.stages.size > 0)
          .map(([id, version]) => [id, [...version.stages]]),
      ),
    };
  }

  getValue(versionId?: string, stage?: string) {
    const id = versionId ?? (stage ? this.versionIdOf(stage) : this.versionIdOf('AWSCURRENT'));
    const version = id === undefined ? undefined : this.versions.get(id);
    if (!version || (stage && !version.stages.has(stage)) || version.value === undefined) {
      throw notFound(`Secrets Manager can't find the specified secret value for ${stage ?? id}`);
    }
    return { ARN: this.arn, VersionId: id, SecretString: version.value };
  }

  putValue(token: string, value: string, stages: readonly string[]) {
    const existing = this.versions.get(token);
    if (existing?.value !== undefined) {
      if (existing.value !== value) {
        throw new InvalidRequestException({
          message: `version ${token} exists with another value`,
          $metadata: {},
        });
      }
      return { ARN: this.arn, VersionId: token };
    }
    this.label(token, stages);
    this.versions.set(token, { value, stages: new Set(stages) });
    return { ARN: this.arn, VersionId: token };
  }

  moveStage(stage: string, to: string, from?: string) {
    if (this.versionIdOf(stage) !== from) {
      throw new InvalidRequestException({
        message: `${stage} is on version ${this.versionIdOf(stage)}, not ${from}`,
        $metadata: {},
      });
    }
    if (!this.versions.has(to)) {
      throw notFound(`no version ${to}`);
    }
    this.label(to, [stage]);
    this.versions.get(to)!.stages.add(stage);
    return { ARN: this.arn, Name: this.arn };
  }
}

/** What GetRandomPassword was asked for. */
export interface PasswordRequest {
  readonly length?: number;
  readonly excludeCharacters?: string;
}

/**
 * Answers the client's Secrets Manager calls from `secrets` (by ARN);
 * returns the GetRandomPassword requests, in order.
 */
export function fakeSecretsManager(
  mock: AwsClientStub<SecretsManagerClient>,
  secrets: readonly FakeSecret[],
): PasswordRequest[] {
  const byArn = (arn: string | undefined) => {
    const found = secrets.find((secret) => secret.arn === arn);
    if (!found) {
      throw notFound(`Secrets Manager can't find the specified secret ${arn}`);
    }
    return found;
  };
  const passwordRequests: PasswordRequest[] = [];
  const printable = Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i));
  mock.reset();
  mock.on(DescribeSecretCommand).callsFake((input) => byArn(input.SecretId).describe());
  mock
    .on(GetSecretValueCommand)
    .callsFake((input) => byArn(input.SecretId).getValue(input.VersionId, input.VersionStage));
  mock
    .on(PutSecretValueCommand)
    .callsFake((input) =>
      byArn(input.SecretId).putValue(
        input.ClientRequestToken,
        input.SecretString,
        input.VersionStages ?? ['AWSCURRENT'],
      ),
    );
  mock
    .on(UpdateSecretVersionStageCommand)
    .callsFake((input) =>
      byArn(input.SecretId).moveStage(
        input.VersionStage,
        input.MoveToVersionId,
        input.RemoveFromVersionId,
      ),
    );
  mock.on(GetRandomPasswordCommand).callsFake((input) => {
    passwordRequests.push({
      length: input.PasswordLength,
      excludeCharacters: input.ExcludeCharacters,
    });
    const allowed = printable.filter((c) => !(input.ExcludeCharacters ?? '').includes(c));
    const length = input.PasswordLength ?? 32;
    return {
      RandomPassword: Array.from({ length }, () => allowed[randomInt(allowed.length)]).join(''),
    };
  });
  return passwordRequests;
}
