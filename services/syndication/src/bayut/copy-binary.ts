import { Transform, type TransformCallback } from 'node:stream';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/**
 * Reads PostgreSQL's binary COPY format (signature, flags, header extension, then per tuple an
 * int16 field count and per field an int32 length and the bytes; count -1 ends it) of a
 * one-column result and passes each value's raw bytes on, untouched: text columns arrive as the
 * exact UTF-8 bytes, with no decoding into JavaScript strings and no re-encoding.
 */
export class CopyBinaryValues extends Transform {
  private pending: Buffer = Buffer.alloc(0);
  private headerDone = false;
  private done = false;
  rows = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    try {
      this.drain();
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    callback(this.done || !this.headerDone ? null : new Error('binary COPY ended without its trailer'));
  }

  private drain(): void {
    let at = 0;
    const buf = this.pending;
    if (!this.headerDone) {
      if (buf.length < 19) return;
      if (!buf.subarray(0, 11).equals(SIGNATURE)) throw new Error('not a binary COPY stream');
      const extension = buf.readInt32BE(15);
      if (buf.length < 19 + extension) return;
      at = 19 + extension;
      this.headerDone = true;
    }
    while (!this.done) {
      if (buf.length - at < 2) break;
      const fields = buf.readInt16BE(at);
      if (fields === -1) {
        this.done = true;
        at += 2;
        break;
      }
      if (fields !== 1) throw new Error(`expected one column per row, got ${fields}`);
      if (buf.length - at < 6) break;
      const length = buf.readInt32BE(at + 2);
      if (length < 0) {
        at += 6; // NULL: nothing to pass on
        continue;
      }
      if (buf.length - at < 6 + length) break;
      this.push(buf.subarray(at + 6, at + 6 + length));
      this.rows += 1;
      at += 6 + length;
    }
    this.pending = buf.subarray(at);
  }
}
