import { createReadStream } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { AppConfig, S3Settings } from '../config/app-config';

/** Where uploaded bytes live (STORAGE_DRIVER); keys look like `public/2026/12/03/<32 hex>.png`. */
export interface FileStore {
  /** Keeps new bytes under a fresh key. */
  put(key: string, bytes: Buffer, mime: string): Promise<void>;
  /** The bytes under a key, streamed. */
  read(key: string): Promise<Readable>;
  /** The bytes under a key, or null when nothing is there (derived files such as resized images). */
  find(key: string): Promise<Buffer | null>;
  remove(key: string): Promise<void>;
}

export const FILE_STORE = Symbol('FILE_STORE');

/** `local`: a directory (STORAGE_DIR), fine for one machine or a volume every instance mounts. */
export class LocalFileStore implements FileStore {
  constructor(private readonly root: string) {}

  async put(key: string, bytes: Buffer): Promise<void> {
    const path = join(this.root, key);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, bytes, { flag: 'wx' });
  }

  async read(key: string): Promise<Readable> {
    return createReadStream(join(this.root, key));
  }

  async find(key: string): Promise<Buffer | null> {
    try {
      return await readFile(join(this.root, key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async remove(key: string): Promise<void> {
    await rm(join(this.root, key), { force: true });
  }
}

/** `s3`: any S3-compatible object store, shared by every instance. */
export class S3FileStore implements FileStore {
  private readonly client: S3Client;
  private readonly sdk: typeof import('@aws-sdk/client-s3');

  constructor(private readonly settings: S3Settings) {
    // Loaded only for this driver: the SDK is large and local installs do not need it at start.
    this.sdk = require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');
    const credentials = settings.accessKeyId ? { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey! } : undefined;
    this.client = new this.sdk.S3Client({ region: settings.region, endpoint: settings.endpoint, forcePathStyle: settings.forcePathStyle, credentials });
  }

  async put(key: string, bytes: Buffer, mime: string): Promise<void> {
    await this.client.send(new this.sdk.PutObjectCommand({ Bucket: this.settings.bucket, Key: this.keyOf(key), Body: bytes, ContentType: mime }));
  }

  async read(key: string): Promise<Readable> {
    const object = await this.client.send(new this.sdk.GetObjectCommand({ Bucket: this.settings.bucket, Key: this.keyOf(key) }));
    return object.Body as Readable;
  }

  async find(key: string): Promise<Buffer | null> {
    try {
      const object = await this.client.send(new this.sdk.GetObjectCommand({ Bucket: this.settings.bucket, Key: this.keyOf(key) }));
      return Buffer.from(await object.Body!.transformToByteArray());
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchKey') return null;
      throw error;
    }
  }

  async remove(key: string): Promise<void> {
    await this.client.send(new this.sdk.DeleteObjectCommand({ Bucket: this.settings.bucket, Key: this.keyOf(key) }));
  }

  private keyOf(key: string): string {
    return this.settings.prefix + key;
  }
}

export function createFileStore(config: AppConfig): FileStore {
  return config.storageDriver === 's3' ? new S3FileStore(config.s3!) : new LocalFileStore(config.storageDir);
}
