import { AssetHashType, BundlingOptions, DockerImage, ILocalBundling } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as path from 'path';

/** The repository root. */
const PROJECT_ROOT = path.join(__dirname, '..', '..', '..');
/** The repository's `lambda/` folder: one handler per sub-folder, shared code in `shared/`. */
const LAMBDA_ROOT = path.join(PROJECT_ROOT, 'lambda');

/** The entry point of a handler (`lambda/<handler>/index.ts`). */
export function handlerEntry(handler: string): string {
  return path.join(LAMBDA_ROOT, handler, 'index.ts');
}

/**
 * The esbuild options of a handler as deployed (also bundled so by
 * `npm run bench:lambda`): what NodejsFunction would pass to esbuild for a
 * minified CommonJS bundle for Node.js 24 with a linked source map
 * (`index.js`, `index.js.map`), the AWS SDK v3 left to the runtime, which
 * ships it, and pg's optional native binding, never used, left out. The
 * bundle is built in memory as if written beside its entry, so the source
 * map's paths, and therefore the asset hash, do not depend on where the
 * repository or `cdk.out` is.
 */
export function handlerBuildOptions(handler: string) {
  return {
    entryPoints: [handlerEntry(handler)],
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

/** Files of the repository copied into the asset beside the bundle. */
export interface BundledFiles {
  /** The folder to copy from, relative to the repository root (e.g. `db/migrations`). */
  readonly from: string;
  /** The folder inside the asset (e.g. `migrations`). */
  readonly to: string;
  /** Only files whose names end so (e.g. `.sql`). */
  readonly extension: string;
}

/**
 * Asset bundling of one handler with esbuild's API, in this process. Its
 * fields (the esbuild options and the copied files) are the asset's cache
 * key: every function that runs the handler, in every stage, gets the
 * bundle of the first one (see AssetStaging's cache), so a synth runs
 * esbuild once per handler.
 */
class HandlerBundling implements BundlingOptions {
  /** Never pulled: local bundling either succeeds or throws, so Docker is never needed. */
  readonly image = DockerImage.fromRegistry('scratch');
  readonly local: ILocalBundling;

  constructor(
    readonly esbuildOptions: ReturnType<typeof handlerBuildOptions>,
    readonly files: readonly BundledFiles[],
  ) {
    this.local = {
      tryBundle(outputDir: string) {
        for (const file of esbuild.buildSync(esbuildOptions).outputFiles) {
          fs.writeFileSync(path.join(outputDir, path.basename(file.path)), file.contents);
        }
        for (const { from, to, extension } of files) {
          const source = path.join(PROJECT_ROOT, from);
          fs.mkdirSync(path.join(outputDir, to), { recursive: true });
          for (const name of fs.readdirSync(source).filter((n) => n.endsWith(extension))) {
            fs.copyFileSync(path.join(source, name), path.join(outputDir, to, name));
          }
        }
        return true;
      },
    };
  }
}

/**
 * The code of a handler: `lambda/<handler>` bundled by esbuild (see
 * {@link handlerBuildOptions}) with `files` beside it, hashed by the
 * output, so a changed file (a new migration) gives a new asset. Skipped,
 * like any asset bundling, for stacks outside `aws:cdk:bundling-stacks`.
 */
export function handlerCode(
  handler: string,
  files: readonly BundledFiles[] = [],
): lambda.AssetCode {
  return lambda.Code.fromAsset(LAMBDA_ROOT, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: new HandlerBundling(handlerBuildOptions(handler), files),
  });
}
