import { Presets, SingleBar } from 'cli-progress';

export interface ProgressOptions {
  out?: NodeJS.WriteStream | NodeJS.WritableStream;
  /** A bar on a terminal, plain lines otherwise (CI logs, `| tee`). Default: out.isTTY. */
  tty?: boolean;
  /** Plain mode: one line this often. */
  everyMs?: number;
  label?: string;
}

const seconds = (s: number) => (!Number.isFinite(s) ? '?' : s >= 90 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`);

/**
 * Progress over the bytes of the file (known up front, no pre-count pass), showing rows, rows/s
 * and the ETA. A cli-progress bar on a TTY; a plain line every few seconds when not.
 */
export class Progress {
  private readonly started = Date.now();
  private readonly bar?: SingleBar;
  private readonly out: NodeJS.WritableStream;
  private lastLine = 0;
  private rows = 0;

  constructor(
    private readonly totalBytes: number,
    private readonly options: ProgressOptions = {},
  ) {
    this.out = options.out ?? process.stdout;
    const tty = options.tty ?? Boolean((this.out as NodeJS.WriteStream).isTTY);
    if (tty) {
      this.bar = new SingleBar(
        {
          format: `${options.label ?? 'import'} {bar} {percentage}% | {rows} rows | {rate} rows/s | ETA {eta_formatted}`,
          stream: this.out as NodeJS.WriteStream,
          etaBuffer: 50,
          fps: 5,
          hideCursor: true,
        },
        Presets.shades_classic,
      );
      this.bar.start(Math.max(totalBytes, 1), 0, { rows: 0, rate: 0 });
    }
  }

  update(bytes: number, rows: number): void {
    this.rows = rows;
    const elapsed = (Date.now() - this.started) / 1000;
    const rate = elapsed > 0 ? Math.round(rows / elapsed) : 0;
    if (this.bar) {
      this.bar.update(Math.min(bytes, this.totalBytes), { rows, rate });
      return;
    }
    const now = Date.now();
    if (now - this.lastLine < (this.options.everyMs ?? 5_000)) return;
    this.lastLine = now;
    const fraction = this.totalBytes ? bytes / this.totalBytes : 0;
    const eta = fraction > 0 ? (elapsed / fraction) * (1 - fraction) : Infinity;
    this.out.write(`${this.options.label ?? 'import'}: ${Math.round(fraction * 100)}% ${rows} rows ${rate} rows/s ETA ${seconds(eta)}\n`);
  }

  stop(): void {
    if (this.bar) {
      this.bar.update(this.totalBytes, { rows: this.rows });
      this.bar.stop();
    }
  }
}
