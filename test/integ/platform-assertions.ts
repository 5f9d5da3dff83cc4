import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ExpectedResult, IDeployAssert, Match } from '@aws-cdk/integ-tests-alpha';
import { PlatformStage } from '../../lib/stages/platform-stage';

/** The marker of the suite's test message on the lifecycle topic. */
export const LIFECYCLE_PROBE = 'integ-lifecycle-probe';

/**
 * How long an assertion retries before it fails: CloudFront answers once
 * the services' tasks are healthy behind the load balancer, and an alarm's
 * notification takes a minute or two to arrive.
 */
const WAIT = { totalTimeout: Duration.minutes(10), interval: Duration.seconds(20) };

/** The one internal load balancer of the application stack. */
function loadBalancerOf(stage: PlatformStage): elbv2.CfnLoadBalancer {
  const [loadBalancer] = stage.application.node
    .findAll()
    .filter((c): c is elbv2.CfnLoadBalancer => c instanceof elbv2.CfnLoadBalancer);
  return loadBalancer;
}

/**
 * A queue subscribed to the environment's notifications topic, so the suite
 * can read what people would receive. SQS-managed encryption: SNS delivers
 * to it without a key grant, and the topic's own key stays as it is.
 */
function notificationsInbox(assertions: Stack, topic: sns.ITopic): sqs.Queue {
  const inbox = new sqs.Queue(assertions, 'NotificationsInbox', {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.hours(1),
  });
  Validations.of(inbox.node.defaultChild!).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason:
      'The integration suite reads this queue once and deletes it with the stack; a message it cannot read fails the assertion, which is the signal.',
  });
  topic.addSubscription(new subscriptions.SqsSubscription(inbox, { rawMessageDelivery: true }));
  return inbox;
}

/**
 * What the suite proves on the deployed environment, through the real APIs:
 * - CloudFront answers 200 with the hello service (`/healthz`), and the load
 *   balancer behind it is internal (no address on the internet);
 * - the admin API, from an address outside the allow-list (the assertion
 *   function's), is blocked by the CLOUDFRONT web ACL with 403;
 * - the schema migration has applied every file: run again, it applies none;
 * - a message published to the lifecycle topic reaches the lifecycle queue;
 * - an alarm of the platform set to ALARM reaches the notifications topic
 *   (the AlarmRegistration wiring, end to end).
 */
export function assertPlatform(
  stage: PlatformStage,
  assertionStack: Stack,
  assertions: IDeployAssert,
): void {
  const domain = stage.edge.distribution.distribution.distributionDomainName;
  assertions
    .httpApiCall(`https://${domain}/healthz`)
    .expect(ExpectedResult.objectLike({ status: 200, body: { status: 'ok' } }))
    .waitForAssertions(WAIT);
  assertions
    .httpApiCall(`https://${domain}/v1/api/admin/companies`)
    .expect(ExpectedResult.objectLike({ status: 403 }))
    .waitForAssertions(WAIT);
  assertions
    .awsApiCall('ElasticLoadBalancingV2', 'describeLoadBalancers', {
      LoadBalancerArns: [loadBalancerOf(stage).ref],
    })
    .expect(ExpectedResult.objectLike({ LoadBalancers: [{ Scheme: 'internal' }] }));

  assertions
    .invokeFunction({ functionName: stage.identity.migration.function.functionName })
    .expect(
      ExpectedResult.objectLike({
        StatusCode: 200,
        Payload: Match.stringLikeRegexp('"applied":\\[\\]'),
      }),
    );

  const { lifecycle } = stage.identity.identity;
  const publish = assertions.awsApiCall('SNS', 'publish', {
    TopicArn: lifecycle.topic.topicArn,
    Message: JSON.stringify({ type: LIFECYCLE_PROBE }),
  });
  // Up to ten at once: the registration assertions' user.created events arrive there too.
  const receive = assertions.awsApiCall('SQS', 'receiveMessage', {
    QueueUrl: lifecycle.queue.queueUrl,
    MaxNumberOfMessages: 10,
    WaitTimeSeconds: 20,
  });
  receive
    .expect(
      ExpectedResult.objectLike({
        Messages: Match.arrayWith([
          ExpectedResult.objectLike({ Body: Match.stringLikeRegexp(LIFECYCLE_PROBE) }).result,
        ]),
      }),
    )
    .waitForAssertions(WAIT);
  publish.next(receive);
  // The topic and the queue are encrypted with the identity stack's keys: grants name them.
  const assertionRole = iam.Role.fromRoleArn(
    assertionStack,
    'AssertionsRole',
    publish.provider.handlerRoleArn.toString(),
  );
  lifecycle.topic.grantPublish(assertionRole);
  lifecycle.queue.grantConsumeMessages(assertionRole);
  for (const policy of assertionRole.node.findAll().filter((c) => c instanceof iam.CfnPolicy)) {
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      reason:
        "Publishing to the encrypted lifecycle topic needs the data-key actions SNS's grantPublish names, on the topic's key only.",
    });
  }

  const alarm = stage.identity.migration.errorAlarm;
  const inbox = notificationsInbox(assertionStack, stage.operations.operations.notificationsTopic);
  const setAlarm = assertions.awsApiCall('CloudWatch', 'setAlarmState', {
    AlarmName: alarm.literalName,
    StateValue: 'ALARM',
    StateReason: 'Integration suite: proves that an alarm reaches the notifications topic',
  });
  const notified = assertions.awsApiCall('SQS', 'receiveMessage', {
    QueueUrl: inbox.queueUrl,
    WaitTimeSeconds: 20,
  });
  notified
    .expect(
      ExpectedResult.objectLike({
        Messages: Match.arrayWith([
          ExpectedResult.objectLike({ Body: Match.stringLikeRegexp(alarm.literalName) }).result,
        ]),
      }),
    )
    .waitForAssertions(WAIT);
  setAlarm.next(notified);
}
