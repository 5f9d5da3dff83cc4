import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { releaseCheck, releasedVersions } from '../../scripts/release-check';

/** A git repository whose history releases V1 to dev and stg, then V2 to dev. */
function repositoryWithHistory(): {
  dir: string;
  releases: string;
  write: (env: string, api: string) => void;
} {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'release-check-'));
  const releases = path.join(dir, 'config', 'releases');
  fs.mkdirSync(releases, { recursive: true });
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], {
      cwd: dir,
      stdio: 'pipe',
    });
  const write = (env: string, api: string) =>
    fs.writeFileSync(path.join(releases, `${env}.json`), `${JSON.stringify({ api }, null, 2)}\n`);
  const commit = (message: string) => {
    git('add', '-A');
    git('commit', '-q', '-m', message);
  };
  git('init', '-q');
  ['dev', 'stg', 'prod'].forEach((env) => write(env, 'bootstrap'));
  commit('bootstrap');
  write('dev', 'a1a1a1a');
  commit('dev: V1');
  write('stg', 'a1a1a1a');
  commit('stg: V1');
  write('dev', 'b2b2b2b');
  commit('dev: V2');
  return { dir, releases, write };
}

describe('npm run release-check (the promotion order over the base branch history)', () => {
  const repo = repositoryWithHistory();

  test('collects every version an environment has had on the base branch', () => {
    expect(releasedVersions('HEAD', 'dev', repo.dir)).toEqual({
      api: ['b2b2b2b', 'a1a1a1a', 'bootstrap'],
    });
    expect(releasedVersions('HEAD', 'stg', repo.dir).api.sort()).toEqual(['a1a1a1a', 'bootstrap']);
  });

  test('passes a prod version that stg ran', () => {
    repo.write('prod', 'a1a1a1a');
    expect(releaseCheck('HEAD', repo.dir, repo.releases)).toEqual([]);
  });

  test('fails when a prod version was never released to stg', () => {
    repo.write('prod', 'b2b2b2b');
    expect(releaseCheck('HEAD', repo.dir, repo.releases)).toEqual([
      expect.stringMatching(/^releases\.prod\.api: "b2b2b2b" was never released to stg /),
    ]);
  });
});
