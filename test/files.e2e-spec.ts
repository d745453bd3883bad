import { createHash } from 'node:crypto';
import { join } from 'node:path';
import sharp from 'sharp';
import request from 'supertest';
import { bearer, makeFounder, registerUser, RegisteredUser } from './support/fixtures';
import { binary, filesUnder } from './support/bytes';
import { createTestApp, TestApp } from './support/harness';
import { jpeg, png } from './support/images';

/**
 * The ThinkSNS+ 1.x file API (thinksns-compat §2) as the H5 client calls it: `POST /files` with FormData `file`
 * (src/api/index.js postFile, src/util/SendImage.js), `GET /files/uploaded/:md5` before uploading, `GET /files/:id`
 * (and `?w=&h=` thumbnails) as image sources; `POST /user/avatar` (`avatar`) and `POST /user/bg` (`image`).
 */

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');

describe('legacy files: /api/v2/files, /user/avatar, /user/bg', () => {
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

  const fileCount = async () => Number((await t.db.query('SELECT count(*) AS n FROM files')).rows[0].n);
  const upload = (token: string | null, bytes: Buffer, field = 'file') => {
    const req = t.http().post('/api/v2/files');
    if (token) req.set(bearer(token));
    return req.attach(field, bytes, { filename: 'photo.png', contentType: 'image/png' });
  };
  const get = (path: string, token?: string): request.Test => {
    const req = t
      .http()
      .get(path)
      .buffer(true)
      .parse(binary as never);
    if (token) req.set(bearer(token));
    return req;
  };

  it('POST /files stores the image and answers 201 {"message":["上传成功"],"id"} with an integer id', async () => {
    const bytes = png(40, 30);
    const res = await upload(owner.token, bytes);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ message: ['上传成功'], id: expect.any(Number) });
    expect(Number.isInteger(res.body.id) && res.body.id > 0).toBe(true);
    const { rows } = await t.db.query('SELECT owner_id, md5, mime, width, height FROM files WHERE id = $1', [res.body.id]);
    expect(rows).toEqual([{ owner_id: owner.id, md5: md5(bytes), mime: 'image/png', width: 40, height: 30 }]);
  });

  it('POST /files: guest 401, not an image or another field 422, nothing stored', async () => {
    const before = await fileCount();
    expect((await upload(null, png(2, 2))).status).toBe(401);
    const text = await upload(owner.token, Buffer.from('hello, not an image'));
    expect(text.status).toBe(422);
    expect(text.body.errors.file).toEqual(['文件必须是 jpeg、png、gif 或 webp 图片']);
    expect((await upload(owner.token, png(2, 2), 'image')).status).toBe(422);
    expect(await fileCount()).toBe(before);
  });

  it('de-duplicates per owner by md5: the same content again is the same id, another owner gets their own file', async () => {
    const bytes = png(21, 22);
    const first = await upload(owner.token, bytes);
    const before = await fileCount();
    const again = await upload(owner.token, bytes);
    expect(again.body.id).toBe(first.body.id);
    expect(await fileCount()).toBe(before);
    const theirs = await upload(other.token, bytes);
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(first.body.id);
  });

  it('de-duplicates parallel uploads of the same content into one file (unique index)', async () => {
    const bytes = png(23, 24);
    const answers = await Promise.all(Array.from({ length: 5 }, () => upload(owner.token, bytes)));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    const { rows } = await t.db.query('SELECT count(*)::int AS n FROM files WHERE owner_id = $1 AND md5 = $2', [owner.id, md5(bytes)]);
    expect(rows[0].n).toBe(1);
  });

  it('GET /files/uploaded/:md5 answers the caller\'s own file only (200 {"message":["success"],"id"}), else 404', async () => {
    const bytes = png(31, 5);
    const { body } = await upload(owner.token, bytes);
    const mine = await t
      .http()
      .get(`/api/v2/files/uploaded/${md5(bytes)}`)
      .set(bearer(owner.token));
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual({ message: ['success'], id: body.id });
    expect(
      (
        await t
          .http()
          .get(`/api/v2/files/uploaded/${md5(bytes).toUpperCase()}`)
          .set(bearer(owner.token))
      ).body.id,
    ).toBe(body.id);

    const theirs = await t
      .http()
      .get(`/api/v2/files/uploaded/${md5(bytes)}`)
      .set(bearer(other.token));
    expect(theirs.status).toBe(404);
    expect(theirs.body).toEqual({ message: '内容不存在' });
    expect(
      (
        await t
          .http()
          .get(`/api/v2/files/uploaded/${md5(Buffer.from('never sent'))}`)
          .set(bearer(owner.token))
      ).status,
    ).toBe(404);
    expect((await t.http().get('/api/v2/files/uploaded/not-a-hash').set(bearer(owner.token))).status).toBe(404);
    expect((await t.http().get(`/api/v2/files/uploaded/${md5(bytes)}`)).status).toBe(401);
  });

  it('GET /files/:id serves a public file to everyone, as stored', async () => {
    const { body } = await upload(owner.token, png(17, 9));
    for (const token of [undefined, owner.token, other.token]) {
      const res = await get(`/api/v2/files/${body.id}`, token);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('image/png');
      expect(res.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
      const meta = await sharp(res.body as Buffer).metadata();
      expect([meta.width, meta.height]).toEqual([17, 9]);
    }
    const json = await t.http().get(`/api/v2/files/${body.id}?json=1&w=10`);
    expect(json.status).toBe(200);
    expect(json.body).toEqual({ url: expect.stringMatching(new RegExp(`/api/v2/files/${body.id}\\?w=10$`)) });
  });

  it('GET /files/:id of a private file (ID photo): owner and reviewers only, 404 for guests and other users', async () => {
    const { body } = await upload(owner.token, png(15, 15));
    await t.db.query('UPDATE files SET private = true WHERE id = $1', [body.id]);
    expect((await get(`/api/v2/files/${body.id}`)).status).toBe(404);
    expect((await get(`/api/v2/files/${body.id}`, other.token)).status).toBe(404);
    const mine = await get(`/api/v2/files/${body.id}`, owner.token);
    expect(mine.status).toBe(200);
    expect(mine.headers['cache-control']).toBe('private, no-store');
    expect((await get(`/api/v2/files/${body.id}?w=5`, admin.token)).status).toBe(200);
    expect((await get(`/api/v2/files/${body.id}?w=5`, other.token)).status).toBe(404);
    // a private file is no longer offered for re-use by md5
    expect(
      (
        await t
          .http()
          .get(`/api/v2/files/uploaded/${md5(png(15, 15))}`)
          .set(bearer(owner.token))
      ).status,
    ).toBe(404);
  });

  it('GET /files/:id answers 404 for unknown or malformed ids', async () => {
    for (const id of ['999999999', '0', 'abc', '1.5', '-1', '99999999999999999999']) {
      const res = await t.http().get(`/api/v2/files/${id}`);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ message: '内容不存在' });
    }
  });

  it('?w=&h= resizes inside the box keeping the aspect ratio and never upscales', async () => {
    const { body } = await upload(owner.token, png(40, 30));
    const size = async (query: string) => {
      const res = await get(`/api/v2/files/${body.id}?${query}`);
      expect(res.status).toBe(200);
      const meta = await sharp(res.body as Buffer).metadata();
      return [meta.width, meta.height];
    };
    expect(await size('w=20&h=20')).toEqual([20, 15]);
    expect(await size('w=10')).toEqual([10, 8]);
    expect(await size('h=3')).toEqual([4, 3]);
    expect(await size('w=400&h=300')).toEqual([40, 30]);
    expect(await size('w=2048')).toEqual([40, 30]);
  });

  it('?q= re-encodes a jpeg at that quality (smaller), same dimensions', async () => {
    const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 60 } } })
      .jpeg({ quality: 95 })
      .toBuffer();
    const { body } = await upload(owner.token, photo);
    const full = await get(`/api/v2/files/${body.id}`);
    const low = await get(`/api/v2/files/${body.id}?q=10`);
    expect(low.status).toBe(200);
    expect(low.headers['content-type']).toBe('image/jpeg');
    expect((low.body as Buffer).length).toBeLessThan((full.body as Buffer).length);
    const meta = await sharp(low.body as Buffer).metadata();
    expect([meta.width, meta.height]).toEqual([64, 48]);
  });

  it('refuses w / h / q out of bounds with 422 (w, h 1–2048, q 1–100)', async () => {
    const { body } = await upload(owner.token, await jpeg(10, 10));
    for (const query of ['w=0', 'w=2049', 'h=-5', 'h=99999', 'q=0', 'q=101', 'w=abc', 'w=1.5']) {
      const res = await t.http().get(`/api/v2/files/${body.id}?${query}`);
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.errors)).toEqual([query.split('=')[0]]);
    }
  });

  it('makes each copy once and keeps it in the file store; boxes past the original share one copy', async () => {
    const { body } = await upload(owner.token, png(50, 10));
    const variants = () => filesUnder(join(t.config.storageDir, 'variants'));
    const before = variants().length;
    const first = await get(`/api/v2/files/${body.id}?w=500&h=5`);
    const second = await get(`/api/v2/files/${body.id}?w=900&h=5`);
    const parallel = await Promise.all(Array.from({ length: 4 }, () => get(`/api/v2/files/${body.id}?w=25`)));
    expect(variants().length).toBe(before + 2);
    expect(Buffer.compare(first.body as Buffer, second.body as Buffer)).toBe(0);
    expect(new Set(parallel.map((p) => md5(p.body as Buffer))).size).toBe(1);
    const meta = await sharp(first.body as Buffer).metadata();
    expect([meta.width, meta.height]).toEqual([25, 5]);
  });

  it('POST /user/avatar (multipart `avatar`) and POST /user/bg (multipart `image`) answer 204 and set the images', async () => {
    const avatar = await t
      .http()
      .post('/api/v2/user/avatar')
      .set(bearer(owner.token))
      .attach('avatar', png(64, 64), { filename: 'a.png', contentType: 'image/png' });
    expect(avatar.status).toBe(204);
    const bg = await t
      .http()
      .post('/api/v2/user/bg')
      .set(bearer(owner.token))
      .attach('image', await jpeg(80, 40), { filename: 'b.jpg', contentType: 'image/jpeg' });
    expect(bg.status).toBe(204);
    const me = await t.http().get('/api/v2/user').set(bearer(owner.token)).expect(200);
    expect(me.body.avatar).toMatchObject({ mime: 'image/png', dimension: { width: 64, height: 64 } });
    expect(me.body.bg).toMatchObject({ mime: 'image/jpeg', dimension: { width: 80, height: 40 } });
    const { rows } = await t.db.query('SELECT f.owner_id FROM users u JOIN files f ON f.node = u.avatar WHERE u.id = $1', [owner.id]);
    expect(rows).toEqual([{ owner_id: owner.id }]);
    const publicView = await t.http().get(`/api/v2/users/${owner.id}`).expect(200);
    expect(publicView.body.avatar.node).toBe(me.body.avatar.node);
  });

  it('POST /user/avatar and /user/bg: guest 401, wrong field or not an image 422, nothing changed', async () => {
    const before = (await t.db.query('SELECT avatar, bg FROM users WHERE id = $1', [other.id])).rows[0];
    expect((await t.http().post('/api/v2/user/avatar').attach('avatar', png(2, 2), { filename: 'a.png', contentType: 'image/png' })).status).toBe(401);
    const wrong = await t
      .http()
      .post('/api/v2/user/avatar')
      .set(bearer(other.token))
      .attach('file', png(2, 2), { filename: 'a.png', contentType: 'image/png' });
    expect(wrong.status).toBe(422);
    expect(Object.keys(wrong.body.errors)).toEqual(['avatar']);
    const text = await t
      .http()
      .post('/api/v2/user/bg')
      .set(bearer(other.token))
      .attach('image', Buffer.from('nope'), { filename: 'b.png', contentType: 'image/png' });
    expect(text.status).toBe(422);
    expect((await t.db.query('SELECT avatar, bg FROM users WHERE id = $1', [other.id])).rows[0]).toEqual(before);
  });
});
