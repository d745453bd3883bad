import { runDatabasePrefix, withAdminClient } from './databases';

export default async function globalTeardown(): Promise<void> {
  const template = process.env.TEST_TEMPLATE_DATABASE;
  const embedded = (globalThis as { __EMBEDDED_PG__?: { stop(): Promise<void> } }).__EMBEDDED_PG__;
  if (embedded) {
    await embedded.stop();
    return;
  }
  // On a shared server, leave nothing of this run behind, and nothing of another run's touched (`_` escaped for LIKE).
  const prefix = runDatabasePrefix(template ?? '').replace(/_/g, '\\_');
  await withAdminClient(async (client) => {
    const { rows } = await client.query(`SELECT datname FROM pg_database WHERE datname LIKE $2 OR datname = $1`, [template, `${prefix}%`]);
    for (const row of rows) await client.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
  });
}
