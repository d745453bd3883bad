import { Client } from 'pg';

/** The server-level connection the tests use to create and drop their databases. */
export function adminUrl(): string {
  const url = process.env.TEST_ADMIN_DATABASE_URL;
  if (!url) throw new Error('TEST_ADMIN_DATABASE_URL is not set: run the tests through jest (test/support/global-setup.ts)');
  return url;
}

export function databaseUrl(name: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withAdminClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The prefix of every database one test run creates (from its template's name), so its teardown drops only those. */
export function runDatabasePrefix(template: string): string {
  return `user_service_t_${template.replace(/^user_service_template_/, '')}_`;
}
