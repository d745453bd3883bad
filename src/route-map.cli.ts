import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { runCommand } from './common/cli/command';
import { loadConfig } from './config/app-config';
import { ROUTE_MAP_FILE, routeMapOf } from './route-map';

/** `npm run routes`: writes ROUTES.md (routes with their access and file, tables with their owner). No database needed. */
runCommand(async () => {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: 'postgres://localhost/route-map',
    JWT_SECRET: randomBytes(32).toString('hex'),
    PII_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
  });
  writeFileSync(ROUTE_MAP_FILE, routeMapOf(config));
  console.log(`wrote ${ROUTE_MAP_FILE}`);
  return 0;
});
