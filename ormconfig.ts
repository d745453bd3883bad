import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './src/database/data-source-options';

/** For the TypeORM CLI (`npm run migration:*`): needs DATABASE_URL (start the service once for the embedded one). */
const url = process.env.DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:54329/postgres';
export default new DataSource(buildDataSourceOptions({ url, poolSize: 2, applicationName: 'typeorm-cli' }));
