import { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { ENTITIES } from './entities';
import { installInt8Parser } from './int8';

export interface DatabaseSettings {
  url: string;
  poolSize?: number;
  applicationName?: string;
  /** Named (server-side) prepared statements on the hot path; off behind poolers that cannot keep them. */
  preparedStatements?: boolean;
}

/**
 * The one definition of the data source, used by the app, the TypeORM CLI (ormconfig.ts) and the tests.
 *
 * Only startup parameters every pooler forwards are sent (application_name): PgBouncer refuses connections that
 * carry `statement_timeout` and friends. Timeouts are role settings instead (see `applyRoleSettings`).
 */
export function buildDataSourceOptions(settings: DatabaseSettings): DataSourceOptions {
  installInt8Parser();
  return {
    type: 'postgres',
    url: settings.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    applicationName: settings.applicationName ?? 'user-service',
    extra: {
      max: settings.poolSize ?? 20,
      // A request must not hang when the database is gone: fail fast and answer 503 (quality §3).
      connectionTimeoutMillis: 3000,
      keepAlive: true,
      preparedStatements: settings.preparedStatements ?? true,
    },
  };
}
