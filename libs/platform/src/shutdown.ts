import { Logger } from '@nestjs/common';
import { stopTracing } from '@pace/telemetry';

/**
 * One handler for SIGTERM/SIGINT per process (several apps may share it in embedded mode):
 * closes each in reverse start order, letting in-flight requests finish, then exits. A second
 * signal, or the timeout, exits at once.
 */
export function exitOnSignal(closers: (() => Promise<void>)[], timeoutMs: number): void {
  const logger = new Logger('shutdown');
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      logger.warn(`${signal} again: exiting now`);
      process.exit(1);
    }
    closing = true;
    logger.log(`${signal}: finishing in-flight work (at most ${timeoutMs} ms)`);
    const timer = setTimeout(() => {
      logger.error(`shutdown took longer than ${timeoutMs} ms: exiting`);
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    void (async () => {
      let failed = false;
      for (const close of [...closers].reverse()) {
        try {
          await close();
        } catch (error) {
          failed = true;
          logger.error({ err: error }, 'error while shutting down');
        }
      }
      // The last spans leave with the process.
      await stopTracing().catch((error: unknown) => logger.warn({ err: error }, 'could not flush traces'));
      logger.log('stopped');
      process.exit(failed ? 1 : 0);
    })();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
