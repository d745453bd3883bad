import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/**
 * One owning module per table (issue 12): a table is written (INSERT / UPDATE / DELETE / TRUNCATE) only by code in the
 * folder of the module that declares its entity. Everyone else calls the owner's service with their transaction's
 * manager. This reads the source, so a foreign write fails here before review.
 */
const SRC = join(__dirname, '..');

/** Folders that load whole data sets outside the running service (a new community's demo data, a ThinkSNS+ move). */
const LOADERS = new Set(['seed', 'thinksns-import']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

function moduleOf(file: string): string {
  return relative(SRC, file).split(sep)[0];
}

/** Table → owning module, from the `@Entity('table')` declarations. */
function owners(files: string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const file of files) {
    for (const match of readFileSync(file, 'utf8').matchAll(/@Entity\(\s*'([a-z_]+)'/g)) map.set(match[1], moduleOf(file));
  }
  return map;
}

const WRITE = /\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+([a-z_]+)\b/g;

describe('table owners', () => {
  const files = sourceFiles(SRC);
  const ownerOf = owners(files);

  it('finds the owners of the tables the service writes', () => {
    expect(ownerOf.get('users')).toBe('users');
    expect(ownerOf.get('user_roles')).toBe('auth');
    expect(ownerOf.get('currency_ledger')).toBe('currency');
  });

  it('lets only the owning module write a table', () => {
    const foreign: string[] = [];
    for (const file of files) {
      const module = moduleOf(file);
      if (LOADERS.has(module)) continue;
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(WRITE)) {
        const owner = ownerOf.get(match[1]);
        if (owner !== undefined && owner !== module) foreign.push(`${relative(SRC, file)} writes ${match[1]} (owner: ${owner})`);
      }
    }
    expect(foreign).toEqual([]);
  });
});
