import { randomInt } from 'node:crypto';
import { residentIdNumber } from '../src/seed/resident-id';
import { bearer, registerAdmin, registerUser, RegisteredUser, uniquePhone } from './support/fixtures';
import { createTestApp, TestApp } from './support/harness';
import { png } from './support/images';

/**
 * The old verification API `/user/certification` (thinksns-compat §5), as the H5 client's profile/Certificate.vue
 * and Certification.vue use it: flat body, file ids, status 0 / 1 / 2, 201 with a message for POST and PATCH. It is
 * the same record as `/user/verification`: submitted through one API, read and reviewed through the other.
 */

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const SUBMITTED = { message: '提交成功，等待审核' };

function idNumber(): string {
  return residentIdNumber('110101', new Date(Date.UTC(1960 + randomInt(40), randomInt(12), 1 + randomInt(28))), randomInt(1000), true);
}

/** Uploads an image and answers its file id (the integer the legacy `/files` API hands out: `files.id`). */
async function uploadId(t: TestApp, user: RegisteredUser, width = 8, height = 6): Promise<{ id: number; node: string }> {
  const res = await t
    .http()
    .post('/api/v2/storage')
    .set(bearer(user.token))
    .attach('file', png(width, height), { filename: 'card.png', contentType: 'image/png' });
  expect(res.status).toBe(201);
  const { rows } = await t.db.query('SELECT id FROM files WHERE node = $1', [res.body.node]);
  return { id: Number(rows[0].id), node: res.body.node };
}

/** The body Certificate.vue posts: `Object.assign({ files }, fields, type === 'org' ? orgFields : {}, { type })`. */
function personalForm(files: number[], overrides: Record<string, unknown> = {}) {
  return { files, name: '张三丰', number: idNumber(), phone: uniquePhone(), desc: '知名作家', type: 'user', ...overrides };
}

