// Compiles every TypeScript source to dist/ with swc (about a second; `tsc --noEmit` type-checks
// separately). Path aliases (@pace/*) are rewritten to relative requires by swc.
const { execFileSync } = require('node:child_process');
const { rmSync, existsSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dirs = ['libs', 'services', 'apps', 'scripts', 'bench'].filter((d) => existsSync(path.join(root, d)));
rmSync(path.join(root, 'dist'), { recursive: true, force: true });
execFileSync(
  process.execPath,
  [require.resolve('@swc/cli/bin/swc.js'), ...dirs, '-d', 'dist', '--copy-files', '--ignore', '**/*.spec.ts,**/*.test.ts,**/test/**', '--quiet'],
  { cwd: root, stdio: 'inherit' },
);
