import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';

/**
 * BENCH_PROFILE=<dir>: a CPU profile of each timed interval only (`<name>.cpuprofile`), without
 * set-up, warm-up and payload generation — in the bench's process and in split's consumer process.
 */
export const PROFILE_DIR = process.env.BENCH_PROFILE;
const inspector = PROFILE_DIR ? new Session() : undefined;
const post = (method: string, params?: object) =>
  new Promise<unknown>((resolve, reject) => inspector!.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
let profiling: string | undefined;
let connected = false;

/** Starts profiling as `name` (nothing without BENCH_PROFILE, or for an empty name). */
export async function profileStart(name: string): Promise<void> {
  if (!inspector || !name) return;
  if (!connected) {
    inspector.connect();
    connected = true;
    await post('Profiler.enable');
  }
  profiling = name;
  await post('Profiler.start');
}

export async function profileStop(): Promise<void> {
  if (!inspector || !profiling) return;
  const { profile } = (await post('Profiler.stop')) as { profile: unknown };
  writeFileSync(path.join(PROFILE_DIR!, `${profiling}.cpuprofile`), JSON.stringify(profile));
  profiling = undefined;
}
