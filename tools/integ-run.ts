import {
  CloudFormationClient,
  DescribeStacksCommand,
  paginateListStackResources,
} from '@aws-sdk/client-cloudformation';
import {
  CloudWatchLogsClient,
  DeleteLogGroupCommand,
  paginateDescribeLogGroups,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  DeleteObjectsCommand,
  ListObjectVersionsCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';

/** One stack of the integration stage, as synthesized. */
export interface IntegStack {
  readonly stackName: string;
  readonly region: string;
}

/** The stacks of every stage of a synthesized integration app (`cdk.out` of `npm run integ`). */
export function stacksOf(assemblyDirectory: string): IntegStack[] {
  return new CloudAssembly(assemblyDirectory).nestedAssemblies.flatMap((stage) =>
    stage.nestedAssembly.stacks.map((stack) => ({
      stackName: stack.stackName,
      region: stack.environment.region,
    })),
  );
}

/** The result of one assertion (integ-tests-alpha's `AssertionResults*` stack outputs). */
export interface AssertionResult {
  readonly id: string;
  readonly status: 'success' | 'fail';
  readonly message?: string;
}

/**
 * The assertion results among the outputs `cdk deploy --outputs-file` wrote:
 * integ-tests-alpha gives each assertion an output `AssertionResults<id>`
 * whose value is `{"status":"success"}` or `{"status":"fail","message":...}`
 * (the assertions' provider, lambda-handler/assertion.ts).
 */
export function assertionResultsOf(
  outputs: Readonly<Record<string, Readonly<Record<string, string>>>>,
): AssertionResult[] {
  return Object.values(outputs).flatMap((stackOutputs) =>
    Object.entries(stackOutputs)
      .filter(([key]) => key.startsWith('AssertionResults'))
      .map(([key, value]) => {
        const parsed = JSON.parse(value) as { status?: string; message?: string };
        return {
          id: key.slice('AssertionResults'.length),
          status: parsed.status === 'success' ? ('success' as const) : ('fail' as const),
          message: parsed.message,
        };
      }),
  );
}

/**
 * Empties every S3 bucket of `stack` (all versions and delete markers), so
 * that `cdk destroy` can delete them: the stages' buckets (access logs of the
 * load balancer and of CloudFront) take `removalPolicy: 'destroy'` from the
 * config, but CloudFormation deletes only empty buckets, and the platform
 * does not auto-delete objects in any environment. Returns the buckets it
 * emptied. A stack that does not exist has none.
 */
export async function emptyBucketsOf(
  cloudFormation: CloudFormationClient,
  s3: S3Client,
  stackName: string,
): Promise<string[]> {
  const buckets: string[] = [];
  try {
    for await (const page of paginateListStackResources(
      { client: cloudFormation },
      { StackName: stackName },
    )) {
      for (const resource of page.StackResourceSummaries ?? []) {
        if (resource.ResourceType === 'AWS::S3::Bucket' && resource.PhysicalResourceId) {
          buckets.push(resource.PhysicalResourceId);
        }
      }
    }
  } catch (error) {
    if (error instanceof Error && /does not exist/.test(error.message)) {
      return [];
    }
    throw error;
  }
  for (const bucket of buckets) {
    try {
      // ListObjectVersions has no paginator in the SDK: it pages by key and version markers.
      let markers: { KeyMarker?: string; VersionIdMarker?: string } = {};
      for (;;) {
        const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, ...markers }));
        const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((o) => ({
          Key: o.Key,
          VersionId: o.VersionId,
        }));
        if (objects.length > 0) {
          await s3.send(
            new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }),
          );
        }
        if (!page.IsTruncated) {
          break;
        }
        markers = { KeyMarker: page.NextKeyMarker, VersionIdMarker: page.NextVersionIdMarker };
      }
    } catch (error) {
      // Deleted already (a destroy that got this far before).
      if (!(error instanceof S3ServiceException && error.name === 'NoSuchBucket')) {
        throw error;
      }
    }
  }
  return buckets;
}

/**
 * Deletes the log groups whose names start with `prefix`: Lambda creates
 * `/aws/lambda/<function>` itself for functions whose log group is not in
 * the template (the assertions' provider, CDK's custom-resource providers),
 * and CloudFormation does not delete what it did not create. Returns their names.
 */
export async function deleteLogGroups(
  logs: CloudWatchLogsClient,
  prefix: string,
): Promise<string[]> {
  const names: string[] = [];
  for await (const page of paginateDescribeLogGroups(
    { client: logs },
    { logGroupNamePrefix: prefix },
  )) {
    names.push(...(page.logGroups ?? []).flatMap((group) => group.logGroupName ?? []));
  }
  for (const logGroupName of names) {
    await logs.send(new DeleteLogGroupCommand({ logGroupName }));
  }
  return names;
}

/** Whether a stack of that name still exists (in any state but deleted). */
export async function stackExists(
  cloudFormation: CloudFormationClient,
  stackName: string,
): Promise<boolean> {
  try {
    const { Stacks } = await cloudFormation.send(
      new DescribeStacksCommand({ StackName: stackName }),
    );
    return (Stacks ?? []).some((stack) => stack.StackStatus !== 'DELETE_COMPLETE');
  } catch (error) {
    if (error instanceof Error && /does not exist/.test(error.message)) {
      return false;
    }
    throw error;
  }
}

/** What one run did, for the report. */
export interface IntegRunReport {
  readonly region: string;
  readonly runId: string;
  /** Seconds per phase, in order (synth, deploy and assertions, destroy). */
  readonly phases: readonly {
    readonly name: string;
    readonly seconds: number;
    readonly ok: boolean;
  }[];
  readonly assertions: readonly AssertionResult[];
  /** What the clean-up removed outside CloudFormation (bucket contents, log groups). */
  readonly cleaned: readonly string[];
  /** Stacks that still exist after the destroy. */
  readonly leftovers: readonly string[];
}

/** Whether the run passed: every phase ran, every assertion succeeded, nothing is left. */
export function passed(report: IntegRunReport): boolean {
  return (
    report.phases.every((phase) => phase.ok) &&
    report.assertions.length > 0 &&
    report.assertions.every((a) => a.status === 'success') &&
    report.leftovers.length === 0
  );
}

/** The short report `npm run integ` prints. */
export function formatReport(report: IntegRunReport): string {
  const minutes = (seconds: number) => `${(seconds / 60).toFixed(1)} min`;
  const total = report.phases.reduce((sum, phase) => sum + phase.seconds, 0);
  return [
    `Integration run ${report.runId} in ${report.region}: ${passed(report) ? 'PASSED' : 'FAILED'}`,
    ...report.phases.map(
      (phase) => `  ${phase.ok ? 'ok  ' : 'FAIL'} ${phase.name}: ${minutes(phase.seconds)}`,
    ),
    `  total: ${minutes(total)}`,
    `Assertions (${report.assertions.filter((a) => a.status === 'success').length}/${report.assertions.length} passed):`,
    ...(report.assertions.length === 0
      ? ['  none reported (the assertion stack did not deploy)']
      : report.assertions.map(
          (a) =>
            `  ${a.status === 'success' ? 'ok  ' : 'FAIL'} ${a.id}${a.message ? `: ${a.message}` : ''}`,
        )),
    `Cleaned outside CloudFormation: ${report.cleaned.length === 0 ? 'nothing' : report.cleaned.join(', ')}`,
    `Left behind: ${report.leftovers.length === 0 ? 'nothing' : report.leftovers.join(', ')}`,
  ].join('\n');
}
