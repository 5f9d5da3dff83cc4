import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const CONFIG_DIR = path.join(__dirname, '..', '..', 'config');
const SCHEMA_FILES = fs
  .readdirSync(CONFIG_DIR)
  .filter((file) => file === 'schema.ts' || file.endsWith('-schema.ts'))
  .map((file) => path.join(CONFIG_DIR, file));

/** `<file>: <key>` of every key of a `z.strictObject({...})` shape without a JSDoc comment. */
function undocumentedKeys(file: string): string[] {
  const source = ts.createSourceFile(
    file,
    fs.readFileSync(file, 'utf8'),
    ts.ScriptTarget.ES2022,
    true,
  );
  const missing: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      ['strictObject', 'object'].includes(node.expression.name.text) &&
      node.arguments[0] &&
      ts.isObjectLiteralExpression(node.arguments[0])
    ) {
      for (const property of node.arguments[0].properties) {
        if (ts.getJSDocCommentsAndTags(property).length === 0) {
          missing.push(`${path.basename(file)}: ${property.name?.getText(source)}`);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return missing;
}

describe('the config schemas document themselves', () => {
  test('every setting of every schema has a doc comment', () => {
    expect(SCHEMA_FILES.length).toBeGreaterThan(5);
    expect(SCHEMA_FILES.flatMap(undocumentedKeys)).toEqual([]);
  });
});
