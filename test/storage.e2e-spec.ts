import { statSync } from 'node:fs';
import sharp from 'sharp';
import request from 'supertest';
import { bearer, makeFounder, registerUser, RegisteredUser } from './support/fixtures';
import { binary, filesUnder } from './support/bytes';
import { createTestApp, TestApp } from './support/harness';
import { CAMERA_EXIF, expectSamePixels, gif, GIF_1X1, jpeg, photoWithGps, png } from './support/images';

/**
 * Storage (mobile-api §7, README §4): uploads are images checked by content, re-encoded without their metadata, and
 * served back as stored.
 */

const NODE = /^public:\d{4}\/\d{2}\/\d{2}\/[0-9a-f]{32}\.(png|gif|jpg|webp)$/;

async function fileCount(t: TestApp): Promise<number> {
  const { rows } = await t.db.query('SELECT count(*)::int AS n FROM files');
  return rows[0].n;
}

function upload(t: TestApp, token: string | null, bytes: Buffer, filename: string, contentType: string): request.Test {
  const req = t.http().post('/api/v2/storage');
  if (token) req.set(bearer(token));
  return req.attach('file', bytes, { filename, contentType });
}

function download(t: TestApp, node: string, token?: string): request.Test {
  const req = t
    .http()
    .get(`/api/v2/storage/${node}`)
    .buffer(true)
    .parse(binary as never);
  if (token) req.set(bearer(token));
  return req;
}

