import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { handlerCode } from '../../../lib/constructs/identity/handler-bundle';
import { TriggerHandler } from '../../../lib/constructs/identity/trigger-function';

/** The S3 key (`<asset hash>.zip`) of every function, by `<stack id>/<function id>`. */
function codeKeys(app: App): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const stack of app.node.children.filter(Stack.isStack)) {
    for (const fn of stack.node.children.filter((c) => c instanceof lambda.Function)) {
      const code = stack.resolve((fn.node.defaultChild as lambda.CfnFunction).code);
      keys[`${stack.node.id}/${fn.node.id}`] = code.s3Key;
    }
  }
  return keys;
}

/** Two stacks (as two stages would have), each with functions of the given handlers. */
function appWith(handlers: readonly TriggerHandler[], outdir: string): App {
  const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': ['**'] } });
  for (const stackId of ['First', 'Second']) {
    const stack = new Stack(app, stackId);
    handlers.forEach((handler, index) => {
      new lambda.Function(stack, `Fn${index}`, {
        code: handlerCode(handler),
        handler: 'index.handler',
        runtime: lambda.Runtime.NODEJS_24_X,
      });
    });
  }
  return app;
}

describe('handlerCode', () => {
  const outdirs: string[] = [];
  const newOutdir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'handler-bundle-'));
    outdirs.push(dir);
    return dir;
  };
  afterAll(() => outdirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  describe('given four functions of one handler and two of another, in two stacks', () => {
    const outdir = newOutdir();
    const app = appWith(['pre-sign-up', 'pre-sign-up', 'post-confirmation'], outdir);
    const keys = codeKeys(app);
    const assembly = app.synth();
    const assetDirs = fs
      .readdirSync(assembly.directory)
      .filter((name) => name.startsWith('asset.'));

    test('bundles each handler once: the functions of a handler share one asset', () => {
      expect(new Set(Object.values(keys)).size).toBe(2);
      expect(keys['First/Fn0']).toBe(keys['First/Fn1']);
      expect(keys['First/Fn0']).toBe(keys['Second/Fn1']);
      expect(keys['First/Fn2']).toBe(keys['Second/Fn2']);
      expect(keys['First/Fn2']).not.toBe(keys['First/Fn0']);
      expect(assetDirs).toHaveLength(2);
    });

    test('writes a minified CommonJS index.js with its source map, the AWS SDK left to the runtime', () => {
      const bundleOf = (key: string) =>
        path.join(assembly.directory, `asset.${key.replace(/\.zip$/, '')}`);
      const dir = bundleOf(keys['First/Fn2']);
      expect(fs.readdirSync(dir).sort()).toEqual(['index.js', 'index.js.map']);
      const code = fs.readFileSync(path.join(dir, 'index.js'), 'utf8');
      expect(code).toContain('require("@aws-sdk/client-sns")');
      expect(code).toMatch(/\/\/# sourceMappingURL=index\.js\.map\n?$/);
      expect(code.split('\n').length).toBeLessThan(50);
      const map = JSON.parse(fs.readFileSync(path.join(dir, 'index.js.map'), 'utf8'));
      expect(map.sources).toContain('index.ts');
      expect(map.sources).toContain('../shared/database.ts');
    });

    test('hashes the bundle by content, whatever the output directory', () => {
      expect(codeKeys(appWith(['pre-sign-up', 'post-confirmation'], newOutdir()))).toEqual({
        'First/Fn0': keys['First/Fn0'],
        'First/Fn1': keys['First/Fn2'],
        'Second/Fn0': keys['First/Fn0'],
        'Second/Fn1': keys['First/Fn2'],
      });
    });
  });
});
