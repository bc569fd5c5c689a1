import { crc32, deflateSync } from 'node:zlib';

/**
 * A PNG of one RGB colour (demo data ships no photos): width × height. `grain` adds a fixed
 * speckle of ± that much per pixel, so the file has the weight of a photo (portals refuse images
 * under 5 KB, and a flat colour compresses to a few hundred bytes).
 */
export function solidPng(width: number, height: number, [r, g, b]: [number, number, number], grain = 0): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour
  const clamp = (v: number) => Math.max(0, Math.min(255, v));
  let seed = 0x2545f491;
  const speckle = () => {
    // xorshift32: the same image every time.
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return grain ? ((seed >>> 0) % (2 * grain + 1)) - grain : 0;
  };
  const rows = Array.from({ length: height }, () => {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const d = speckle();
      row.set([clamp(r + d), clamp(g + d), clamp(b + d)], 1 + x * 3);
    }
    return row;
  });
  const pixels = Buffer.concat(rows);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
