/**
 * Polls `probe` until `ok` holds or `ms` pass, and returns the last value either way, so the
 * test's own assertion on it fails with what was actually seen.
 */
export async function eventually<T>(probe: () => Promise<T>, ok: (value: T) => boolean, ms = 15_000, everyMs = 100): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (ok(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
