import { randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';

/** Small real images built in memory, for upload tests (no fixture files). */

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const b of bytes) crc = CRC_TABLE[(crc ^ b) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A valid RGB PNG of the given size. `noise` fills it with random pixels stored uncompressed, so the file is about
 * width × height × 3 bytes (for size-limit tests); otherwise the pixels are one colour and the file is tiny.
 */
export function png(width: number, height: number, options: { noise?: boolean } = {}): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type RGB
  const rowLength = 1 + width * 3;
  const raw = options.noise ? randomBytes(rowLength * height) : Buffer.alloc(rowLength * height, 0x7f);
  for (let y = 0; y < height; y++) raw[y * rowLength] = 0; // filter type "none" on every row
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(raw, { level: options.noise ? 0 : 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The classic 1×1 transparent GIF. */
export const GIF_1X1 = Buffer.from('R0lGODlhAQABAIAAAAAAAP///ywAAAAAAQABAAACAUwAOw==', 'base64');

/** The 1×1 GIF with other logical-screen and image sizes (a valid file: the image data is one pixel, the rest is background). */
export function gif(width: number, height: number): Buffer {
  const bytes = Buffer.from(GIF_1X1);
  bytes.writeUInt16LE(width, 6); // logical screen width
  bytes.writeUInt16LE(height, 8); // logical screen height
  bytes.writeUInt16LE(width, 24); // image descriptor width
  bytes.writeUInt16LE(height, 26); // image descriptor height
  return bytes;
}

/** A real JPEG (decodable: uploads are re-encoded) of one colour. */
export function jpeg(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#808080' } })
    .jpeg()
    .toBuffer();
}

/** What a phone camera writes into a photo: where it was taken, the camera, the owner. */
export const CAMERA_EXIF = {
  IFD0: { Make: 'ProbeCam', Model: 'ProbeCam X1', Artist: 'Ann Lee', Copyright: 'Ann Lee' },
  IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '39/1 54/1 2712/100', GPSLongitudeRef: 'E', GPSLongitude: '116/1 23/1 2964/100' },
};

/** A `width` × `height` photo in `format` carrying CAMERA_EXIF (GPS included), and EXIF orientation 6 when `rotated`. */
export function photoWithGps(format: 'jpeg' | 'png' | 'webp', width: number, height: number, options: { rotated?: boolean } = {}): Promise<Buffer> {
  const image = sharp({ create: { width, height, channels: 3, background: '#3366cc' } })
    .withExif(CAMERA_EXIF)
    .withMetadata(options.rotated ? { orientation: 6 } : {});
  return image.toFormat(format).toBuffer();
}

/** Stored images are re-encoded (no metadata): a png or gif must still have every pixel it was sent with. */
export async function expectSamePixels(stored: Buffer, sent: Buffer): Promise<void> {
  const [a, b] = await Promise.all([stored, sent].map((bytes) => sharp(bytes, { animated: true }).ensureAlpha().raw().toBuffer()));
  expect(Buffer.compare(a, b)).toBe(0);
}
