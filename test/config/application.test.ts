import { TIER_POLICIES, validateEnvironments } from '../../config';
import {
  changed,
  ConfigCase,
  developmentConfig,
  problemsOf,
  productionConfig,
  validated,
  webService,
  workerService,
} from '../helpers/config-builder';

const CERTIFICATE =
  'arn:aws:acm:ap-northeast-1:111111111111:certificate/00000000-0000-4000-8000-000000000000';
const US_CERTIFICATE = CERTIFICATE.replace('ap-northeast-1', 'us-east-1');
const dev = developmentConfig;
const prod = productionConfig;

describe('application configuration', () => {
  describe('accepts', () => {
    test('services with and without ingress, secrets, a queue and a certificate', () => {
      const env = changed(developmentConfig(), (d) => {
        d.application.certificateArn = CERTIFICATE;
        d.application.services.push({
          ...webService('grpc-api'),
          route: { pathPrefix: '/v1/grpc', healthCheckPath: '/health' },
          protocol: 'grpc',
          port: 50051,
        });
      });
      expect(() => validateEnvironments([env])).not.toThrow();
    });

    test('ECS Exec from the tier: on in development and staging, off in production', () => {
      expect(
        [TIER_POLICIES.development, TIER_POLICIES.staging, TIER_POLICIES.production].map(
          (p) => p.ecsExec,
        ),
      ).toEqual([true, true, false]);
      expect(validated(developmentConfig()).derived.ecsExecServices).toEqual(['web', 'worker']);
      expect(validated(productionConfig()).derived).toEqual(
        expect.objectContaining({ ecsExec: false, ecsExecServices: [] }),
      );
    });

    test('ECS Exec switched on in production explicitly, for the environment or one service', () => {
      const environmentWide = changed(productionConfig(), (d) => (d.application.ecsExec = true));
      expect(validated(environmentWide).derived).toEqual(
        expect.objectContaining({ ecsExec: true, ecsExecServices: ['web', 'worker'] }),
      );
      const oneService = changed(
        productionConfig(),
        (d) => (d.application.services[1].ecsExec = true),
      );
      expect(validated(oneService).derived).toEqual(
        expect.objectContaining({ ecsExec: false, ecsExecServices: ['worker'] }),
      );
    });

    test('ECS Exec switched off for one service where the environment has it on', () => {
      const env = changed(developmentConfig(), (d) => (d.application.services[0].ecsExec = false));
      expect(validated(env).derived.ecsExecServices).toEqual(['worker']);
    });

    test('a Datadog agent whose API key is an existing secret of the registry', () => {
      const env = changed(developmentConfig(), (d) => {
        d.secrets['datadog/api-key'] = {
          description: 'Datadog API key',
          secretArn: 'arn:aws:secretsmanager:ap-northeast-1:111111111111:secret:datadog-AbCdEf',
          kmsKeyArn:
            'arn:aws:kms:ap-northeast-1:111111111111:key/00000000-0000-4000-8000-000000000000',
        };
        d.application.datadog = { site: 'ap1.datadoghq.com', apiKeySecret: 'datadog/api-key' };
      });
      expect(() => validateEnvironments([env])).not.toThrow();
    });
  });

  describe('names the setting, the bad value and what is allowed', () => {
    test.each<ConfigCase>([
      [
        'two services have the same name',
        dev,
        (d) => d.application.services.push(workerService('web')),
        ['dev.application.services.2.name: "web" is used by another service; names must be unique'],
      ],
      [
        'two services have the same path prefix',
        dev,
        (d) => d.application.services.push(webService('web2')),
        [
          'dev.application.services.2.route.pathPrefix: "/" is already routed to service "web"; allowed: a prefix no other service uses',
        ],
      ],
      ...['v1/api', '/v1/api/', '/V1/Api', '/v1//api', '/v1/api*'].map((prefix): ConfigCase => [
        `the path prefix is malformed: ${prefix}`,
        dev,
        (d) => (d.application.services[0].route.pathPrefix = prefix),
        [
          `dev.application.services.0.route.pathPrefix: ${JSON.stringify(prefix)} is not a path prefix; allowed: "/" or "/segment[/segment...]" (lowercase, no trailing "/")`,
        ],
      ]),
      [
        'the cpu and memory are not a Fargate combination',
        dev,
        (d) => Object.assign(d.application.services[0], { cpu: 256, memoryMiB: 4096 }),
        [
          'dev.application.services.0.memoryMiB: 4096 is not a Fargate memory size for cpu 256; allowed: 512, 1024, 2048',
        ],
      ],
      [
        'the cpu is not a Fargate value',
        dev,
        (d) => (d.application.services[0].cpu = 300),
        [
          'dev.application.services.0.cpu: 300 is not a Fargate CPU value; allowed: 256, 512, 1024, 2048, 4096, 8192, 16384',
        ],
      ],
      [
        'minCount is greater than maxCount',
        dev,
        (d) => Object.assign(d.application.services[0], { minCount: 3, maxCount: 2 }),
        ['dev.application.services.0.minCount: 3 is greater than maxCount (2); allowed: 1-2'],
      ],
      [
        'desiredCount is outside minCount and maxCount',
        dev,
        (d) => (d.application.services[0].desiredCount = 5),
        ['dev.application.services.0.desiredCount: 5 is outside minCount-maxCount; allowed: 1-2'],
      ],
      [
        'production runs fewer than 2 tasks',
        prod,
        (d) => Object.assign(d.application.services[0], { minCount: 1, desiredCount: 1 }),
        [
          'prod.application.services.0.minCount: 1 is below 2, the minimum in production (one task per AZ survives an AZ failure)',
          'prod.application.services.0.desiredCount: 1 is below 2, the minimum in production (one task per AZ survives an AZ failure)',
        ],
      ],
      [
        'a secret is given as a plain value',
        dev,
        (d) => (d.application.services[0].secrets = { DATABASE_PASSWORD: 'hunter2hunter2' }),
        [
          `dev.application.services.0.secrets.DATABASE_PASSWORD: "hunter2hunter2" is not a registered secret; allowed: web/session-signing-key (the environment's secrets; declare others there)`,
        ],
      ],
      [
        'a secret names an unknown registry entry',
        dev,
        (d) => (d.application.services[0].secrets = { DATADOG_API_KEY: 'datadog/api-kee' }),
        [
          `dev.application.services.0.secrets.DATADOG_API_KEY: "datadog/api-kee" is not a registered secret; allowed: web/session-signing-key (the environment's secrets; declare others there)`,
        ],
      ],
      [
        'a secret names a registry entry with no secrets declared',
        dev,
        (d) => delete d.secrets,
        [
          `dev.application.services.0.secrets.SESSION_SIGNING_KEY: "web/session-signing-key" is not a registered secret; allowed: none (the environment's secrets; declare others there)`,
        ],
      ],
      [
        'a secret is a raw Secrets Manager name, not a registry name',
        dev,
        (d) => (d.application.services[0].secrets = { TOKEN: 'dev/Web_Token' }),
        [
          'dev.application.services.0.secrets.TOKEN: "dev/Web_Token" is not a registry name; allowed: lowercase words separated by "-", nested with "/" (e.g. "datadog/api-key")',
        ],
      ],
      [
        'the Datadog API key is not a registered secret',
        dev,
        (d) => (d.application.datadog = { site: 'datadoghq.com', apiKeySecret: 'datadog/api-key' }),
        [
          `dev.application.datadog.apiKeySecret: "datadog/api-key" is not a registered secret; allowed: web/session-signing-key (the environment's secrets; declare others there)`,
        ],
      ],
      [
        'the database access is not read-write or read-only',
        dev,
        (d) => (d.application.services[0].database = 'admin'),
        [
          'dev.application.services.0.database: "admin" is not allowed; allowed: "read-write", "read-only"',
        ],
      ],
      [
        'a service with database access takes the name of a platform role',
        dev,
        (d) =>
          Object.assign(d.application.services[1], { name: 'operator', database: 'read-only' }),
        [
          'dev.application.services.1.name: "operator" is the name of a platform database role, which a service with database access would take; not allowed: identity-triggers, operator',
        ],
      ],
      [
        'a service accepts tokens of an unknown user pool',
        dev,
        (d) => (d.application.services[0].userPools = ['partner']),
        [
          'dev.application.services.0.userPools.0: "partner" is not allowed; allowed: "product", "console"',
        ],
      ],
      [
        'a service lists a user pool twice',
        dev,
        (d) => (d.application.services[0].userPools = ['product', 'product']),
        ['dev.application.services.0.userPools.1: "product" is listed twice'],
      ],
      [
        'two services consume the lifecycle events',
        dev,
        (d) => {
          d.application.services[1].queue = { source: 'lifecycle-events', messagesPerTask: 10 };
          d.application.services.push({
            ...workerService('audit-worker'),
            queue: { source: 'lifecycle-events', messagesPerTask: 10 },
          });
        },
        [
          'dev.application.services.2.queue.source: "lifecycle-events" is already consumed by service "worker"; one service consumes the lifecycle events (a second would take its messages)',
        ],
      ],
      [
        'a queue has no source',
        dev,
        (d) => delete d.application.services[1].queue.source,
        [
          'dev.application.services.1.queue.source: is not allowed; allowed: "own", "lifecycle-events"',
        ],
      ],
      [
        'the lifecycle queue is given settings of an own queue',
        dev,
        (d) =>
          (d.application.services[1].queue = {
            source: 'lifecycle-events',
            messagesPerTask: 10,
            maxReceiveCount: 3,
          }),
        [
          'dev.application.services.1.queue.maxReceiveCount: is not a known setting (check the spelling in config/schema.ts)',
        ],
      ],
      [
        'a service calls more services than its tasks can carry security groups for',
        dev,
        (d) => {
          const servers = ['a1', 'a2', 'a3', 'a4', 'a5'].map((name, i) => ({
            ...webService(name),
            route: { pathPrefix: `/${name}`, healthCheckPath: '/health' },
            port: 4000 + i,
          }));
          d.application.services.push(...servers);
          d.application.services[1].calls = servers.map((server) => server.name);
        },
        [
          'dev.application.services.1.calls: ["a1","a2","a3","a4","a5"] has more than 4 services; a task carries at most 5 security groups (its own and one per called service)',
        ],
      ],
      [
        'a secret of the environment takes a name the platform registers',
        dev,
        (d) => (d.secrets['database/api'] = { description: 'Sneaky' }),
        [
          'dev.secrets.database/api: {"description":"Sneaky"} is a name the platform registers itself (database/...); choose another, e.g. "<system>/<secret>"',
        ],
      ],
      [
        'a secret of the environment has a KMS key but no ARN',
        dev,
        (d) =>
          (d.secrets['web/session-signing-key'].kmsKeyArn =
            'arn:aws:kms:ap-northeast-1:111111111111:key/00000000-0000-4000-8000-000000000000'),
        [
          'dev.secrets.web/session-signing-key.kmsKeyArn: "arn:aws:kms:ap-northeast-1:111111111111:key/00000000-0000-4000-8000-000000000000" is set without secretArn; a secret the app creates uses the AWS managed key',
        ],
      ],
      [
        'a secret of the environment has a partial ARN',
        dev,
        (d) =>
          (d.secrets['web/session-signing-key'].secretArn =
            'arn:aws:secretsmanager:ap-northeast-1:111111111111:secret:web'),
        [
          'dev.secrets.web/session-signing-key.secretArn: "arn:aws:secretsmanager:ap-northeast-1:111111111111:secret:web" is not a complete Secrets Manager secret ARN; expected arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>',
        ],
      ],
      [
        'a secret of the environment has no description',
        dev,
        (d) => (d.secrets['web/session-signing-key'].description = ' '),
        [
          'dev.secrets.web/session-signing-key.description: " " is empty; say what the secret is and who provides it',
        ],
      ],
      [
        'a plain environment variable looks like a secret',
        dev,
        (d) => (d.application.services[0].environment = { STRIPE_API_KEY: 'sk_live_x' }),
        [
          'dev.application.services.0.environment.STRIPE_API_KEY: "sk_live_x" has a name that looks secret; deliver it through secrets (Secrets Manager), never as a plain value',
        ],
      ],
      [
        'a variable is both plain and secret',
        dev,
        (d) =>
          Object.assign(d.application.services[0], {
            environment: { DB_USER: 'app' },
            secrets: { DB_USER: 'web/session-signing-key' },
          }),
        [
          'dev.application.services.0.environment.DB_USER: "app" is also defined in secrets; one variable, one source',
        ],
      ],
      [
        'a routed service has no port',
        dev,
        (d) => delete d.application.services[0].port,
        [
          'dev.application.services.0.port: is required because route.pathPrefix "/" routes load-balancer traffic to the service',
        ],
      ],
      [
        'a route has no health check path',
        dev,
        (d) => delete d.application.services[0].route.healthCheckPath,
        ['dev.application.services.0.route.healthCheckPath: is required (a string)'],
      ],
      [
        'a gRPC service is routed without a certificate',
        dev,
        (d) => (d.application.services[0].protocol = 'grpc'),
        [
          'dev.application.services.0.protocol: "grpc" needs an HTTPS listener (application.certificateArn or edge.hostedZone): the load balancer speaks HTTP/2 and gRPC to targets only behind one',
        ],
      ],
      [
        'the certificate is not an ACM ARN',
        dev,
        (d) => (d.application.certificateArn = 'arn:aws:iam::111111111111:server-certificate/x'),
        [
          'dev.application.certificateArn: "arn:aws:iam::111111111111:server-certificate/x" is not an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)',
        ],
      ],
      [
        'the certificate is in another region',
        dev,
        (d) => (d.application.certificateArn = US_CERTIFICATE),
        [
          `dev.application.certificateArn: "${US_CERTIFICATE}" is in us-east-1; the load balancer needs a certificate of its own region ap-northeast-1`,
        ],
      ],
      [
        'production uses Fargate Spot',
        prod,
        (d) => (d.application.fargateSpot = true),
        [
          'prod.application.fargateSpot: true is not allowed in production: Spot tasks can be stopped with two minutes notice; allowed: false',
        ],
      ],
      [
        'production runs a routed service on Fargate Spot',
        prod,
        (d) => (d.application.services[0].fargateSpot = true),
        [
          'prod.application.services.0.fargateSpot: true is not allowed in production for a routed service: a Spot task can be stopped with two minutes notice while it serves requests; allowed: false, or a worker (no route)',
        ],
      ],
      [
        'a service names an unknown CPU architecture',
        dev,
        (d) => (d.application.services[0].cpuArchitecture = 'riscv64'),
        [
          'dev.application.services.0.cpuArchitecture: "riscv64" is not allowed; allowed: "arm64", "x86_64"',
        ],
      ],
      [
        'ECS Exec is not a boolean',
        prod,
        (d) => (d.application.ecsExec = 'on'),
        ['prod.application.ecsExec: "on" is not a boolean'],
      ],
      [
        "a service's ECS Exec is not a boolean",
        dev,
        (d) => (d.application.services[0].ecsExec = 1),
        ['dev.application.services.0.ecsExec: 1 is not a boolean'],
      ],
      [
        'the mesh is unknown',
        dev,
        (d) => (d.application.mesh = 'istio'),
        ['dev.application.mesh: "istio" is not allowed; allowed: "service-connect", "app-mesh"'],
      ],
      [
        'the tracing sidecar is unknown',
        dev,
        (d) => (d.application.tracing = 'jaeger'),
        ['dev.application.tracing: "jaeger" is not allowed; allowed: "xray-daemon", "otel"'],
      ],
      [
        'there is no service',
        dev,
        (d) => (d.application.services = []),
        ['dev.application.services: [] is empty; allowed: one or more services'],
      ],
      [
        'the deregistration delay is out of range',
        dev,
        (d) => (d.application.deregistrationDelaySeconds = 7200),
        ['dev.application.deregistrationDelaySeconds: 7200 is out of range; allowed: 0-3600'],
      ],
      [
        'the queue would never move a message to the dead-letter queue',
        dev,
        (d) => (d.application.services[1].queue.maxReceiveCount = 0),
        ['dev.application.services.1.queue.maxReceiveCount: 0 is out of range; allowed: 1-1000'],
      ],
      [
        'a service calls a service that does not exist',
        dev,
        (d) => (d.application.services[0].calls = ['billing']),
        [
          'dev.application.services.0.calls.0: "billing" is not a service; allowed: none (no other service has a port)',
        ],
      ],
      [
        'a service calls itself or a service without a port',
        dev,
        (d) => (d.application.services[0].calls = ['web', 'worker']),
        [
          'dev.application.services.0.calls.0: "web" is the service itself; a service reaches itself without the mesh',
          'dev.application.services.0.calls.1: "worker" has no port, so nothing can call it',
        ],
      ],
      [
        'an App Mesh environment routes a gRPC service through the gateway',
        dev,
        (d) => {
          d.application.mesh = 'app-mesh';
          d.application.certificateArn = CERTIFICATE;
          d.application.services[0].protocol = 'grpc';
        },
        [
          `dev.application.services.0.protocol: "grpc" is not routable through the App Mesh virtual gateway, whose listener speaks HTTP/1.1; allowed with mesh 'app-mesh': http`,
        ],
      ],
      [
        'the Datadog site is not a Datadog site',
        dev,
        (d) =>
          (d.application.datadog = {
            site: 'example.com',
            apiKeySecret: 'web/session-signing-key',
          }),
        [
          'dev.application.datadog.site: "example.com" is not a Datadog site such as "datadoghq.com"',
        ],
      ],
    ])('fails when %s', (_, base, change, expected) => {
      expect(problemsOf(changed(base(), change))).toEqual(expected);
    });

    test('fails when the port is one a sidecar uses', () => {
      const [problem] = problemsOf(
        changed(developmentConfig(), (d) => {
          d.application.services[0].port = 2000;
        }),
      );
      expect(problem).toMatch(
        /^dev\.application\.services\.0\.port: 2000 is used by a sidecar; not allowed: 2000, /,
      );
    });
  });
});
