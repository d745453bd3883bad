import { bearer, makeFounder, registerAdmin, registerUser, RegisteredUser } from './support/fixtures';
import { createTestApp, TestApp } from './support/harness';

interface AuditItem {
  id: number;
  created_at: string;
  actor_id: number;
  actor_abilities: string[];
  action: string;
  target_id: number | null;
  summary: Record<string, unknown>;
  ip: string | null;
  request_id: string | null;
}

/** Issue 10 #4: every admin and operator write, and every admin sign-in, in an append-only trail founders read. */
describe('admin audit log (issue 10)', () => {
  let t: TestApp;
  let founder: RegisteredUser;

  const auditLog = (query = '', token = founder.token) => t.http().get(`/api/v2/admin/audit-log${query}`).set(bearer(token));

  async function entriesFor(targetId: number): Promise<AuditItem[]> {
    const res = await auditLog(`?target=${targetId}&limit=50`);
    expect(res.status).toBe(200);
    return res.body;
  }

  beforeAll(async () => {
    t = await createTestApp();
    founder = await registerUser(t);
    await makeFounder(t, founder.id);
    await t.http().post('/api/v2/admin/user-fields').set(bearer(founder.token)).send({ name: 'note', type: 'string' }).expect(201);
  });

  afterAll(async () => {
    await t.close();
  });

  it('records each write with actor, abilities, action, target, summary, IP and request id — never a secret', async () => {
    const admin = await registerAdmin(t, ['admin:user:show', 'admin:user:update', 'admin:user:disable', 'admin:currency:manage']);
    const target = await registerUser(t);
    const steps: Array<[status: number, send: () => Promise<{ status: number }>]> = [
      [
        200,
        () =>
          t
            .http()
            .put(`/userve/v2.2/miniapp/user/account/${target.id}/`)
            .set(bearer(admin.token))
            .set('X-Request-Id', 'req-account-1')
            .send({ new_password: 'Hunter2-secret', phone: '13900001111' }),
      ],
      [200, () => t.http().put(`/userve/v2.6/miniapp/user_profile/${target.id}/`).set(bearer(admin.token)).send({ note: 'vip customer' })],
      [201, () => t.http().post(`/api/v2/admin/currency/${target.id}`).set(bearer(admin.token)).send({ amount: 25, title: 'gift' })],
      [204, () => t.http().put(`/api/v2/system/disabled/${target.id}`).set(bearer(admin.token))],
      [204, () => t.http().delete(`/api/v2/system/disabled/${target.id}`).set(bearer(admin.token))],
    ];
    for (const [i, [status, send]] of steps.entries()) expect({ i, status: (await send()).status }).toEqual({ i, status });

    const entries = await entriesFor(target.id);
    expect(entries.map((e) => e.action)).toEqual(['user.enable', 'user.disable', 'currency.adjust', 'profile.update', 'user.account']);
    for (const entry of entries) {
      expect(entry).toMatchObject({
        actor_id: admin.id,
        actor_abilities: ['admin:currency:manage', 'admin:user:disable', 'admin:user:show', 'admin:user:update'],
        target_id: target.id,
        ip: expect.stringMatching(/\d/),
        request_id: expect.any(String),
      });
      expect(Date.parse(entry.created_at)).not.toBeNaN();
    }
    const account = entries.find((e) => e.action === 'user.account')!;
    expect(account.request_id).toBe('req-account-1');
    expect(account.summary).toEqual({ fields: ['new_password', 'phone'] });
    expect(entries.find((e) => e.action === 'currency.adjust')!.summary).toEqual({ amount: 25, title: 'gift' });
    const text = JSON.stringify(entries);
    for (const secret of ['Hunter2-secret', '13900001111', target.phone, admin.token]) expect(text).not.toContain(secret);
  });

  it('a refused or failed write leaves no record; a founder’s abilities read {*}', async () => {
    const admin = await registerAdmin(t, ['admin:user:disable']);
    expect((await t.http().put(`/api/v2/system/disabled/${founder.id}`).set(bearer(admin.token))).status).toBe(403);
    const target = await registerUser(t);
    expect((await t.http().post(`/api/v2/admin/wallet/${target.id}`).set(bearer(founder.token)).send({ amount: -5 })).status).toBe(422);
    expect(await entriesFor(target.id)).toEqual([]);
    expect((await entriesFor(founder.id)).filter((e) => e.action === 'user.disable')).toEqual([]);
    expect((await t.http().post(`/api/v2/admin/wallet/${target.id}`).set(bearer(founder.token)).send({ amount: 5 })).status).toBe(201);
    expect(await entriesFor(target.id)).toMatchObject([{ action: 'wallet.adjust', actor_id: founder.id, actor_abilities: ['*'] }]);
  });

  it('writes without a target user (the custom-field schema) are recorded too', async () => {
    const admin = await registerAdmin(t, ['admin:user-field:manage']);
    await t.http().post('/api/v2/admin/user-fields').set(bearer(admin.token)).send({ name: 'tier', type: 'integer' }).expect(201);
    await t.http().delete('/api/v2/admin/user-fields/tier').set(bearer(admin.token)).expect(204);
    const entries = (await auditLog(`?actor=${admin.id}`)).body as AuditItem[];
    expect(entries).toMatchObject([
      { action: 'user_field.remove', target_id: null, summary: { name: 'tier' } },
      { action: 'user_field.create', target_id: null, summary: { name: 'tier', type: 'integer' } },
    ]);
  });

  it('admin sign-ins are recorded; other users’ are not', async () => {
    const admin = await registerAdmin(t, ['admin:user:show']);
    const plain = await registerUser(t);
    for (const user of [admin, plain]) {
      expect(
        (await t.http().post('/api/v2/auth/login').set('X-Request-Id', `login-${user.id}`).send({ login: user.name, password: user.password })).status,
      ).toBe(200);
    }
    const signIns = (await auditLog(`?action=auth.sign_in&limit=50`)).body as AuditItem[];
    expect(signIns.filter((e) => e.actor_id === admin.id)).toMatchObject([
      { target_id: admin.id, request_id: `login-${admin.id}`, actor_abilities: ['admin:user:show'] },
    ]);
    expect(signIns.filter((e) => e.actor_id === plain.id)).toEqual([]);
  });

  it('filters by actor, target, action and time, pages by keyset (after = last id), newest first', async () => {
    const admin = await registerAdmin(t, ['admin:vip:manage']);
    const targets = await Promise.all([registerUser(t), registerUser(t), registerUser(t)]);
    const start = new Date(Date.now() - 1000).toISOString();
    for (const target of targets) {
      expect((await t.http().put(`/api/v2/admin/users/${target.id}/vip`).set(bearer(admin.token)).send({ level: 2, name: 'silver' })).status).toBe(204);
    }
    const mine = (await auditLog(`?actor=${admin.id}&action=user.vip&since=${encodeURIComponent(start)}`)).body as AuditItem[];
    expect(mine.map((e) => e.target_id)).toEqual(targets.map((u) => u.id).reverse());
    expect(mine[0].summary).toEqual({ level: 2, name: 'silver', end_time: null });

    const first = (await auditLog(`?actor=${admin.id}&limit=2`)).body as AuditItem[];
    const second = (await auditLog(`?actor=${admin.id}&limit=2&after=${first[1].id}`)).body as AuditItem[];
    expect([...first, ...second].map((e) => e.id)).toEqual(mine.map((e) => e.id));
    expect((await auditLog(`?actor=${admin.id}&until=${encodeURIComponent(start)}`)).body).toEqual([]);
    expect((await auditLog(`?target=${targets[1].id}&action=user.vip`)).body.map((e: AuditItem) => e.target_id)).toEqual([targets[1].id]);

    for (const bad of ['actor=abc', 'since=yesterday', 'limit=0', 'after=-1', 'action=DROP%20TABLE']) {
      expect({ bad, status: (await auditLog(`?${bad}`)).status }).toEqual({ bad, status: 422 });
    }
  });

  it('founders only: another admin → 403, a guest → 401; no route changes the log, nor does SQL', async () => {
    const admin = await registerAdmin(t, ['admin:user:show', 'admin:user:update', 'admin:user:disable', 'admin:verification:review']);
    expect((await auditLog('', admin.token)).status).toBe(403);
    expect((await t.http().get('/api/v2/admin/audit-log')).status).toBe(401);
    const changes = t.routes.filter((r) => r.url.includes('audit-log') && r.method !== 'GET' && r.method !== 'HEAD');
    expect(changes).toEqual([]);
    for (const method of ['post', 'put', 'patch', 'delete'] as const) {
      expect((await t.http()[method]('/api/v2/admin/audit-log').set(bearer(founder.token))).status).toBe(404);
    }
    await expect(t.db.query('UPDATE admin_audit_log SET action = $1', ['forged'])).rejects.toThrow(/append-only/);
    await expect(t.db.query('DELETE FROM admin_audit_log')).rejects.toThrow(/append-only/);
    await expect(t.db.query('TRUNCATE admin_audit_log')).rejects.toThrow(/append-only/);
  });

  it('parallel writes: every committed change has exactly one record, and no record exists without its change', async () => {
    const admin = await registerAdmin(t, ['admin:wallet:manage']);
    const target = await registerUser(t);
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        t
          .http()
          .post(`/api/v2/admin/wallet/${target.id}`)
          .set(bearer(admin.token))
          .send({ amount: i % 3 === 0 ? -500 : 10 }),
      ),
    );
    const done = results.filter((r) => r.status === 201).length;
    expect(results.filter((r) => r.status === 422).length).toBe(4);
    const { rows } = await t.db.query('SELECT balance FROM wallets WHERE owner_id = $1', [target.id]);
    expect(Number(rows[0].balance)).toBe(done * 10);
    expect((await entriesFor(target.id)).length).toBe(done);
  });
});
