import { existsSync } from 'node:fs';
import path from 'node:path';
import { readText, root } from './support';

// The Dockerfile, read as text (no Docker engine here): one recipe for every service, a small
// non-root runtime with tini as PID 1 and a HEALTHCHECK, and a build context (.dockerignore)
// that holds every file the recipe copies and nothing it should not.

const dockerfile = readText('Dockerfile');
const lines = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));
const stages = lines.filter((l) => l.startsWith('FROM '));
const runtimeAt = lines.findIndex((l) => / AS runtime$/.test(l));
const runtime = lines.slice(runtimeAt);

/** .dockerignore semantics: patterns in order, `!` re-includes, the last match wins. */
function ignored(file: string): boolean {
  const rules = readText('.dockerignore')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  let out = false;
  for (const rule of rules) {
    const negate = rule.startsWith('!');
    const pattern = negate ? rule.slice(1) : rule;
    const regex = new RegExp(
      '^' +
        pattern
          .split('/')
          .map((part) => (part === '**' ? '(?:.*)' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')))
          .join('/')
          .replace(/\(\?:\.\*\)\//g, '(?:.*/)?') +
        '(?:/.*)?$',
    );
    if (regex.test(file)) out = !negate;
  }
  return out;
}

describe('Dockerfile', () => {
  it('builds any service from one recipe, chosen by the SERVICE build arg', () => {
    expect(lines).toContain('ARG SERVICE');
    expect(dockerfile).toMatch(/node scripts\/build\.js/);
    expect(dockerfile).toMatch(/npm ci /);
    expect(dockerfile).toMatch(/dist\/services\/%s\/src\/main\.js/);
    expect(stages.length).toBeGreaterThanOrEqual(3);
  });

  it('runs a slim Node 20 image as a non-root user, tini as PID 1, with a HEALTHCHECK on /health/live', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:20-[a-z]+-slim$/m);
    expect(runtime[0]).toBe('FROM ${NODE_IMAGE} AS runtime');
    const user = runtime.filter((l) => l.startsWith('USER ')).pop();
    expect(user).toMatch(/^USER [1-9]\d*(:\d+)?$/);
    expect(runtime).toContain('ENTRYPOINT ["/usr/bin/tini", "--"]');
    expect(runtime.find((l) => l.startsWith('HEALTHCHECK'))).toMatch(/CMD \["node", "\/app\/healthcheck\.js"\]/);
    expect(readText('deploy/docker/healthcheck.js')).toContain('/health/${probe}');
    // Dev dependencies stay in the build stages.
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
  });

  it('copies only files that exist and that .dockerignore lets into the build context', () => {
    const sources = lines
      .filter((l) => l.startsWith('COPY ') && !l.includes('--from='))
      .flatMap((l) => l.replace(/--chown=\S+\s*/, '').split(/\s+/).slice(1, -1));
    expect(sources.length).toBeGreaterThan(5);
    for (const source of sources) {
      expect([source, existsSync(path.join(root, source))]).toEqual([source, true]);
      expect([source, ignored(source)]).toEqual([source, false]);
    }
  });

  it('keeps secrets, local data, tests and build output out of the build context', () => {
    for (const file of ['.env', '.pace-data/db', 'node_modules/x/index.js', 'dist/main.js', '.git/config', 'services/gateway/test/proxy.test.ts', 'libs/config/src/config.spec.ts', 'charts/pace-web/values.yaml']) {
      expect([file, ignored(file)]).toEqual([file, true]);
    }
    for (const file of ['libs/config/src/index.ts', 'services/gateway/src/main.ts', 'package-lock.json']) expect([file, ignored(file)]).toEqual([file, false]);
  });
});
