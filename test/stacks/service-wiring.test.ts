import { DATABASE_ENVIRONMENT } from '../../lib/constructs/service/features/database-client';
import { urlVariableOf } from '../../lib/constructs/service/features/service-calls';
import { TOKEN_VALIDATION_ENVIRONMENT as AUTH } from '../../lib/constructs/service/features/token-validation';
import { pascalCase } from '../../lib/naming';
import { PlatformStage } from '../../lib/stages/platform-stage';
import { addPlatform } from '../../lib/platform-app';
import { changed, developmentConfig, peeredDatabase, validated } from '../helpers/config-builder';
import { StageGraph } from '../helpers/stage-graph';
import { containersOf } from '../helpers/task-definitions';
import { newTestApp, shippedEnvironments, synthesized } from '../helpers/test-app';

/** The rule every task's own group has: HTTPS out (AWS APIs through the VPC endpoints or NAT). */
const ANY_HTTPS = { direction: 'out', peer: '0.0.0.0/0', fromPort: 443 };

describe.each(shippedEnvironments.map((config) => [config.name, config] as const))(
  'services of %s, wired to the platform',
  (name, config) => {
    const { stage, template: templateOf } = synthesized(name);
    const graph = new StageGraph(PlatformStage.idOf(name));
    const specs = config.application.services;
    const serviceKey = (service: string) => graph.find(`${pascalCase(service)}/Service/Service`)[0];
    const ownGroup = (service: string) =>
      `\${${graph.find(`${pascalCase(service)}/SecurityGroup`)[0]}}`;
    const databaseGroup = `\${${
      graph.find(
        config.database.mode === 'managed'
          ? 'Database/Cluster/SecurityGroup'
          : 'Database/DatabaseSecurityGroup',
      )[0]
    }}`;
    const appOf = (service: string) => {
      const stack = stage.services.find((s) => s.services.has(service))!;
      return containersOf(templateOf(stack), pascalCase(service)).find((c) => c.Name === 'app')!;
    };
    const environmentOf = (service: string) =>
      Object.fromEntries((appOf(service).Environment ?? []).map((e) => [e.Name, e.Value]));

    describe('secrets', () => {
      const grants = [
        ...graph.ofType('AWS::IAM::Policy'),
        ...graph.ofType('AWS::IAM::ManagedPolicy'),
      ].flatMap(([key, policy]) =>
        (policy.properties.PolicyDocument.Statement as any[])
          .filter(
            (st) =>
              st.Effect === 'Allow' && [st.Action].flat().includes('secretsmanager:GetSecretValue'),
          )
          .flatMap((st) =>
            [st.Resource].flat().map((resource: string) => ({
              holders: (policy.properties.Roles ?? [`\${${key}}`]) as string[],
              resource,
            })),
          ),
      );
      const tasks = graph
        .ofType('AWS::ECS::TaskDefinition')
        .map(([, task]) => ({
          executionRole: String(task.properties.ExecutionRoleArn).replace(/\.Arn\}$/, '}'),
          secrets: new Set(
            Object.values(task.properties.Containers as Record<string, any>).flatMap((c) =>
              (c.Secrets ?? []).map((s: any) => String(s.ValueFrom).replace(/:[^:}]+::$/, '')),
            ),
          ),
        }))
        .filter((task) => task.secrets.size > 0);
      const migrationRole = `\${${graph.find('SchemaMigration/Function/ServiceRole')[0]}}`;

      test('each execution role may read exactly the secrets its containers receive', () => {
        expect(tasks.length).toBeGreaterThan(0);
        for (const task of tasks) {
          const readable = grants
            .filter((grant) => grant.holders.includes(task.executionRole))
            .map((grant) => grant.resource);
          expect(new Set(readable)).toEqual(task.secrets);
        }
      });

      test("no one else reads a container secret (but the migration, which sets the roles' passwords, and the secret's rotation)", () => {
        for (const task of tasks) {
          for (const secret of task.secrets) {
            const others = grants
              .filter((grant) => grant.resource === secret)
              .flatMap((grant) => grant.holders)
              .filter(
                (holder) => !tasks.some((t) => t.executionRole === holder && t.secrets.has(secret)),
              );
            const role = /(DatabaseRoles\/[^/]+)\/Secret/.exec(secret)?.[1];
            expect([...new Set(others)].sort()).toEqual(
              role
                ? [
                    `\${${graph.find(`${role}/Rotation/Function/ServiceRole`)[0]}}`,
                    migrationRole,
                  ].sort()
                : [],
            );
          }
        }
      });
    });

    describe('database', () => {
      const withDatabase = specs.filter((s) => s.database);

      test.each(withDatabase.map((s) => [s.name, s] as const))(
        '%s gets its own role as container secrets and the endpoint as plain environment',
        (service, spec) => {
          const secrets = appOf(service).Secrets!.map((s) => [s.Name, JSON.stringify(s.ValueFrom)]);
          expect(secrets.map(([variable]) => variable).sort()).toEqual(
            [DATABASE_ENVIRONMENT.password, DATABASE_ENVIRONMENT.username].sort(),
          );
          for (const [, valueFrom] of secrets) {
            expect(valueFrom).toContain(`DatabaseRoles${pascalCase(service)}Secret`);
          }
          expect(Object.keys(environmentOf(service))).toEqual(
            expect.arrayContaining([
              DATABASE_ENVIRONMENT.host,
              DATABASE_ENVIRONMENT.port,
              DATABASE_ENVIRONMENT.name,
            ]),
          );
          const host = JSON.stringify(environmentOf(service)[DATABASE_ENVIRONMENT.host]);
          if (config.database.mode === 'managed') {
            expect(host).toMatch(
              spec.database === 'read-only' ? /ReadEndpoint/ : /Endpoint(?!.*Read)/,
            );
          }
        },
      );

      test('admits exactly the services that declare database access, the triggers, the migration and the rotations', () => {
        const sources = graph
          .rulesOf(databaseGroup)
          .filter((rule) => rule.direction === 'in')
          .map((rule) => rule.peer)
          .sort();
        const expected = [
          ...withDatabase.map((s) => ownGroup(s.name)),
          `\${${graph.find('TriggerSecurityGroup')[0]}}`,
          `\${${graph.find('SchemaMigration/SecurityGroup')[0]}}`,
          `\${${graph.find('DatabaseRoles/RotationSecurityGroup')[0]}}`,
          ...(config.database.mode === 'managed'
            ? [`\${${graph.find('Database/RotationSecurityGroup')[0]}}`]
            : []),
        ].sort();
        expect(sources).toEqual(expected);
      });

      test.each(specs.filter((s) => !s.database).map((s) => s.name))(
        '%s, which declares no database access, has no path to the database and no database role',
        (service) => {
          const groups = graph.groupsOfService(serviceKey(service));
          for (const group of groups) {
            expect(graph.rulesOf(group).map((rule) => rule.peer)).not.toContain(databaseGroup);
          }
          expect(
            stage.identity.identity.databaseRoles.all.map((role) => role.roleName),
          ).not.toContain(service.replace(/-/g, '_'));
          expect(appOf(service).Secrets ?? []).toEqual([]);
        },
      );
    });

    describe('service to service', () => {
      const callersOf = (server: string) =>
        specs
          .filter((s) => (s.calls ?? []).includes(server))
          .map((s) => s.name)
          .sort();

      test.each(specs.filter((s) => s.port !== undefined).map((s) => [s.name, s] as const))(
        '%s admits on its port only the load balancer (when routed) and the tasks of its declared callers',
        (service, spec) => {
          const sources = graph
            .rulesOf(ownGroup(service))
            .filter((rule) => rule.direction === 'in')
            .map((rule) => rule.peer);
          const loadBalancer = `\${${graph.find('LoadBalancer/SecurityGroup')[0]}}`;
          const callers = callersOf(service);
          const callersGroup =
            callers.length > 0
              ? [`\${${graph.find(`ServiceCallers/${pascalCase(service)}`)[0]}}`]
              : [];
          expect(sources.sort()).toEqual(
            [...(spec.route ? [loadBalancer] : []), ...callersGroup].sort(),
          );
          // The callers' group is carried by exactly the declared callers.
          for (const other of specs) {
            const carries = graph
              .groupsOfService(serviceKey(other.name))
              .some((g) => callersGroup.includes(g));
            expect(carries).toBe(callers.includes(other.name));
          }
        },
      );

      test("the callers' groups admit nothing: they only mark the callers", () => {
        const groups = graph
          .ofType('AWS::EC2::SecurityGroup')
          .filter(([key]) => /:ServiceCallers\//.test(key));
        expect(groups.length).toBeGreaterThan(0);
        for (const [key] of groups) {
          expect(graph.rulesOf(`\${${key}}`).filter((rule) => rule.direction === 'in')).toEqual([]);
        }
      });

      test('the admin API admits no service: nothing declares a call to it', () => {
        expect(callersOf('admin-api')).toEqual([]);
        expect(() => graph.find('ServiceCallers/AdminApi')).toThrow();
      });

      test.each(specs.map((s) => [s.name, s] as const))(
        "%s sends only HTTPS, to its callees' ports and to the database when declared",
        (service, spec) => {
          const out = graph.rulesOf(ownGroup(service)).filter((rule) => rule.direction === 'out');
          expect(out).toContainEqual(ANY_HTTPS);
          const others = out.filter((rule) => rule.peer !== '0.0.0.0/0');
          expect(others.map((rule) => rule.peer)).toEqual(spec.database ? [databaseGroup] : []);
          for (const callee of spec.calls ?? []) {
            const group = `\${${graph.find(`ServiceCallers/${pascalCase(callee)}`)[0]}}`;
            expect(graph.rulesOf(group).filter((r) => r.direction === 'out')).toEqual([
              {
                direction: 'out',
                peer: ownGroup(callee),
                fromPort: specs.find((s) => s.name === callee)!.port,
              },
            ]);
            expect(environmentOf(service)[urlVariableOf(callee)]).toMatch(/^http:\/\//);
          }
        },
      );

      test('the image worker reaches nothing but AWS APIs over HTTPS: no service, no database', () => {
        const groups = graph.groupsOfService(serviceKey('image-worker'));
        expect(groups).toEqual([ownGroup('image-worker')]);
        expect(graph.rulesOf(ownGroup('image-worker'))).toEqual([ANY_HTTPS]);
      });
    });

    describe('tokens', () => {
      test.each(specs.map((s) => [s.name, s.userPools ?? []] as const))(
        '%s gets the issuer, JWKS URL and client ID of exactly the pools it accepts (%j)',
        (service, pools) => {
          const env = environmentOf(service);
          for (const kind of ['product', 'console'] as const) {
            const accepts = (pools as readonly string[]).includes(kind);
            expect(AUTH.issuer(kind) in env).toBe(accepts);
            expect(AUTH.jwksUrl(kind) in env).toBe(accepts);
            expect(AUTH.clientId(kind) in env).toBe(accepts);
          }
          if (pools.length > 0) {
            expect(env[AUTH.pools]).toBe(pools.join(','));
            expect(env[AUTH.resourceServer]).toBe(config.identity.apiIdentifier);
            expect(
              String(env[AUTH.scopes])
                .split(' ')
                .every((s) => s.startsWith(`${config.identity.apiIdentifier}/`)),
            ).toBe(true);
          }
        },
      );

      test('the admin API accepts only the console pool', () => {
        expect(specs.find((s) => s.name === 'admin-api')!.userPools).toEqual(['console']);
        const env = environmentOf('admin-api');
        expect(JSON.stringify(env[AUTH.issuer('console')])).toMatch(/ConsolePool/);
        expect(JSON.stringify(env[AUTH.jwksUrl('console')])).toMatch(/\.well-known\/jwks\.json/);
      });
    });

    describe('lifecycle events', () => {
      test('the lifecycle worker consumes the identity lifecycle queue, and only it', () => {
        const worker = specs.find((s) => s.queue?.source === 'lifecycle-events')!;
        expect(worker.name).toBe('lifecycle-worker');
        const queue = `\${${graph.find('Lifecycle/Queue')[0]}}`;
        const env = environmentOf(worker.name);
        expect(JSON.stringify(env.QUEUE_URL)).toMatch(/LifecycleQueue/);
        const taskRole = `\${${graph.find(`${pascalCase(worker.name)}/Task/TaskRole`)[0]}}`;
        const sqsResources = [...graph.ofType('AWS::IAM::Policy')]
          .filter(([, policy]) => policy.properties.Roles.includes(taskRole))
          .flatMap(([, policy]) => policy.properties.PolicyDocument.Statement as any[])
          .filter((st) => [st.Action].flat().some((a: string) => a.startsWith('sqs:')))
          .flatMap((st) => [st.Resource].flat());
        expect([...new Set(sqsResources)]).toEqual([queue.replace(/\}$/, '.Arn}')]);
      });

      test("the topic's subscription sends undeliverable events to a dead-letter queue of its own", () => {
        const [, subscription] = graph.find(
          `Lifecycle/Queue/${PlatformStage.idOf(name)}IdentityLifecycleTopic`,
        );
        expect(subscription.properties.RedrivePolicy).toEqual({
          deadLetterTargetArn: expect.stringMatching(/Lifecycle\/DeliveryDeadLetterQueue\.Arn\}$/),
        });
      });
    });
  },
);

describe('services with a peered database', () => {
  const app = newTestApp();
  addPlatform(app, [
    validated(
      changed(developmentConfig('peered'), (d) => {
        d.database = peeredDatabase();
        d.application.services[1].database = 'read-only';
      }),
    ),
  ]);
  const graph = new StageGraph('Peered', app.synth());
  const peer = peeredDatabase();

  test("reach the database's own security group on its port from the service's group only", () => {
    const rules = graph
      .ofType('AWS::EC2::SecurityGroupIngress')
      .filter(([, rule]) => rule.properties.GroupId === peer.securityGroupId)
      .map(([, rule]) => rule.properties);
    const worker = `\${${graph.find('Worker/SecurityGroup')[0]}.GroupId}`;
    expect(rules.filter((rule) => rule.SourceSecurityGroupId === worker)).toEqual([
      expect.objectContaining({ FromPort: peer.port, ToPort: peer.port, IpProtocol: 'tcp' }),
    ]);
    const web = `\${${graph.find('Web/SecurityGroup')[0]}.GroupId}`;
    expect(rules.map((rule) => rule.SourceSecurityGroupId)).not.toContain(web);
  });
});
