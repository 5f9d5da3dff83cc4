import { loadEnvironments } from '../../config';
import { APP_MESH_REFERENCE_CONTEXT } from '../../lib/app-mesh-reference';
import { pinnedImage, PINS } from '../../lib/pins';
import { addPlatform } from '../../lib/platform-app';
import { newTestApp, synthesizedApp } from '../helpers/test-app';

interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, any>;
}

/** The external values a template carries: images, TLS policies, engine versions, runtimes. */
function pinnedValuesOf(template: { Resources?: Record<string, Resource> }): string[] {
  return Object.values(template.Resources ?? {})
    .flatMap((resource): unknown[] => {
      const p = resource.Properties ?? {};
      switch (resource.Type) {
        case 'AWS::ECS::TaskDefinition':
          // Strings only: the services' own images are references to their ECR repositories.
          return (p.ContainerDefinitions ?? []).map((c: { Image: unknown }) => c.Image);
        case 'AWS::ElasticLoadBalancingV2::Listener':
          return [p.SslPolicy];
        case 'AWS::CloudFront::Distribution':
          return [
            p.DistributionConfig?.ViewerCertificate?.MinimumProtocolVersion,
            ...(p.DistributionConfig?.Origins ?? []).flatMap(
              (o: { CustomOriginConfig?: { OriginSSLProtocols?: string[] } }) =>
                o.CustomOriginConfig?.OriginSSLProtocols ?? [],
            ),
          ];
        case 'AWS::CloudFront::VpcOrigin':
          return p.VpcOriginEndpointConfig?.OriginSSLProtocols ?? [];
        case 'AWS::RDS::DBCluster':
          return [p.EngineVersion];
        case 'AWS::Lambda::Function':
          return [p.Runtime];
        default:
          return [];
      }
    })
    .filter((value): value is string => typeof value === 'string');
}

function pinnedValuesOfApp(assembly: ReturnType<ReturnType<typeof newTestApp>['synth']>): string[] {
  return assembly.stacksRecursively.flatMap((stack) => pinnedValuesOf(stack.template));
}

describe('the pin register (lib/pins.ts)', () => {
  // Images run by their digest where one is recorded (lib/image-digests.json).
  const registered = new Set(
    Object.values(PINS).map((pin) =>
      pin.kind === 'container image' ? pinnedImage(pin) : pin.value,
    ),
  );

  test('holds every image, TLS policy, engine version and runtime of the shipped templates', () => {
    const values = pinnedValuesOfApp(synthesizedApp().assembly);
    expect(values).toEqual(expect.arrayContaining([pinnedImage(PINS.fluentBitImage)]));
    expect([...new Set(values)].filter((value) => !registered.has(value))).toEqual([]);
  });

  test('holds every image of the App Mesh reference design', () => {
    const app = newTestApp({ context: { [APP_MESH_REFERENCE_CONTEXT]: 'true' } });
    addPlatform(app, loadEnvironments('dev', undefined, { mesh: 'app-mesh' }));
    const values = pinnedValuesOfApp(app.synth());
    expect(values).toContain(pinnedImage(PINS.envoyImage));
    expect([...new Set(values)].filter((value) => !registered.has(value))).toEqual([]);
  });

  test.each(Object.entries(PINS))('%s has its source, check date and review date', (_name, pin) => {
    expect(pin.source).toMatch(/https:\/\/|aws-cdk-lib \d/);
    expect(pin.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(pin.reviewBy).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(pin.reviewReason.length).toBeGreaterThan(10);
    if (!('referenceDesignOnly' in pin)) {
      expect(pin.reviewBy > pin.checked).toBe(true);
    }
  });

  test('pins no moving image tag', () => {
    for (const pin of Object.values(PINS).filter((p) => p.kind === 'container image')) {
      expect(pin.value).toMatch(/:[\w.-]+$/);
      expect(pin.value).not.toMatch(/:(latest|stable|\d+)$/);
    }
  });
});
