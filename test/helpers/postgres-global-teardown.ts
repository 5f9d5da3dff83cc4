import { RunningServer } from './embedded-postgres-server';

/** Jest global teardown: stops the server the global setup started. */
export default async function globalTeardown(): Promise<void> {
  await (globalThis as { testPostgres?: RunningServer }).testPostgres?.stop();
}
