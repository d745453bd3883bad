import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { FileStore } from '../storage/file-store';
import { withoutMetadata } from '../storage/image-metadata';
import { readImage } from '../storage/image-type';

/** A `files` row of this service for a copied image. */
export interface CopiedFile {
  node: string;
  owner_id: number;
  mime: string;
  size: number;
  width: number;
  height: number;
  private: boolean;
  created_at: Date;
}

export type CopyResult = { file: CopiedFile } | { missing: string };

const day = (date: Date) => `${date.getUTCFullYear()}/${String(date.getUTCMonth() + 1).padStart(2, '0')}/${String(date.getUTCDate()).padStart(2, '0')}`;

/**
 * Copies the original's images (`--storage`: its `storage/app` folder, which holds `public/`) into this service's
 * file store (STORAGE_DRIVER) under nodes of its own form, re-encoded without metadata as uploads are. A node is derived from the source path and the owner, so a rerun writes
 * the same file again instead of a second one, and two owners of one original file get one copy each.
 */
export class FileCopier {
  constructor(
    private readonly from: string | null,
    private readonly store: FileStore,
  ) {}

  /** Where an avatar / bg node of the original (`public:2021/01/05/x.jpg`) lies under --storage. */
  nodePaths(node: string): string[] {
    const match = /^([a-z0-9_-]+):(.+)$/i.exec(node);
    if (!match) return [];
    const [, disk, path] = match;
    return disk === 'local' ? [path] : [join(disk, path)];
  }

  /** Where a `files.filename` lies under --storage (the public disk, else the storage root). */
  filenamePaths(filename: string): string[] {
    return [join('public', filename), filename];
  }

  async copy(relativePaths: string[], ownerId: number, createdAt: Date, isPrivate: boolean): Promise<CopyResult> {
    if (!this.from) return { missing: 'no --storage given' };
    if (!relativePaths.length) return { missing: 'not a storage node' };
    const root = resolve(this.from);
    let bytes: Buffer | null = null;
    let found = '';
    for (const relative of relativePaths) {
      const path = resolve(root, relative);
      if (!path.startsWith(root + sep)) continue;
      try {
        bytes = await readFile(path);
        found = relative;
        break;
      } catch {
        // try the next place
      }
    }
    if (!bytes) return { missing: `not found under --storage (${relativePaths.join(' or ')})` };
    if (!readImage(bytes)) return { missing: `${found} is not a jpeg, png, gif or webp image` };
    let clean: Buffer;
    try {
      clean = await withoutMetadata(bytes);
    } catch {
      return { missing: `${found} cannot be decoded as an image (or is over the pixel limit)` };
    }
    const image = readImage(clean)!;
    const name = createHash('md5').update(`${found}|${ownerId}`).digest('hex');
    const relative = `${day(createdAt)}/${name}.${image.extension}`;
    await this.store.put(`public/${relative}`, clean, image.mime).catch((error: NodeJS.ErrnoException) => {
      // A rerun writes the same node again: the local store refuses to overwrite, and the bytes are the same.
      if (error.code !== 'EEXIST') throw error;
    });
    return {
      file: {
        node: `public:${relative}`,
        owner_id: ownerId,
        mime: image.mime,
        size: clean.length,
        width: image.width,
        height: image.height,
        private: isPrivate,
        created_at: createdAt,
      },
    };
  }
}