describe('storage: POST /api/v2/storage and GET /api/v2/storage/:node', () => {
  let t: TestApp;
  let owner: RegisteredUser;
  let other: RegisteredUser;
  let admin: RegisteredUser;

  beforeAll(async () => {
    t = await createTestApp();
    [owner, other, admin] = await Promise.all([registerUser(t), registerUser(t), registerUser(t)]);
    await makeFounder(t, admin.id);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('rejects an upload without a token with 401 and stores nothing', async () => {
    const before = await fileCount(t);
    const res = await upload(t, null, png(2, 2), 'a.png', 'image/png');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ message: 'Unauthenticated.' });
    expect(await fileCount(t)).toBe(before);
  });

  it.each([
    ['png', () => png(37, 21), 'image/png', 37, 21],
    ['gif', () => gif(5, 3), 'image/gif', 5, 3],
    ['gif 1x1', () => GIF_1X1, 'image/gif', 1, 1],
    ['jpg', () => jpeg(640, 480), 'image/jpeg', 640, 480],
  ])('stores a %s image: 201 with node, url, mime, size and its real dimensions; the row belongs to the uploader', async (ext, make, mime, width, height) => {
    const bytes = await make();
    const res = await upload(t, owner.token, bytes, `picture.${ext.split(' ')[0]}`, mime);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      node: expect.stringMatching(NODE),
      url: expect.any(String),
      mime,
      size: expect.any(Number),
      dimension: { width, height },
    });
    const stored = (await download(t, res.body.node).expect(200)).body as Buffer;
    expect(stored.length).toBe(res.body.size);
    const extension = { 'image/png': 'png', 'image/gif': 'gif', 'image/jpeg': 'jpg' }[mime];
    expect(res.body.node.endsWith(`.${extension}`)).toBe(true);
    expect(res.body.url.endsWith(`/api/v2/storage/${res.body.node}`)).toBe(true);
    const { rows } = await t.db.query('SELECT owner_id, mime, size, width, height, private FROM files WHERE node = $1', [res.body.node]);
    expect(rows).toEqual([{ owner_id: owner.id, mime, size: res.body.size, width, height, private: false }]);
  });

  it('takes the type from the bytes, not from the name: a PNG uploaded as photo.gif with image/gif is a png', async () => {
    const bytes = png(4, 6);
    const res = await upload(t, owner.token, bytes, 'photo.gif', 'image/gif');
    expect(res.status).toBe(201);
    expect(res.body.mime).toBe('image/png');
    expect(res.body.node).toMatch(/\.png$/);
    expect(res.body.dimension).toEqual({ width: 4, height: 6 });
  });

  it('serves the same picture with the right Content-Type to anyone (GET /storage/:node is a guest route)', async () => {
    const bytes = png(9, 8);
    const up = await upload(t, owner.token, bytes, 'x.png', 'image/png').expect(201);
    const res = await download(t, up.body.node);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^image\/png/);
    await expectSamePixels(res.body, bytes);

    const gifUp = await upload(t, other.token, GIF_1X1, 'x.gif', 'image/gif').expect(201);
    const gifRes = await download(t, gifUp.body.node, owner.token);
    expect(gifRes.status).toBe(200);
    expect(gifRes.headers['content-type']).toMatch(/^image\/gif/);
    await expectSamePixels(gifRes.body, GIF_1X1);
  });

  it.each([['jpeg'], ['png'], ['webp']] as const)('strips EXIF (GPS, camera, owner) from a %s photo by re-encoding it', async (format) => {
    const photo = await photoWithGps(format, 64, 48);
    const sent = await sharp(photo).metadata();
    expect(sent.exif).toBeDefined();
    expect(sent.exif!.includes(Buffer.from([0x25, 0x88]))).toBe(true); // the GPS IFD pointer (tag 0x8825, little-endian)
    expect(photo.includes(CAMERA_EXIF.IFD0.Make)).toBe(true);

    const up = await upload(t, owner.token, photo, `photo.${format}`, `image/${format}`).expect(201);
    const stored = (await download(t, up.body.node).expect(200)).body as Buffer;
    const kept = await sharp(stored).metadata();
    expect({ format: kept.format, width: kept.width, height: kept.height }).toEqual({ format, width: 64, height: 48 });
    expect({ exif: kept.exif, xmp: kept.xmp, iptc: kept.iptc, icc: kept.icc, comments: kept.comments }).toEqual({});
    for (const text of ['Exif', CAMERA_EXIF.IFD0.Make, CAMERA_EXIF.IFD0.Artist]) expect(stored.includes(text)).toBe(false);
  });

  it('turns a photo upright by its EXIF orientation before dropping it', async () => {
    const photo = await photoWithGps('jpeg', 64, 48, { rotated: true });
    const up = await upload(t, owner.token, photo, 'photo.jpg', 'image/jpeg').expect(201);
    expect(up.body.dimension).toEqual({ width: 48, height: 64 });
    const kept = await sharp((await download(t, up.body.node).expect(200)).body as Buffer).metadata();
    expect({ width: kept.width, height: kept.height, orientation: kept.orientation }).toEqual({ width: 48, height: 64, orientation: undefined });
  });

  it('serves stored files with a CSP that lets nothing run or load (default-src none; sandbox), errors included', async () => {
    const up = await upload(t, owner.token, png(2, 2), 'a.png', 'image/png').expect(201);
    const res = await download(t, up.body.node).expect(200);
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    const missing = await t.http().get('/api/v2/storage/public:2020/01/01/0123456789abcdef0123456789abcdef.png').expect(404);
    expect(missing.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
  });

  it('refuses an image of more than 40 megapixels (a decompression bomb) with 422 before decoding it', async () => {
    const res = await upload(t, owner.token, gif(8000, 5001), 'bomb.gif', 'image/gif');
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors)).toEqual(['file']);
  });

  it('refuses a text file named photo.png sent as image/png with 422 and stores nothing', async () => {
    const before = await fileCount(t);
    const diskBefore = filesUnder(t.config.storageDir).length;
    const res = await upload(t, owner.token, Buffer.from('this is not an image, just text pretending\n'), 'photo.png', 'image/png');
    expect(res.status).toBe(422);
    expect(res.body.message).toEqual(expect.any(String));
    expect(Object.keys(res.body.errors)).toEqual(['file']);
    expect(await fileCount(t)).toBe(before);
    expect(filesUnder(t.config.storageDir)).toHaveLength(diskBefore);
  });

  it('refuses a truncated image (a PNG signature without a readable header) with 422', async () => {
    const res = await upload(t, owner.token, png(3, 3).subarray(0, 12), 'cut.png', 'image/png');
    expect(res.status).toBe(422);
    expect(res.body.errors.file).toEqual([expect.any(String)]);
  });

  it('refuses an empty upload, a missing file field, a file under another field and a JSON body that is no upload task with 422', async () => {
    const before = await fileCount(t);
    const empty = await upload(t, owner.token, Buffer.alloc(0), 'empty.png', 'image/png');
    expect(empty.status).toBe(422);
    expect(empty.body.errors.file).toEqual([expect.any(String)]);

    const noFile = await t.http().post('/api/v2/storage').set(bearer(owner.token)).field('name', 'value');
    expect(noFile.status).toBe(422);
    expect(noFile.body.errors.file).toEqual([expect.any(String)]);

    const wrongField = await t
      .http()
      .post('/api/v2/storage')
      .set(bearer(owner.token))
      .attach('image', png(2, 2), { filename: 'a.png', contentType: 'image/png' });
    expect(wrongField.status).toBe(422);
    expect(wrongField.body.errors.file).toEqual([expect.any(String)]);

    // A JSON body is an upload task (ThinkSNS+ 2.x, test/upload-tasks.e2e-spec.ts): without its fields, 422 and no file.
    const json = await t
      .http()
      .post('/api/v2/storage')
      .set(bearer(owner.token))
      .send({ file: png(2, 2).toString('base64') });
    expect(json.status).toBe(422);
    expect(json.body.errors.hash).toEqual([expect.any(String)]);

    expect(await fileCount(t)).toBe(before);
  });

  it('accepts an image larger than the 1 MiB JSON body limit (uploads go up to STORAGE_MAX_BYTES, 10 MiB by default)', async () => {
    const bytes = png(700, 600, { noise: true });
    expect(bytes.length).toBeGreaterThan(1024 * 1024);
    const res = await upload(t, owner.token, bytes, 'big.png', 'image/png');
    expect(res.status).toBe(201);
    expect(res.body.dimension).toEqual({ width: 700, height: 600 });
    const back = await download(t, res.body.node).expect(200);
    expect((back.body as Buffer).length).toBe(res.body.size);
    await expectSamePixels(back.body, bytes);
  });

  it('answers 404 内容不存在 for an unknown node', async () => {
    for (const node of ['public:2020/01/01/0123456789abcdef0123456789abcdef.png', 'public:nothing.png', 'nothing']) {
      const res = await t.http().get(`/api/v2/storage/${node}`);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ message: '内容不存在' });
    }
  });

  it('answers 404 (never 500, never a file outside the storage) to path traversal', async () => {
    const up = await upload(t, owner.token, png(2, 2), 'a.png', 'image/png').expect(201);
    const [, day] = /^public:(\d{4}\/\d{2}\/\d{2})\//.exec(up.body.node)!;
    const file = up.body.node.split('/').pop();
    const attempts = [
      'public:../../etc/passwd',
      '..%2F..%2Fetc%2Fpasswd',
      'public:..%2F..%2F..%2Fetc%2Fpasswd',
      'public:2020/01/01/../../x.png',
      `public:${day}/../${day}/${file}`,
      `public:${day}/%2e%2e/${day}/${file}`,
      'public:%00.png',
      '%2Fetc%2Fpasswd',
    ];
    for (const node of attempts) {
      const res = await t
        .http()
        .get(`/api/v2/storage/${node}`)
        .buffer(true)
        .parse(binary as never);
      expect({ node, status: res.status }).toEqual({ node, status: 404 });
      expect(String(res.body)).not.toMatch(/root:/);
    }
  });

  it('serves a private file only to its owner and to an admin (404 for guests and other users)', async () => {
    const bytes = png(3, 4);
    const up = await upload(t, owner.token, bytes, 'id-card.png', 'image/png').expect(201);
    await t.db.query('UPDATE files SET private = true WHERE node = $1', [up.body.node]);

    const guest = await t.http().get(`/api/v2/storage/${up.body.node}`);
    expect(guest.status).toBe(404);
    expect(guest.body).toEqual({ message: '内容不存在' });
    const stranger = await t.http().get(`/api/v2/storage/${up.body.node}`).set(bearer(other.token));
    expect(stranger.status).toBe(404);
    expect(stranger.body).toEqual({ message: '内容不存在' });
    const badToken = await t.http().get(`/api/v2/storage/${up.body.node}`).set(bearer('not-a-token'));
    expect(badToken.status).toBe(404);

    const mine = await download(t, up.body.node, owner.token);
    expect(mine.status).toBe(200);
    await expectSamePixels(mine.body, bytes);
    const byAdmin = await download(t, up.body.node, admin.token);
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.headers['content-type']).toMatch(/^image\/png/);
    expect(Buffer.compare(byAdmin.body as Buffer, mine.body as Buffer)).toBe(0);
    // ?token= works as well as the header (README §2)
    const byQuery = await t.http().get(`/api/v2/storage/${up.body.node}?token=${owner.token}`);
    expect(byQuery.status).toBe(200);
  });
});

describe('storage with STORAGE_MAX_BYTES=2048', () => {
  let t: TestApp;
  let user: RegisteredUser;

  beforeAll(async () => {
    t = await createTestApp({ env: { STORAGE_MAX_BYTES: '2048' } });
    user = await registerUser(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers 413 JSON to a file over the limit and stores nothing (no row, no file on disk)', async () => {
    const bytes = png(40, 40, { noise: true });
    expect(bytes.length).toBeGreaterThan(2048);
    const res = await upload(t, user.token, bytes, 'big.png', 'image/png');
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body).toEqual({ message: expect.any(String) });
    expect(await fileCount(t)).toBe(0);
    expect(filesUnder(t.config.storageDir)).toEqual([]);
  });

  it('still accepts a file under the limit', async () => {
    const bytes = png(10, 10, { noise: true });
    expect(bytes.length).toBeLessThan(2048);
    const res = await upload(t, user.token, bytes, 'small.png', 'image/png');
    expect(res.status).toBe(201);
    expect(await fileCount(t)).toBe(1);
    const stored = filesUnder(t.config.storageDir);
    expect(stored).toHaveLength(1);
    expect(res.body.size).toBe(statSync(stored[0]).size);
  });
});
