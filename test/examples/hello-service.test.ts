import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_PORTS, HEALTH_PATHS, portsOf, respond } from '../../examples/hello-service/hello';
import { platformServices } from '../../config/shared';

const EXAMPLE = path.join(__dirname, '../../examples/hello-service');
const services = platformServices({ desiredCount: 1, minCount: 1, maxCount: 1 });

describe('examples/hello-service', () => {
  test('answers the health check of every routed platform service with 200', () => {
    const routed = services.filter((s) => s.route);
    expect(routed.length).toBeGreaterThan(0);
    for (const service of routed) {
      expect(HEALTH_PATHS).toContain(service.route!.healthCheckPath);
      const answer = respond('GET', `${service.route!.healthCheckPath}?probe=1`);
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({ status: 'ok' });
    }
  });

  test('listens by default on the port of every routed platform service', () => {
    for (const service of services.filter((s) => s.route)) {
      expect(portsOf()).toContain(service.port);
    }
    expect(portsOf(DEFAULT_PORTS)).toEqual([3000, 8080]);
    expect(portsOf(' 9000 ')).toEqual([9000]);
  });

  test('greets any other path, as the image of any routed service', () => {
    const answer = respond('GET', '/v1/api/users');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(JSON.parse(answer.body)).toEqual({
      message: 'Hello from the platform',
      path: '/v1/api/users',
    });
    expect(respond('HEAD', '/').status).toBe(200);
  });

  test('refuses other methods with 405, naming the allowed ones', () => {
    const answer = respond('POST', '/');
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe('GET, HEAD');
  });

  test.each(['80', 'http', '3000,', '70000'])('fails when PORTS has %p', (ports) => {
    expect(() => portsOf(ports)).toThrow('is not a port; allowed: 1024-65535, comma-separated');
  });

  test('is built from a pinned Node.js image, run as an unprivileged user, never latest', () => {
    const dockerfile = fs.readFileSync(path.join(EXAMPLE, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:\d+\.\d+\.\d+-alpine\d+\.\d+$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).not.toMatch(/:latest\b/);
  });
});

describe('the README', () => {
  test('shows the caller workflow exactly as examples/hello-service has it', () => {
    const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
    const caller = fs.readFileSync(path.join(EXAMPLE, '.github/workflows/publish.yml'), 'utf8');
    expect(readme).toContain(`\`\`\`yaml\n${caller}\`\`\``);
  });
});
