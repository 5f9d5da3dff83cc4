import { App, Stack, Stage, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** One `Validations.of(x).acknowledge()` call found in a construct tree. */
export interface FoundAcknowledgement {
  readonly path: string;
  readonly ruleId: string;
  readonly reason: string;
  /** True when recorded on an App, Stage or Stack: a blanket acknowledgement. */
  readonly blanket: boolean;
  /**
   * True when aws-cdk-lib recorded it itself (e.g. `Vpc` acknowledging the
   * linter's camelCase FlowLog options); false when our code called
   * `Validations.of(x).acknowledge()`.
   */
  readonly byCdk: boolean;
}

/** Every acknowledgement recorded below `scope`. */
export function acknowledgementsIn(scope: IConstruct): FoundAcknowledgement[] {
  return scope.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([ruleId, reason]) => ({
          path: construct.node.path,
          ruleId,
          reason,
          blanket: App.isApp(construct) || Stage.isStage(construct) || Stack.isStack(construct),
          byCdk: !(entry.trace?.[0] ?? 'Validations.acknowledge').includes(
            'Validations.acknowledge',
          ),
        })),
      ),
  );
}

/**
 * Problems with our acknowledgements below `scope`: one acknowledged on a
 * whole app, stage or stack, or one whose reason is too short to convince a
 * security reviewer.
 */
export function acknowledgementProblems(scope: IConstruct): string[] {
  const ours = acknowledgementsIn(scope).filter((ack) => !ack.byCdk);
  return ours.flatMap((ack) => [
    ...(ack.blanket
      ? [`${ack.path}: ${ack.ruleId} is acknowledged on a whole app, stage or stack`]
      : []),
    ...(ack.reason.trim().length < 40
      ? [`${ack.path}: ${ack.ruleId} has no convincing reason: "${ack.reason}"`]
      : []),
  ]);
}
