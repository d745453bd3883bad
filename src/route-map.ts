import { DynamicModule, RequestMethod, Type } from '@nestjs/common';
import { METHOD_METADATA, MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { getMetadataArgsStorage } from 'typeorm';
import { AppModule } from './app.module';
import { ABILITY_KEY, Access, ACCESS_KEY } from './common/auth/decorators';
import { isInternalRoute } from './common/http/internal-routes';
import { AppConfig } from './config/app-config';
import { ENTITIES } from './database/entities';

/** One route as ROUTES.md lists it. */
export interface MappedRoute {
  method: string;
  path: string;
  access: string;
  file: string;
}

/** One table and the module that owns it (the folder of its entity). */
export interface OwnedTable {
  table: string;
  owner: string;
  file: string;
}

type ModuleRef = Type | DynamicModule | Promise<DynamicModule> | { forwardRef: () => Type };

const SRC = __dirname;
const ROOT = join(SRC, '..');
const OPERATOR_PATH = /^\/userve(\/|$)/;
const METHOD_ORDER = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Every controller class reachable from the root module (the module graph as Nest reads it, nothing instantiated). */
export function controllersOf(root: ModuleRef): Type[] {
  const seen = new Set<unknown>();
  const controllers: Type[] = [];
  const visit = (ref: ModuleRef | undefined) => {
    if (!ref || ref instanceof Promise) return;
    const module = 'forwardRef' in ref ? ref.forwardRef() : ref;
    if (seen.has(module)) return;
    seen.add(module);
    const type = 'module' in module ? module.module : module;
    const dynamic = 'module' in module ? module : undefined;
    controllers.push(...(Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, type) ?? []), ...(dynamic?.controllers ?? []));
    for (const child of [...(Reflect.getMetadata(MODULE_METADATA.IMPORTS, type) ?? []), ...(dynamic?.imports ?? [])]) visit(child);
  };
  visit(root);
  return [...new Set(controllers)];
}

const joinPath = (...parts: string[]) =>
  '/' +
  parts
    .flatMap((part) => part.split('/'))
    .filter(Boolean)
    .join('/');

/** The routes of one controller, as Nest joins them: controller path + handler path. */
export function routesOf(controller: Type, file: string): MappedRoute[] {
  const prefixes = [Reflect.getMetadata(PATH_METADATA, controller) ?? ''].flat() as string[];
  const routes: MappedRoute[] = [];
  for (const name of Object.getOwnPropertyNames(controller.prototype)) {
    const handler = controller.prototype[name];
    if (name === 'constructor' || typeof handler !== 'function' || Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
    const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
    for (const prefix of prefixes) {
      for (const path of [Reflect.getMetadata(PATH_METADATA, handler) ?? ''].flat() as string[]) {
        const full = joinPath(prefix, path);
        routes.push({ method, path: full, access: accessOf(controller, handler, full), file });
      }
    }
  }
  return routes;
}

/** What the global guard (src/auth/access.guard.ts) asks of a caller, in the words of ROUTES.md. */
function accessOf(controller: Type, handler: object, path: string): string {
  if (isInternalRoute(path)) return 'internal';
  const read = <T>(key: string): T | undefined => Reflect.getMetadata(key, handler) ?? Reflect.getMetadata(key, controller);
  const ability = read<string>(ABILITY_KEY);
  const access = ability ?? read<Access>(ACCESS_KEY) ?? 'user';
  return OPERATOR_PATH.test(path) ? `operator: ${access}` : access;
}

/** Source files under src/ whose name matches, by the classes they export. */
function filesByClass(match: RegExp): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (match.test(entry.name)) {
        for (const [, name] of readFileSync(path, 'utf8').matchAll(/export class (\w+)/g)) files.set(name, relative(ROOT, path).split(sep).join('/'));
      }
    }
  };
  walk(SRC);
  return files;
}

export function mapRoutes(root: ModuleRef): MappedRoute[] {
  const files = filesByClass(/\.controller\.[jt]s$/);
  const routes = controllersOf(root).flatMap((controller) => routesOf(controller, files.get(controller.name) ?? '?'));
  return routes.sort((a, b) => a.path.localeCompare(b.path) || METHOD_ORDER.indexOf(a.method) - METHOD_ORDER.indexOf(b.method));
}

/** The owner of a table is the module whose folder holds its entity (`src/<module>/…`, `src/common/<part>/…`). */
export function mapTables(entities: Type[]): OwnedTable[] {
  const files = filesByClass(/\.entit(y|ies)\.[jt]s$/);
  const storage = getMetadataArgsStorage();
  return entities
    .map((entity) => {
      const file = files.get(entity.name) ?? '?';
      const [, first, second] = file.split('/');
      const table = storage.tables.find((t) => t.target === entity)?.name ?? entity.name;
      return { table, owner: first === 'common' ? `common/${second}` : first, file };
    })
    .sort((a, b) => a.table.localeCompare(b.table));
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

export function renderRouteMap(routes: MappedRoute[], tables: OwnedTable[]): string {
  return [
    '# Route map',
    '',
    "Generated by `npm run routes` from the controllers' metadata and the entities; `test/conventions.e2e-spec.ts` fails",
    'when it is not current. Do not edit by hand.',
    '',
    '## Routes',
    '',
    'Access: `guest` reads no token; `optional` identifies the caller when a valid token is sent (else a guest); `user`',
    'needs a valid token; an ability name (`admin:…`) needs a user holding it (src/auth/access.guard.ts); `operator:` marks',
    'the minapp-compatible operator API; `internal` is for the internal network (INTERNAL_PORT / INTERNAL_TOKEN). The API',
    'docs (`/api/docs`, `/api/docs-json`, `/api/docs-yaml`) are internal too, served by Swagger from src/app.setup.ts.',
    '',
    '| Method | Path | Access | File |',
    '| --- | --- | --- | --- |',
    ...routes.map((r) => `| ${r.method} | \`${cell(r.path)}\` | ${cell(r.access)} | ${r.file} |`),
    '',
    '## Tables',
    '',
    'Each table has one owning module: only its service writes it; other modules call that service.',
    '',
    '| Table | Owner | Entity |',
    '| --- | --- | --- |',
    ...tables.map((t) => `| \`${t.table}\` | ${t.owner} | ${t.file} |`),
    '',
  ].join('\n');
}

/** ROUTES.md as it should read for this code (the module graph does not depend on the configuration's values). */
export function routeMapOf(config: AppConfig): string {
  return renderRouteMap(mapRoutes(AppModule.forRoot({ config })), mapTables(ENTITIES));
}

export const ROUTE_MAP_FILE = join(ROOT, 'ROUTES.md');
