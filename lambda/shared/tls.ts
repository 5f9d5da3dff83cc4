import * as fs from 'node:fs';
import type { ConnectionOptions } from 'node:tls';

/**
 * TLS to the database with certificate and host name verification against
 * `caFile`: in Lambda, the runtime's bundle, which includes the RDS CAs
 * (/var/runtime/ca-cert.pem).
 * See https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html#nodejs-certificate-loading
 */
export function verifiedTls(caFile: string): ConnectionOptions {
  return { ca: fs.readFileSync(caFile, 'utf8'), rejectUnauthorized: true };
}
