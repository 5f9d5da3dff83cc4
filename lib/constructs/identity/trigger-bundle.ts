import { AssetHashType, BundlingOptions, DockerImage, ILocalBundling } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as path from 'path';
import type { TriggerHandler } from './trigger-function';

/** The repository's `lambda/` folder: one handler per sub-folder, shared code in `shared/`. */
const LAMBDA_ROOT = path.join(__dirname, '..', '..', '..', 'lambda');

/** The entry point of a handler. */
export function triggerEntry(handler: TriggerHandler): string {
  return path.join(LAMBDA_ROOT, handler, 'index.ts');
}

/**
 * The esbuild options of a trigger as deployed (also bundled so by
 * `npm run bench:lambda`): what NodejsFunction would pass to esbuild for a
 * minified CommonJS bundle for Node.js 24 with a linked source map
 * (`index.js`, `index.js.map`), the AWS SDK v3 left to the runtime, which
 * ships it, and pg's optional native binding, never used, left out. The
 * bundle is built in memory as if written beside its entry, so the source
 * map's paths, and therefore the asset hash, do not depend on where the
 * repository or `cdk.out` is.
 */
export function triggerBuildOptions(handler: TriggerHandler) {
  return {
    entryPoints: [triggerEntry(handler)],
    outfile: path.join(LAMBDA_ROOT, handler, 'index.js'),
    write: false,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node24',
    minify: true,
    sourcemap: true,
    external: ['@aws-sdk/*', 'pg-native'],
    logLevel: 'warning',
  } satisfies esbuild.BuildOptions;
}

/**
 * Asset bundling of one handler with esbuild's API, in this process. Its
 * fields (the esbuild options) are the asset's cache key: every function
 * that runs the handler, in every stage, gets the bundle of the first one
 * (see AssetStaging's cache), so a synth runs esbuild once per handler.
 */
class TriggerBundling implements BundlingOptions {
  /** Never pulled: local bundling either succeeds or throws, so Docker is never needed. */
  readonly image = DockerImage.fromRegistry('scratch');
  readonly local: ILocalBundling;

  constructor(readonly esbuildOptions: ReturnType<typeof triggerBuildOptions>) {
    this.local = {
      tryBundle(outputDir: string) {
        for (const file of esbuild.buildSync(esbuildOptions).outputFiles) {
          fs.writeFileSync(path.join(outputDir, path.basename(file.path)), file.contents);
        }
        return true;
      },
    };
  }
}

/**
 * The code of a trigger: its handler bundled by esbuild (see
 * {@link triggerBuildOptions}), hashed by the bundle's content. Skipped,
 * like any asset bundling, for stacks outside `aws:cdk:bundling-stacks`.
 */
export function triggerCode(handler: TriggerHandler): lambda.AssetCode {
  return lambda.Code.fromAsset(LAMBDA_ROOT, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: new TriggerBundling(triggerBuildOptions(handler)),
  });
}
