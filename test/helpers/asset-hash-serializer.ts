import type { Config, Printer, Refs } from 'pretty-format';
import { maskAssetHashes } from '../../tools/asset-hash';

/**
 * Jest snapshot serializer (registered in jest.config.js) that replaces CDK
 * asset hashes (Lambda code, Docker images, nested templates) with a fixed
 * marker, so a snapshot changes when a setting changes, not when handler code
 * is edited. The module itself is the plugin: it exports `test` and `serialize`.
 */

export function test(value: unknown): boolean {
  return typeof value === 'string' && maskAssetHashes(value) !== value;
}

export function serialize(
  value: string,
  config: Config,
  indentation: string,
  depth: number,
  refs: Refs,
  printer: Printer,
): string {
  return printer(maskAssetHashes(value), config, indentation, depth, refs);
}
