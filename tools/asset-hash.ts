/** Content hashes of CDK assets (Lambda code, Docker images, nested templates): 64 hex characters. */
const ASSET_HASH = /[0-9a-f]{64}/g;

/** What a masked hash reads as. */
export const MASKED_HASH = '[ASSET HASH]';

/**
 * Replaces every asset hash in a string, so a snapshot or report changes when
 * a setting changes, not when handler code is edited.
 */
export function maskAssetHashes(value: string): string {
  return value.replace(ASSET_HASH, MASKED_HASH);
}
