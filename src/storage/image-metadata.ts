import sharp from 'sharp';
import { invalid } from '../common/errors/api-error';
import { readImage } from './image-type';

/** Decompression bombs stop here: 40 megapixels is more than any phone camera's photo (8000 × 5000). */
export const MAX_IMAGE_PIXELS = 40_000_000;

// Each upload is decoded once: nothing to gain from libvips' operation cache, only memory held.
sharp.cache(false);

/**
 * The uploaded image re-encoded in its own format from its pixels alone, so that no EXIF (GPS position, camera,
 * owner), XMP, IPTC, ICC or comment block survives. JPEGs are first turned upright by their EXIF orientation (which
 * goes too); animated GIF / WebP keep their frames. Bytes that are not a jpeg / png / gif / webp by their signature
 * never reach the decoder; ones the decoder refuses, or over MAX_IMAGE_PIXELS, are 422.
 */
export async function withoutMetadata(bytes: Buffer): Promise<Buffer> {
  const type = readImage(bytes);
  if (!type) throw invalid('file', 'file_not_image');
  if (type.width * type.height > MAX_IMAGE_PIXELS) throw invalid('file', 'image_too_large', { max: String(MAX_IMAGE_PIXELS / 1_000_000) });
  try {
    const image = sharp(bytes, { animated: true, failOn: 'error', limitInputPixels: MAX_IMAGE_PIXELS });
    switch (type.extension) {
      case 'jpg':
        return await image.rotate().jpeg({ quality: 90 }).toBuffer();
      case 'png':
        return await image.png().toBuffer();
      case 'gif':
        return await image.gif().toBuffer();
      case 'webp':
        return await image.webp({ quality: 90 }).toBuffer();
    }
  } catch {
    throw invalid('file', 'file_not_image');
  }
}
