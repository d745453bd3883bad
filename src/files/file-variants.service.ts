import { Inject, Injectable } from '@nestjs/common';
import sharp from 'sharp';
import { notFound } from '../common/errors/api-error';
import { FILE_STORE, FileStore } from '../storage/file-store';
import { MAX_IMAGE_PIXELS } from '../storage/image-metadata';
import { storeKeyOf, StoredFileRow } from '../storage/storage.service';
import { BoundedWork } from './bounded-work';

/** Resizes run two at a time (the machine's other work goes on); 32 more may wait, then 503. */
const RESIZING_AT_ONCE = 2;
const RESIZES_WAITING = 32;
const DEFAULT_QUALITY = 80;

export interface VariantRequest {
  w?: number;
  h?: number;
  q?: number;
}

/**
 * Smaller copies of stored images for `GET /files/:id?w=&h=&q=`: fit inside w × h keeping the aspect ratio, never
 * larger than the original (a box past the original's size is clamped to it, so those requests share one copy), made
 * once and kept in the file store under `variants/…`.
 */
@Injectable()
export class FileVariantsService {
  private readonly work = new BoundedWork<Buffer>(RESIZING_AT_ONCE, RESIZES_WAITING);

  constructor(@Inject(FILE_STORE) private readonly files: FileStore) {}

  /** The bytes to send for this request: the original when nothing would change, else the (cached) copy. */
  async bytesFor(file: StoredFileRow, asked: VariantRequest): Promise<Buffer> {
    const width = Math.min(asked.w ?? file.width, file.width);
    const height = Math.min(asked.h ?? file.height, file.height);
    const lossy = file.mime === 'image/jpeg' || file.mime === 'image/webp';
    const quality = lossy ? (asked.q ?? DEFAULT_QUALITY) : 0;
    const original = storeKeyOf(file.node);
    const unchanged = width === file.width && height === file.height && (!lossy || asked.q === undefined);
    if (unchanged) return this.read(original);
    const key = `variants/${original.replace(/^public\//, '').replace(/\.(\w+)$/, `/w${width}-h${height}-q${quality}.$1`)}`;
    const cached = await this.files.find(key);
    if (cached) return cached;
    return this.work.run(key, async () => {
      const bytes = await this.resize(await this.read(original), file.mime, width, height, quality);
      await this.files.put(key, bytes, file.mime).catch(() => undefined); // a parallel instance made it first
      return bytes;
    });
  }

  private async read(key: string): Promise<Buffer> {
    const bytes = await this.files.find(key);
    if (!bytes) throw notFound();
    return bytes;
  }

  private resize(bytes: Buffer, mime: string, width: number, height: number, quality: number): Promise<Buffer> {
    const image = sharp(bytes, { animated: mime === 'image/gif' || mime === 'image/webp', limitInputPixels: MAX_IMAGE_PIXELS }).resize({
      width,
      height,
      fit: 'inside',
      withoutEnlargement: true,
    });
    switch (mime) {
      case 'image/jpeg':
        return image.jpeg({ quality }).toBuffer();
      case 'image/webp':
        return image.webp({ quality }).toBuffer();
      case 'image/gif':
        return image.gif().toBuffer();
      default:
        return image.png().toBuffer();
    }
  }
}
