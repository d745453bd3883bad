import 'reflect-metadata';
import { runCommand } from './common/cli/command';
import { ConfigError, loadConfig } from './config/app-config';
import { migrateDatabase, roleSettingsOf } from './database/migrate';

/**
 * `npm run migrate`: the release job. Applies pending migrations and the role settings (timeouts) to DATABASE_URL
 * under the same advisory lock as boot migrations, then exits; instances run with MIGRATIONS_RUN=false and report
 * not ready (/health/ready) until it has run.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  if (!config.databaseUrl) throw new ConfigError('DATABASE_URL is required: the release job migrates an existing database');
  const { applied } = await migrateDatabase(config.databaseUrl, roleSettingsOf(config));
  console.log(applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}` : 'no pending migrations');
}

runCommand(async () => {
  await main();
  return 0;
});
