import type { Config, Printer, Refs } from 'pretty-format';

/**
 * Jest snapshot serializer (registered in jest.config.js) that replaces CDK
 * asset hashes (Lambda code, Docker images, nested templates) with a fixed
 * marker, so a snapshot changes when a setting changes, not when handler code
 * is edited. The module itself is the plugin: it exports `test` and `serialize`.
 */

/** Content hashes of CDK assets: 64 hex characters, alone or inside a file name. */
const ASSET_HASH = /[0-9a-f]{64}/g;

/** What a masked hash reads as in a snapshot. */
export const MASKED_HASH = '[ASSET HASH]';

/** Replaces every asset hash in a string. */
export function maskAssetHashes(value: string): string {
  return value.replace(ASSET_HASH, MASKED_HASH);
}

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
