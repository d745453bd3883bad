import { imageSize } from 'image-size';

export interface ImageInfo {
  mime: 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp';
  extension: 'jpg' | 'png' | 'gif' | 'webp';
  width: number;
  height: number;
}

const startsWith = (bytes: Buffer, signature: number[], offset = 0) => signature.every((b, i) => bytes[offset + i] === b);

/** The image type from the bytes themselves (never from the file name or the client's content type). */
function sniff(bytes: Buffer): Pick<ImageInfo, 'mime' | 'extension'> | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { mime: 'image/jpeg', extension: 'jpg' };
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { mime: 'image/png', extension: 'png' };
  if (bytes.subarray(0, 6).toString('latin1') === 'GIF87a' || bytes.subarray(0, 6).toString('latin1') === 'GIF89a')
    return { mime: 'image/gif', extension: 'gif' };
  if (bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP')
    return { mime: 'image/webp', extension: 'webp' };
  return null;
}

/** Type and dimensions of a jpeg / png / gif / webp image, or null when the bytes are not one. */
export function readImage(bytes: Buffer): ImageInfo | null {
  const type = sniff(bytes);
  if (!type) return null;
  try {
    const { width, height } = imageSize(bytes);
    if (!width || !height) return null;
    return { ...type, width, height };
  } catch {
    return null;
  }
}
