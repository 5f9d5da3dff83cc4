import { validateEnvironments } from '../../config';
import {
  changed,
  developmentConfig,
  problemsOf,
  productionConfig,
  webService,
  workerService,
} from '../helpers/config-builder';

const CERTIFICATE =
  'arn:aws:acm:ap-northeast-1:111111111111:certificate/00000000-0000-4000-8000-000000000000';

describe('application configuration', () => {
  describe('accepts', () => {
    test('services with and without ingress, secrets, a queue and a certificate', () => {
      const env = changed(developmentConfig(), (d) => {
        d.application.certificateArn = CERTIFICATE;
        d.application.services.push({
          ...webService('grpc-api'),
          pathPrefix: '/v1/grpc',
          protocol: 'grpc',
          port: 50051,
        });
      });
      expect(() => validateEnvironments([env])).not.toThrow();
    });

    test('a Datadog agent whose API key comes from Secrets Manager', () => {
      const env = changed(developmentConfig(), (d) => {
        d.application.datadog = {
          site: 'ap1.datadoghq.com',
          apiKeySecret: { secretName: 'dev/datadog', jsonField: 'apiKey' },
        };
      });
      expect(() => validateEnvironments([env])).not.toThrow();
    });
  });

  describe('names the setting, the bad value and what is allowed', () => {
    test('fails when two services have the same name', () => {
      const env = changed(developmentConfig(), (d) => {
        d.application.services.push({ ...workerService('web') });
      });
      expect(problemsOf(env)).toEqual([
        'dev.application.services.2.name: "web" is used by another service; names must be unique',
      ]);
    });

    test('fails when two services have the same path prefix', () => {
      const env = changed(developmentConfig(), (d) => {
        d.application.services.push({ ...webService('web2') });
      });
      expect(problemsOf(env)).toEqual([
        'dev.application.services.2.pathPrefix: "/" is already routed to service "web"; allowed: a prefix no other service uses',
      ]);
    });

    test.each(['v1/api', '/v1/api/', '/V1/Api', '/v1//api', '/v1/api*'])(
      'fails when the path prefix is malformed: %s',
      (prefix) => {
        const env = changed(developmentConfig(), (d) => {
          d.application.services[0].pathPrefix = prefix;
        });
        expect(problemsOf(env)).toEqual([
          `dev.application.services.0.pathPrefix: ${JSON.stringify(prefix)} is not a path prefix; allowed: "/" or "/segment[/segment...]" (lowercase, no trailing "/")`,
        ]);
      },
    );

    test('fails when the cpu and memory are not a Fargate combination', () => {
      const env = changed(developmentConfig(), (d) => {
        d.application.services[0].cpu = 256;
        d.application.services[0].memoryMiB = 4096;
      });
      expect(problemsOf(env)).toEqual([
        'dev.application.services.0.memoryMiB: 4096 is not a Fargate memory size for cpu 256; allowed: 512, 1024, 2048',
      ]);
    });

    test('fails when the cpu is not a Fargate value', () => {
      const env = changed(developmentConfig(), (d) => {
        d.application.services[0].cpu = 300;
      });
      expect(problemsOf(env)).toEqual([
        'dev.application.services.0.cpu: 300 is not a Fargate CPU value; allowed: 256, 512, 1024, 2048, 4096, 8192, 16384',
      ]);
    });

    test('fails when minCount is greater than maxCount', () => {
      const env = changed(developmentConfig(), (d) => {
        d.application.services[0].minCount = 3;
        d.application.services[0].maxCount = 2;
      });
      expect(problemsOf(env)).toEqual([
        'dev.application.services.0.minCount: 3 is greater than maxCount (2); allowed: 1-2',
      ]);
    });

    test('fails when desiredCount is outside minCount and maxCount', () => {
      const env = changed(developmentConfig(), (d) => {
        d.application.services[0].desiredCount = 5;
      });
      expect(problemsOf(env)).toEqual([
        'dev.application.services.0.desiredCount: 5 is outside minCount-maxCount; allowed: 1-2',
      ]);
    });

    test('fails when production runs fewer than 2 tasks', () => {
      const env = changed(productionConfig(), (d) => {
        d.application.services[0].minCount = 1;
        d.application.services[0].desiredCount = 1;
      });
      expect(problemsOf(env)).toEqual([
        'prod.application.services.0.minCount: 1 is below 2, the minimum in production (one task per AZ survives an AZ failure)',
        'prod.application.services.0.desiredCount: 1 is below 2, the minimum in production (one task per AZ survives an AZ failure)',
      ]);
    });

    test('fails when a secret is given as a plain value', () => {
      const env = changed(developmentConfig(), (d) => {
        d.application.services[0].secrets = { DATABASE_PASSWORD: 'hunter2hunter2' };
      });
      expect(problemsOf(env)).toEqual([
        'dev.application.services.0.secrets.DATABASE_PASSWORD: "hunter2hunter2" is a plain value; a secret must reference Secrets Manager: { secretName, jsonField? }',
      ]);
    });

    test('fails when a plain environment variable looks like a secret', () => {
      const env = changed(developmentConfig(), (d) => {
        d.application.services[0].environment = { STRIPE_API_KEY: 'sk_live_x' };
      });
      expect(problemsOf(env)).toEqual([
        'dev.application.services.0.environment.STRIPE_API_KEY: "sk_live_x" has a name that looks secret; deliver it through secrets (Secrets Manager), never as a plain value',
      ]);
    });

    test('fails when a variable is both plain and secret', () => {
      const env = changed(developmentConfig(), (d) => {
        d.application.services[0].environment = { DB_USER: 'app' };
        d.application.services[0].secrets = { DB_USER: { secretName: 'dev/db' } };
      });
      expect(problemsOf(env)).toEqual([
        'dev.application.services.0.environment.DB_USER: "app" is also defined in secrets; one variable, one source',
      ]);
    });

    test('fails when a secret name has characters Secrets Manager rejects', () => {
      const env = changed(developmentConfig(), (d) => {
        d.application.services[0].secrets = { DB: { secretName: 'dev db!' } };
      });
      expect(problemsOf(env)).toEqual([
        'dev.application.services.0.secrets.DB.secretName: "dev db!" is not a Secrets Manager secret name; allowed: letters, digits and /_+=.@-',
      ]);
    });

    test('fails when a routed service has no port or health check path', () => {
      const env = changed(developmentConfig(), (d) => {
        delete d.application.services[0].port;
        delete d.application.services[0].healthCheckPath;
      });
      expect(problemsOf(env)).toEqual([
        'dev.application.services.0.port: is required because pathPrefix "/" routes load-balancer traffic to the service',
        'dev.application.services.0.healthCheckPath: is required because pathPrefix "/" routes load-balancer traffic to the service',
      ]);
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

    test('fails when a gRPC service is routed without a certificate', () => {
      const env = changed(developmentConfig(), (d) => {
        d.application.services[0].protocol = 'grpc';
      });
      expect(problemsOf(env)).toEqual([
        'dev.application.services.0.protocol: "grpc" needs certificateArn: the load balancer speaks HTTP/2 and gRPC to targets only behind an HTTPS listener',
      ]);
    });

    test('fails when the certificate is not an ACM ARN', () => {
      const env = changed(developmentConfig(), (d) => {
        d.application.certificateArn = 'arn:aws:iam::111111111111:server-certificate/x';
      });
      expect(problemsOf(env)).toEqual([
        'dev.application.certificateArn: "arn:aws:iam::111111111111:server-certificate/x" is not an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)',
      ]);
    });

    test('fails when the certificate is in another region', () => {
      const env = changed(developmentConfig(), (d) => {
        d.application.certificateArn = CERTIFICATE.replace('ap-northeast-1', 'us-east-1');
      });
      expect(problemsOf(env)).toEqual([
        `dev.application.certificateArn: "${CERTIFICATE.replace('ap-northeast-1', 'us-east-1')}" is in us-east-1; the load balancer needs a certificate of its own region ap-northeast-1`,
      ]);
    });

    test('fails when production uses Fargate Spot', () => {
      const env = changed(productionConfig(), (d) => {
        d.application.fargateSpot = true;
      });
      expect(problemsOf(env)).toEqual([
        'prod.application.fargateSpot: true is not allowed in production: Spot tasks can be stopped with two minutes notice; allowed: false',
      ]);
    });

    test('fails when the mesh is unknown', () => {
      const env = changed(developmentConfig(), (d) => {
        d.application.mesh = 'istio';
      });
      expect(problemsOf(env)).toEqual([
        'dev.application.mesh: "istio" is not allowed; allowed: "service-connect"',
      ]);
    });

    test('fails when the tracing sidecar is unknown', () => {
      const env = changed(developmentConfig(), (d) => {
        d.application.tracing = 'jaeger';
      });
      expect(problemsOf(env)).toEqual([
        'dev.application.tracing: "jaeger" is not allowed; allowed: "xray-daemon", "otel"',
      ]);
    });

    test('fails when there is no service', () => {
      const env = changed(developmentConfig(), (d) => {
        d.application.services = [];
      });
      expect(problemsOf(env)).toEqual([
        'dev.application.services: [] is empty; allowed: one or more services',
      ]);
    });

    test('fails when the deregistration delay is out of range', () => {
      const env = changed(developmentConfig(), (d) => {
        d.application.deregistrationDelaySeconds = 7200;
      });
      expect(problemsOf(env)).toEqual([
        'dev.application.deregistrationDelaySeconds: 7200 is out of range; allowed: 0-3600',
      ]);
    });

    test('fails when the queue would never move a message to the dead-letter queue', () => {
      const env = changed(developmentConfig(), (d) => {
        d.application.services[1].queue.maxReceiveCount = 0;
      });
      expect(problemsOf(env)).toEqual([
        'dev.application.services.1.queue.maxReceiveCount: 0 is out of range; allowed: 1-1000',
      ]);
    });

    test('fails when the Datadog site is not a Datadog site', () => {
      const env = changed(developmentConfig(), (d) => {
        d.application.datadog = {
          site: 'example.com',
          apiKeySecret: { secretName: 'dev/datadog' },
        };
      });
      expect(problemsOf(env)).toEqual([
        'dev.application.datadog.site: "example.com" is not a Datadog site such as "datadoghq.com"',
      ]);
    });
  });
});
