import { imageSize } from 'image-size';

/** PF-API accepts JPEG, PNG and WebP up to 15 MB (specs/portals.md §2.8); floor plans may also be PDF. */
export const MAX_MEDIA_BYTES = 15 * 1024 * 1024;
const SIGNATURES: Record<string, (b: Buffer) => boolean> = {
  'image/jpeg': (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/webp': (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  'application/pdf': (b) => b.subarray(0, 5).toString('latin1') === '%PDF-',
};

/** A problem with the upload, or null when the bytes are what the content type says. */
export function uploadProblem(kind: string, contentType: string, body: unknown): string | null {
  const type = contentType.split(';')[0].trim().toLowerCase();
  const allowed = kind === 'floor_plan' ? Object.keys(SIGNATURES) : ['image/jpeg', 'image/png', 'image/webp'];
  if (!allowed.includes(type)) return `send the file as the body with content-type ${allowed.join(', ')}`;
  if (!Buffer.isBuffer(body) || body.length === 0) return 'the body is empty';
  if (body.length > MAX_MEDIA_BYTES) return 'the file is larger than 15 MB';
  if (!SIGNATURES[type](body)) return `the bytes are not a ${type} file`;
  if (type.startsWith('image/') && !dimensionsOf(type, body)) return `the ${type} image cannot be read (damaged or truncated)`;
  return null;
}

/** An image's size in pixels (image-size reads the header), or null when it cannot be read or is no image. */
export function dimensionsOf(type: string, body: Buffer): { width: number; height: number } | null {
  if (!type.startsWith('image/')) return null;
  try {
    const { width, height } = imageSize(body);
    return width && height ? { width, height } : null;
  } catch {
    return null;
  }
}
