import { spawnSync } from 'node:child_process';
import path from 'node:path';

const main = path.resolve(__dirname, '../../../dist/services/applicants/src/main.js');

describe('starting the applicants service alone', () => {
  it('fails with one message naming every missing and invalid variable', () => {
    const env = { PATH: process.env.PATH, PORT: 'eighty', LOG_LEVEL: 'loud' };
    const run = spawnSync(process.execPath, [main], { env, encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Invalid environment for applicants: /);
    expect(lines[0]).toContain('DATABASE_URL is missing');
    expect(lines[0]).toContain('PORT is invalid');
    expect(lines[0]).toContain('LOG_LEVEL is invalid');
  });
});
