import { IncomeRankRefresher } from '../src/ranking/income-rank.refresher';
import { uniquePhone } from './support/fixtures';
import { createTestApp, TestApp } from './support/harness';

/** quality.md §4: `GET /metrics` in Prometheus format. */
describe('metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { RANK_REFRESH_CRON: 'off' } });
  });
  afterAll(async () => {
    await t.close();
  });

  const scrape = async () => {
    const res = await t.http().get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    return res.text;
  };
  const value = (text: string, series: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  };

  it('counts requests and their latency per route pattern and status (not per raw URL)', async () => {
    await t.http().get('/api/v2/user').expect(401);
    await t.http().get('/api/v2/users/123456').expect(404);
    await t.http().get('/api/v2/users/654321').expect(404);
    const text = await scrape();
    expect(value(text, 'http_requests_total{method="GET",route="/api/v2/user",status="401"}')).toBeGreaterThanOrEqual(1);
    expect(value(text, 'http_requests_total{method="GET",route="/api/v2/users/:user",status="404"}')).toBeGreaterThanOrEqual(2);
    expect(text).not.toContain('123456');
    expect(value(text, 'http_request_duration_seconds_count{method="GET",route="/api/v2/user",status="401"}')).toBeGreaterThanOrEqual(1);
  });

  it('reports the database pool', async () => {
    const text = await scrape();
    for (const state of ['in_use', 'idle', 'waiting']) {
      expect(value(text, `db_pool_connections{state="${state}"}`)).toBeGreaterThanOrEqual(0);
    }
  });

  it('counts codes sent per channel', async () => {
    const before = value(await scrape(), 'verify_codes_sent_total{channel="sms"}') ?? 0;
    await t.http().post('/api/v2/verifycodes/register').send({ phone: uniquePhone() }).expect(202);
    expect(value(await scrape(), 'verify_codes_sent_total{channel="sms"}')).toBe(before + 1);
  });

  it('reports the rank refresh duration and the snapshot age', async () => {
    expect(await t.app.get(IncomeRankRefresher).refresh()).toBe(true);
    const text = await scrape();
    expect(value(text, 'income_rank_refresh_duration_seconds_count')).toBe(1);
    const age = value(text, 'income_rank_snapshot_age_seconds');
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(60);
  });
});
