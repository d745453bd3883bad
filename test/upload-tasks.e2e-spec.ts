import { createHash } from 'node:crypto';
import { bearer, registerUser, RegisteredUser } from './support/fixtures';
import { createTestApp, TestApp } from './support/harness';
import { jpeg, png } from './support/images';

/**
 * ThinkSNS+ 2.x upload tasks (thinksns-compat §2): `POST /storage` with the JSON the H5 client builds
 * (src/api/upload.js createUploadTask), then a `PUT` of the raw bytes to `uri` with the answered `method` and `headers`
 * and nothing else (the client's separate axios instance sends no token). Single use, owner only, md5 and size checked.
 */

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');

/** The body FormAvatarItem.vue / UserHome.vue send. */
const taskBody = (bytes: Buffer, filename = 'avatar.png', mime = 'image/png') => ({
  filename,
  hash: md5(bytes),
  size: bytes.length,
  mime_type: mime,
  storage: { channel: 'public' },
});

interface Task {
  uri: string;
  method: string;
  headers: Record<string, string>;
}

describe('upload tasks: POST /api/v2/storage (JSON) and PUT of its uri', () => {
  let t: TestApp;
  let owner: RegisteredUser;
  let other: RegisteredUser;

  beforeAll(async () => {
    t = await createTestApp();
    [owner, other] = await Promise.all([registerUser(t), registerUser(t)]);
  });
  afterAll(async () => {
    await t?.close();
  });

  const fileCount = async () => Number((await t.db.query('SELECT count(*) AS n FROM files')).rows[0].n);

  async function createTask(token: string, body: object): Promise<Task> {
    const res = await t.http().post('/api/v2/storage').set(bearer(token)).send(body);
    expect(res.status).toBe(201);
    return res.body;
  }

  /** The PUT as the client's upload instance sends it: the task's method, url and headers, the bytes as the body. */
  function put(task: Task, bytes: Buffer, extra: Record<string, string> = {}) {
    const url = new URL(task.uri);
    return t
      .http()
      .put(url.pathname + url.search)
      .set({ ...task.headers, ...extra })
      .send(bytes);
  }

  it('answers the task shape the client reads; the PUT stores the file and its node works as an avatar', async () => {
    const bytes = png(40, 30);
    const res = await t.http().post('/api/v2/storage').set(bearer(owner.token)).send(taskBody(bytes));
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(['file_key', 'form', 'headers', 'method', 'node', 'uri']);
    expect(res.body).toMatchObject({ method: 'PUT', form: null, file_key: null, node: null });
    expect(res.body.headers).toEqual({ 'Content-Type': 'application/octet-stream' });
    expect(res.body.uri).toMatch(/^https?:\/\/[^/]+\/api\/v2\/storage\/uploads\/\d+\?expires=\d+&signature=[\w-]{43}$/);

    const stored = await put(res.body, bytes);
    expect(stored.status).toBe(201);
    expect(Object.keys(stored.body)).toEqual(['node']);
    expect(stored.body.node).toMatch(/^public:\d{4}\/\d{2}\/\d{2}\/[0-9a-f]{32}\.png$/);

    const { rows } = await t.db.query('SELECT owner_id, md5, width, height FROM files WHERE node = $1', [stored.body.node]);
    expect(rows).toEqual([{ owner_id: owner.id, md5: md5(bytes), width: 40, height: 30 }]);

    await t.http().patch('/api/v2/user').set(bearer(owner.token)).send({ avatar: stored.body.node }).expect(204);
    const me = await t.http().get('/api/v2/user').set(bearer(owner.token)).expect(200);
    expect(me.body.avatar.node).toBe(stored.body.node);
    await t.http().get(`/api/v2/storage/${stored.body.node}`).expect(200);
  });

  it('also takes the bytes sent as image/* (a client that keeps the blob type)', async () => {
    const bytes = await jpeg(8, 8);
    const task = await createTask(owner.token, taskBody(bytes, 'a.jpg', 'image/jpeg'));
    const res = await put(task, bytes, { 'Content-Type': 'image/jpeg' });
    expect(res.status).toBe(201);
    expect(res.body.node).toMatch(/\.jpg$/);
  });

  it('needs a signed-in creator (guest → 401) and a public channel, a md5 and a size within STORAGE_MAX_BYTES (422)', async () => {
    const bytes = png(3, 3);
    expect((await t.http().post('/api/v2/storage').send(taskBody(bytes))).status).toBe(401);
    const bad: Array<[object, string]> = [
      [{ ...taskBody(bytes), storage: { channel: 'private' } }, 'storage.channel'],
      [{ ...taskBody(bytes), storage: undefined }, 'storage'],
      [{ ...taskBody(bytes), hash: 'xyz' }, 'hash'],
      [{ ...taskBody(bytes), hash: undefined }, 'hash'],
      [{ ...taskBody(bytes), size: 0 }, 'size'],
      [{ ...taskBody(bytes), size: '12' }, 'size'],
      [{ ...taskBody(bytes), size: t.config.storageMaxBytes + 1 }, 'size'],
    ];
    const before = Number((await t.db.query('SELECT count(*) AS n FROM upload_tasks')).rows[0].n);
    for (const [body, field] of bad) {
      const res = await t.http().post('/api/v2/storage').set(bearer(owner.token)).send(body);
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.errors)).toEqual([field]);
    }
    expect(Number((await t.db.query('SELECT count(*) AS n FROM upload_tasks')).rows[0].n)).toBe(before);
  });

  it('is single use: the same PUT again is 409 and stores nothing more', async () => {
    const bytes = png(5, 6);
    const task = await createTask(owner.token, taskBody(bytes));
    expect((await put(task, bytes)).status).toBe(201);
    const before = await fileCount();
    const again = await put(task, bytes);
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ message: '该上传任务已完成' });
    expect(await fileCount()).toBe(before);
  });

  it('is single use under parallel PUTs: exactly one 201, the others 409, one file', async () => {
    const bytes = png(7, 9);
    const task = await createTask(other.token, taskBody(bytes));
    const before = await fileCount();
    const answers = await Promise.all(Array.from({ length: 6 }, () => put(task, bytes)));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    expect(await fileCount()).toBe(before + 1);
    const { rows } = await t.db.query('SELECT count(*)::int AS n FROM files WHERE owner_id = $1 AND md5 = $2', [other.id, md5(bytes)]);
    expect(rows[0].n).toBe(1);
  });

  it("belongs to its creator: a PUT with another user's token is 404 and the task stays usable by its URL", async () => {
    const bytes = png(11, 4);
    const task = await createTask(owner.token, taskBody(bytes));
    const before = await fileCount();
    const stranger = await put(task, bytes, bearer(other.token));
    expect(stranger.status).toBe(404);
    expect(stranger.body).toEqual({ message: '内容不存在' });
    expect(await fileCount()).toBe(before);
    const mine = await put(task, bytes, bearer(owner.token));
    expect(mine.status).toBe(201);
    const { rows } = await t.db.query('SELECT owner_id FROM files WHERE node = $1', [mine.body.node]);
    expect(rows[0].owner_id).toBe(owner.id);
    // the other user cannot use that node either
    const patch = await t.http().patch('/api/v2/user').set(bearer(other.token)).send({ avatar: mine.body.node });
    expect(patch.status).toBe(422);
  });

  it('refuses bytes whose md5 or size differ from the task (422) without using it up', async () => {
    const bytes = png(12, 12);
    const task = await createTask(owner.token, taskBody(bytes));
    const before = await fileCount();

    const otherSameSize = png(12, 12, { noise: true }).subarray(0, bytes.length);
    const hash = await put(task, otherSameSize);
    expect(hash.status).toBe(422);
    expect(hash.body.message).toBe('Hash 校验失败');

    const size = await put(task, Buffer.concat([bytes, Buffer.from([0])]));
    expect(size.status).toBe(422);
    expect(size.body.message).toBe('文件大小与上传任务不符');
    expect(await fileCount()).toBe(before);

    expect((await put(task, bytes)).status).toBe(201);
  });

  it('refuses content that is not an image even with the announced md5 and size (422), the task stays usable', async () => {
    const text = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    const task = await createTask(owner.token, taskBody(text, 'x.svg', 'image/svg+xml'));
    const res = await put(task, text);
    expect(res.status).toBe(422);
    expect(res.body.errors.file).toEqual(['文件必须是 jpeg、png、gif 或 webp 图片']);
    const { rows } = await t.db.query('SELECT used_at FROM upload_tasks WHERE id = $1', [Number(new URL(task.uri).pathname.split('/').pop())]);
    expect(rows[0].used_at).toBeNull();
  });

  it('answers 403 to a forged or altered signature, an altered expiry or an expired task', async () => {
    const bytes = png(2, 9);
    const task = await createTask(owner.token, taskBody(bytes));
    const url = new URL(task.uri);
    const id = Number(url.pathname.split('/').pop());
    const variants = [
      `${url.pathname}?expires=${url.searchParams.get('expires')}&signature=${'A'.repeat(43)}`,
      `${url.pathname}?expires=${Number(url.searchParams.get('expires')) + 3600}&signature=${url.searchParams.get('signature')}`,
      `${url.pathname}?expires=${url.searchParams.get('expires')}`,
      `/api/v2/storage/uploads/${id + 1000}${url.search}`,
    ];
    const statuses = [];
    for (const path of variants) statuses.push((await t.http().put(path).set(task.headers).send(bytes)).status);
    expect(statuses).toEqual([403, 403, 403, 404]);

    await t.db.query("UPDATE upload_tasks SET expires_at = now() - interval '1 second' WHERE id = $1", [id]);
    const expired = await put(task, bytes);
    expect(expired.status).toBe(403);
    expect(expired.body).toEqual({ message: '上传地址无效或已过期' });
  });

  it('ends in the same stored file as /files and /storage: the same content from the same owner is one file', async () => {
    const bytes = png(13, 8);
    const legacy = await t.http().post('/api/v2/files').set(bearer(owner.token)).attach('file', bytes, { filename: 'a.png', contentType: 'image/png' });
    expect(legacy.status).toBe(201);
    const task = await createTask(owner.token, taskBody(bytes));
    const res = await put(task, bytes);
    expect(res.status).toBe(201);
    const { rows } = await t.db.query('SELECT node FROM files WHERE id = $1', [legacy.body.id]);
    expect(res.body.node).toBe(rows[0].node);
  });

  it('takes raw bodies on the upload route only (415 elsewhere), with a body over STORAGE_MAX_BYTES refused with 413', async () => {
    const elsewhere = await t.http().post('/api/v2/auth/login').set('Content-Type', 'application/octet-stream').send(Buffer.from('abc'));
    expect(elsewhere.status).toBe(415);
    const text = await t.http().put('/api/v2/storage/uploads/1?expires=1&signature=x').set('Content-Type', 'text/plain').send('abc');
    expect(text.status).toBe(415);

    const bytes = png(2, 2);
    const task = await createTask(owner.token, taskBody(bytes));
    const huge = await put(task, Buffer.alloc(t.config.storageMaxBytes + 1));
    expect(huge.status).toBe(413);
  });
});
