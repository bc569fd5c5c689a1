import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

/** Helpers shared by the deployment checks: files of the repository, parsed. */
export const root = path.resolve(__dirname, '../..');

export const readText = (file: string): string => readFileSync(path.join(root, file), 'utf8');

// Deployment files are free-form YAML; each test states the shape it expects.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Doc = any;

/** YAML with `<<` merge keys resolved, as docker compose reads it. */
export const readYaml = (file: string): Doc => YAML.parse(readText(file), { merge: true });

export const umbrellas = ['pace-web', 'pace-ai'] as const;

export const listFiles = (dir: string): string[] => readdirSync(path.join(root, dir));

/** A helm binary, when this machine has one (CI machines of this project do not). */
export function helmBinary(): string | undefined {
  const candidate = process.env.HELM_BIN ?? 'helm';
  const probe = spawnSync(candidate, ['version', '--short'], { encoding: 'utf8' });
  return probe.status === 0 ? candidate : undefined;
}

export function helm(bin: string, args: string[]): string {
  const run = spawnSync(bin, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`helm ${args.join(' ')} failed:\n${run.stderr}${run.stdout}`);
  return run.stdout;
}

/** Every document of a multi-document YAML stream (empty ones dropped). */
export const parseAll = (text: string): Doc[] =>
  YAML.parseAllDocuments(text)
    .map((d) => {
      if (d.errors.length) throw new Error(d.errors.map((e) => e.message).join('; '));
      return d.toJS();
    })
    .filter((d) => d != null);

/** RFC 6902 JSON patch, the subset skaffold profiles use (add, replace, remove). */
export function applyPatches(doc: Doc, patches: { op?: string; path: string; value?: unknown }[]): Doc {
  const out = structuredClone(doc);
  for (const patch of patches) {
    const op = patch.op ?? 'replace';
    const keys = patch.path
      .split('/')
      .slice(1)
      .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = keys.pop() as string;
    let parent = out;
    for (const key of keys) {
      parent = parent?.[key];
      if (parent === undefined) throw new Error(`patch path ${patch.path} does not exist`);
    }
    if (Array.isArray(parent)) {
      const index = last === '-' ? parent.length : Number(last);
      if (!Number.isInteger(index) || index < 0 || index > parent.length) throw new Error(`bad index in ${patch.path}`);
      if (op === 'add') parent.splice(index, 0, structuredClone(patch.value));
      else if (op === 'replace') parent[index] = structuredClone(patch.value);
      else if (op === 'remove') parent.splice(index, 1);
      else throw new Error(`unsupported op ${op}`);
    } else {
      if (op !== 'add' && !(last in parent)) throw new Error(`patch path ${patch.path} does not exist`);
      if (op === 'remove') delete parent[last];
      else parent[last] = structuredClone(patch.value);
    }
  }
  return out;
}
