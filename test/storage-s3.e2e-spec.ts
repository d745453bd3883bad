import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bearer, registerUser } from './support/fixtures';
import { createTestApp, createTestDatabase, TestApp } from './support/harness';
import { png } from './support/images';

jest.setTimeout(60_000);

type S3Server = { run(): Promise<{ port: number }>; close(): Promise<void> };
// s3rver ships no types.
const S3rver = require('@20minutes/s3rver') as new (options: Record<string, unknown>) => S3Server;

const BUCKET = 'user-files';
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** Issue 16 "Files": STORAGE_DRIVER=s3 against an S3-protocol server started here (s3rver). */
describe('storage on an S3-compatible object store (STORAGE_DRIVER=s3)', () => {
  let directory: string;
  let server: S3Server;
  let endpoint: string;
  let s3: S3Client;
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 's3rver-'));
    server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: BUCKET }] });
    const { port } = await server.run();
    endpoint = `http://127.0.0.1:${port}`;
    s3 = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: CREDENTIALS });
    const env = {
      STORAGE_DRIVER: 's3',
      S3_BUCKET: BUCKET,
      S3_ENDPOINT: endpoint,
      S3_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      S3_PREFIX: 'tests/',
      RANK_REFRESH_CRON: 'off',
      // Passport keeps one jwt strategy per process: both apps sign with one secret.
      JWT_SECRET: randomBytes(32).toString('hex'),
    };
    // Two instances on one database, each with its own (empty) STORAGE_DIR: the files are in the object store.
    const databaseName = await createTestDatabase();
    [first, second] = await Promise.all([createTestApp({ databaseName, env }), createTestApp({ databaseName, env })]);
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    s3?.destroy();
    await server?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const download = async (app: TestApp, url: string, token?: string) =>
    app.app
      .getHttpAdapter()
      .getInstance()
      .inject({ method: 'GET', url, headers: token ? bearer(token) : {} });

  async function objectBytes(key: string): Promise<Buffer> {
    const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return Buffer.from(await object.Body!.transformToByteArray());
  }

  it('an upload lands in the bucket (not on the instance disk) and any instance serves it, with its type and cache headers', async () => {
    const user = await registerUser(first);
    const up = await first.http().post('/api/v2/storage').set(bearer(user.token)).attach('file', png(12, 7), { filename: 'a.png', contentType: 'image/png' });
    expect(up.status).toBe(201);
    const node: string = up.body.node;
    const key = `tests/public/${node.slice('public:'.length)}`;

    const stored = await objectBytes(key);
    expect(stored.length).toBe(up.body.size);
    expect(existsSync(first.config.storageDir)).toBe(false);

    for (const app of [first, second]) {
      const res = await download(app, `/api/v2/storage/${node}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('image/png');
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.rawPayload.equals(stored)).toBe(true);
    }
    expect((await download(second, `/api/v2/storage/public:2020/01/01/${'0'.repeat(32)}.png`)).statusCode).toBe(404);
  });

  it('a resized copy (GET /files/:id?w=) is made from the bucket, kept in it under variants/, and served by any instance', async () => {
    const user = await registerUser(first);
    const up = await first.http().post('/api/v2/files').set(bearer(user.token)).attach('file', png(40, 20), { filename: 'b.png', contentType: 'image/png' });
    expect(up.status).toBe(201);
    const [{ node }] = (await first.db.query('SELECT node FROM files WHERE id = $1', [up.body.id])).rows;
    const key = `tests/variants/${node.slice('public:'.length).replace(/\.png$/, '')}/w10-h20-q0.png`;

    const made = await download(first, `/api/v2/files/${up.body.id}?w=10`);
    expect(made.statusCode).toBe(200);
    expect(made.headers['content-type']).toBe('image/png');
    const kept = await objectBytes(key);
    expect(made.rawPayload.equals(kept)).toBe(true);
    const again = await download(second, `/api/v2/files/${up.body.id}?w=10`);
    expect(again.rawPayload.equals(kept)).toBe(true);
  });
});
