import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { IConstruct } from 'constructs';

/** Every watched signal is evaluated minute by minute. */
export const ALARM_PERIOD = Duration.minutes(1);

/**
 * A math expression over `metrics`, evaluated per minute. The ids of the
 * metrics inside it are unique to `scope`: the alarms of one family share a
 * dashboard graph, and CloudWatch refuses two different metrics with one id
 * in a graph. The construct address is stable across synths.
 */
function mathOf<K extends string>(
  scope: IConstruct,
  label: string,
  metrics: Readonly<Record<K, cloudwatch.IMetric>>,
  expression: (ids: Readonly<Record<K, string>>) => string,
): cloudwatch.MathExpression {
  const names = Object.keys(metrics) as K[];
  const ids = Object.fromEntries(
    names.map((name) => [name, `${name}${scope.node.addr.slice(2, 12)}`]),
  ) as Record<K, string>;
  return new cloudwatch.MathExpression({
    expression: expression(ids),
    usingMetrics: Object.fromEntries(names.map((name) => [ids[name], metrics[name]])),
    label,
    period: ALARM_PERIOD,
  });
}

/** Options of {@link percentOf}. */
export interface PercentOfOptions {
  /** Below this many `whole` per period the result is 0: a rate of a few requests is noise. */
  readonly minimumWhole: number;
  /** The expression's label. */
  readonly label: string;
}

/**
 * `part` as a percentage of `whole`, per minute. Counts that are not
 * reported when zero (ELB error counts, CloudWatch's "reported when nonzero")
 * count as 0.
 * See https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
 */
export function percentOf(
  scope: IConstruct,
  part: cloudwatch.IMetric,
  whole: cloudwatch.IMetric,
  options: PercentOfOptions,
): cloudwatch.MathExpression {
  return mathOf(
    scope,
    options.label,
    { part, whole },
    (id) =>
      `IF(FILL(${id.whole}, 0) >= ${options.minimumWhole}, 100 * FILL(${id.part}, 0) / FILL(${id.whole}, 0), 0)`,
  );
}

/** `minuend - subtrahend` per minute, a missing value counting as 0. */
export function difference(
  scope: IConstruct,
  minuend: cloudwatch.IMetric,
  subtrahend: cloudwatch.IMetric,
  label: string,
): cloudwatch.MathExpression {
  return mathOf(
    scope,
    label,
    { minuend, subtrahend },
    (id) => `FILL(${id.minuend}, 0) - FILL(${id.subtrahend}, 0)`,
  );
}

/** Options of {@link whenBusy}. */
export interface WhenBusyOptions {
  /** Below this much `volume` per period the result is 0. */
  readonly minimumVolume: number;
  /** The expression's label. */
  readonly label: string;
}

/**
 * `value` while `volume` reaches a minimum, otherwise 0: a rate a service
 * reports itself (CloudFront's error rates) is noise on a handful of requests.
 */
export function whenBusy(
  scope: IConstruct,
  value: cloudwatch.IMetric,
  volume: cloudwatch.IMetric,
  options: WhenBusyOptions,
): cloudwatch.MathExpression {
  return mathOf(
    scope,
    options.label,
    { value, volume },
    (id) => `IF(FILL(${id.volume}, 0) >= ${options.minimumVolume}, FILL(${id.value}, 0), 0)`,
  );
}
