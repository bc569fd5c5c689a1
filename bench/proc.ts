import { readFileSync } from 'node:fs';

/** USER_HZ: /proc counts CPU time in ticks of 10 ms on Linux. */
const TICK_MS = 1000 / 100;

/**
 * CPU time (user + system, ms) of local processes (services, PostgreSQL backends, the emulator),
 * from /proc; undefined when one cannot be read (gone, a remote server, not Linux). Elapsed time
 * swings with other work on a shared machine; CPU per unit of work barely does, so the benches
 * print it beside their ratios.
 */
export function cpuMs(pids: number[]): number | undefined {
  try {
    let ms = 0;
    for (const pid of pids) {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // The command name (field 2) may hold spaces and parentheses: fields are counted after its ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ms += (Number(fields[11]) + Number(fields[12])) * TICK_MS;
    }
    return ms;
  } catch {
    return undefined;
  }
}