describe('/user/certification (thinksns-compat §5)', () => {
  let t: TestApp;
  let reviewer: RegisteredUser;

  const certification = (user: RegisteredUser) => t.http().get('/api/v2/user/certification').set(bearer(user.token));
  const post = (user: RegisteredUser, body: object) => t.http().post('/api/v2/user/certification').set(bearer(user.token)).send(body);
  const patch = (user: RegisteredUser, body: object) => t.http().patch('/api/v2/user/certification').set(bearer(user.token)).send(body);
  const verification = async (user: RegisteredUser) => (await t.http().get('/api/v2/user/verification').set(bearer(user.token)).expect(200)).body;
  const review = (user: RegisteredUser, decision: 'approve' | 'reject', body: object) =>
    t.http().patch(`/api/v2/admin/verifications/${user.id}/${decision}`).set(bearer(reviewer.token)).send(body).expect(204);

  beforeAll(async () => {
    t = await createTestApp();
    reviewer = await registerAdmin(t, ['admin:verification:review']);
  });
  afterAll(async () => {
    await t.close();
  });

  it('needs a token', async () => {
    await t.http().get('/api/v2/user/certification').expect(401);
    await t
      .http()
      .post('/api/v2/user/certification')
      .send(personalForm([1, 2]))
      .expect(401);
    await t.http().patch('/api/v2/user/certification').send({ desc: 'x' }).expect(401);
  });

  it('GET answers null before anything was submitted; PATCH then is 404', async () => {
    const user = await registerUser(t);
    const res = await certification(user);
    expect(res.status).toBe(200);
    expect(res.text).toBe('null');
    await patch(user, { desc: 'x' }).expect(404);
  });

  describe('submitted through the old API, read and reviewed through the new one', () => {
    let user: RegisteredUser;
    let front: { id: number; node: string };
    let rear: { id: number; node: string };
    let form: ReturnType<typeof personalForm>;

    beforeAll(async () => {
      user = await registerUser(t);
      front = await uploadId(t, user, 8, 6);
      rear = await uploadId(t, user, 6, 4);
      form = personalForm([front.id, rear.id]);
    });

    it('POST with the flat body → 201 {"message":"提交成功，等待审核"}', async () => {
      const res = await post(user, form);
      expect(res.status).toBe(201);
      expect(res.body).toEqual(SUBMITTED);
    });

    it('GET /user/certification: the fields Certification.vue reads, status 0, category, icon, files', async () => {
      const { body } = await certification(user).expect(200);
      expect(body).toEqual({
        id: user.id,
        certification_name: 'user',
        user_id: user.id,
        data: { name: form.name, number: form.number, phone: form.phone, desc: form.desc, files: [front.id, rear.id] },
        examiner: 0,
        status: 0,
        created_at: expect.stringMatching(ISO),
        updated_at: expect.stringMatching(ISO),
        icon: null,
        category: { name: 'user', display_name: '个人认证', description: '' },
        files: [
          { file: front.id, size: expect.any(Number), mime: 'image/png' },
          { file: rear.id, size: expect.any(Number), mime: 'image/png' },
        ],
      });
    });

    it('GET /user/verification shows the same record (state -1, decrypted, images as file objects)', async () => {
      const body = await verification(user);
      expect(body).toMatchObject({
        type: 'user',
        state: -1,
        desc: form.desc,
        user_id: user.id,
        data: { id_card: { number: form.number, front: { node: front.node }, rear: { node: rear.node } }, real_name: form.name, phone_number: form.phone },
      });
    });

    it('one record, sealed at rest, ID photos private', async () => {
      const { rows } = await t.db.query('SELECT * FROM verifications WHERE user_id = $1', [user.id]);
      expect(rows).toHaveLength(1);
      expect(JSON.stringify(rows[0])).not.toContain(form.number);
      expect(JSON.stringify(rows[0])).not.toContain(form.name);
      const files = await t.db.query('SELECT private FROM files WHERE id = ANY($1::bigint[])', [[front.id, rear.id]]);
      expect(files.rows).toEqual([{ private: true }, { private: true }]);
    });

    it('a second submission through either API is refused (422) and changes nothing', async () => {
      const again = await post(user, personalForm([front.id, rear.id]));
      expect(again.status).toBe(422);
      const viaNew = await t
        .http()
        .post('/api/v2/user/verification')
        .set(bearer(user.token))
        .send({
          type: 'user',
          data: { id_card: { front: front.node, rear: rear.node, number: idNumber() }, real_name: '李四', phone_number: uniquePhone() },
        });
      expect(viaNew.status).toBe(422);
      expect((await certification(user)).body.data.number).toBe(form.number);
    });

    it('PATCH while waiting for review → 422', async () => {
      const res = await patch(user, { ...form, desc: '改' });
      expect(res.status).toBe(422);
      expect(res.body.message).toBe('正在审核中，无法修改');
    });

    it('rejected through the admin review: status 2 with reject_content; the user corrects it with PATCH (201) and it waits again', async () => {
      await review(user, 'reject', { reason: '照片模糊' });
      const rejected = (await certification(user)).body;
      expect(rejected.status).toBe(2);
      expect(rejected.data.reject_content).toBe('照片模糊');
      expect((await verification(user)).state).toBe(0);

      const clearer = await uploadId(t, user, 9, 6);
      const res = await patch(user, { ...form, desc: '重新提交', files: [clearer.id, rear.id] });
      expect(res.status).toBe(201);
      expect(res.body).toEqual(SUBMITTED);
      const after = (await certification(user)).body;
      expect(after).toMatchObject({ status: 0, data: { desc: '重新提交', files: [clearer.id, rear.id], name: form.name, number: form.number } });
      expect(after.data).not.toHaveProperty('reject_content');
      expect((await verification(user)).data.id_card.front.node).toBe(clearer.node);
    });

    it('PATCH cannot change the type (422)', async () => {
      await review(user, 'reject', { reason: '再来' });
      const res = await patch(user, { type: 'org', org_name: '公司', org_address: '地址' });
      expect(res.status).toBe(422);
      expect((await certification(user)).body.certification_name).toBe('user');
    });

    it('approved: status 1, the verified badge on the user object, and no more changes (422 已审核通过，无法修改)', async () => {
      await patch(user, { desc: '第三次' }).expect(201);
      const { body: before } = await t.http().get(`/api/v2/users/${user.id}`).expect(200);
      expect(before.verified).toBeNull();
      await review(user, 'approve', { slogan: '知名作家' });
      const approved = (await certification(user)).body;
      expect(approved).toMatchObject({ status: 1, examiner: reviewer.id });
      const { body: shown } = await t.http().get(`/api/v2/users/${user.id}`).expect(200);
      expect(shown.verified).toEqual({ type: 'user', icon: null, description: '知名作家' });
      const { body: me } = await t.http().get('/api/v2/user').set(bearer(user.token)).expect(200);
      expect(me.verified).toEqual({ type: 'user', icon: null, description: '知名作家' });
      const { body: list } = await t.http().get('/api/v2/user/latests?limit=50').expect(200);
      expect(list.find((u: { id: number }) => u.id === user.id).verified).toEqual({ type: 'user', icon: null, description: '知名作家' });
      const res = await patch(user, { desc: '再改' });
      expect(res.status).toBe(422);
      expect(res.body.message).toBe('已审核通过，无法修改');
    });

    it('another user reads only their own (null), and the public view holds no personal data', async () => {
      const other = await registerUser(t);
      expect((await certification(other)).text).toBe('null');
      const { body } = await t.http().get(`/api/v2/users/${user.id}`).set(bearer(other.token)).expect(200);
      const text = JSON.stringify(body);
      for (const secret of [form.number, form.name, form.phone]) expect(text).not.toContain(secret);
    });
  });

  it('submitted through the new API (org), read through the old one', async () => {
    const user = await registerUser(t);
    const licence = await uploadId(t, user, 10, 7);
    const personNumber = idNumber();
    await t
      .http()
      .post('/api/v2/user/verification')
      .set(bearer(user.token))
      .send({
        type: 'org',
        data: {
          org: { name: '测试科技有限公司', address: '成都市高新区', certificate: licence.node },
          person: { name: '王五', number: personNumber },
          phone_number: '13800138000',
          desc: '企业',
        },
      })
      .expect(201);
    const { body } = await certification(user).expect(200);
    expect(body).toMatchObject({
      certification_name: 'org',
      status: 0,
      category: { name: 'org', display_name: '组织认证' },
      data: {
        name: '王五',
        number: personNumber,
        phone: '13800138000',
        desc: '企业',
        org_name: '测试科技有限公司',
        org_address: '成都市高新区',
        files: [licence.id],
      },
      files: [{ file: licence.id, size: expect.any(Number), mime: 'image/png' }],
    });
    const { body: queue } = await t.http().get('/api/v2/admin/verifications?state=-1').set(bearer(reviewer.token)).expect(200);
    expect(queue.map((v: { user_id: number }) => v.user_id)).toContain(user.id);
  });

  it('an organisation through the old API: org_name and org_address required, one licence file', async () => {
    const user = await registerUser(t);
    const licence = await uploadId(t, user);
    const base = { files: [licence.id], name: '赵六', number: idNumber(), phone: uniquePhone(), desc: '企业认证', type: 'org' };
    const missing = await post(user, base);
    expect(missing.status).toBe(422);
    expect(Object.keys(missing.body.errors).sort()).toEqual(['org_address', 'org_name']);
    await post(user, { ...base, org_name: '某某公司', org_address: '北京市东城区' }).expect(201);
    const { body } = await certification(user).expect(200);
    expect(body).toMatchObject({ certification_name: 'org', data: { org_name: '某某公司', org_address: '北京市东城区', files: [licence.id] } });
    expect((await verification(user)).data.org.certificate.node).toBe(licence.node);
  });

  it("refuses others' files, unknown ids, one photo for a personal submission, bad numbers; nothing is written", async () => {
    const user = await registerUser(t);
    const stranger = await registerUser(t);
    const mine = await uploadId(t, user);
    const theirs = await uploadId(t, stranger);
    const cases: Array<[object, string]> = [
      [personalForm([mine.id, theirs.id]), 'files'],
      [personalForm([mine.id, 999999999]), 'files'],
      [personalForm([mine.id]), 'files'],
      [personalForm([]), 'files'],
      [personalForm(['x' as unknown as number, mine.id]), 'files'],
      [personalForm([mine.id, mine.id], { number: '110101199001011234' }), 'data.id_card.number'],
      [personalForm([mine.id, mine.id], { phone: '12345' }), 'data.phone_number'],
      [personalForm([mine.id, mine.id], { type: 'robot' }), 'type'],
      [{ ...personalForm([mine.id, mine.id]), name: undefined }, 'name'],
    ];
    for (const [body, field] of cases) {
      const res = await post(user, body);
      expect({ field, status: res.status }).toEqual({ field, status: 422 });
      expect(Object.keys(res.body.errors)).toContain(field);
    }
    const missingFiles = await post(user, { ...personalForm([]), files: undefined });
    expect(missingFiles.status).toBe(422);
    expect(missingFiles.body.message).toBe('证件照片未提供');
    const { rows } = await t.db.query('SELECT count(*)::int AS n FROM verifications WHERE user_id = $1', [user.id]);
    expect(rows[0].n).toBe(0);
    const theirFile = await t.db.query('SELECT private FROM files WHERE id = $1', [theirs.id]);
    expect(theirFile.rows[0].private).toBe(false);
  });
});
