import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EARNED_INCOME_SQL_FILES } from './currency/earned-income.statements';
import { SqlFile } from './database/sql-file';
import { PROFILE_SQL_FILES } from './operator/profiles.statements';
import { RANK_SQL_FILES } from './ranking/income-rank.statements';
import { USER_SQL_FILES } from './users/views/user.statements';

const FILES: SqlFile[] = [...USER_SQL_FILES, ...RANK_SQL_FILES, ...EARNED_INCOME_SQL_FILES, ...PROFILE_SQL_FILES];
const ROOT = join(__dirname, '..');
const UPDATE = process.env.UPDATE_SQL_SNAPSHOTS === '1';

function fileText({ about, sql }: SqlFile): string {
  return `-- ${about}\n-- Composed by the code beside this file; UPDATE_SQL_SNAPSHOTS=1 npx jest src/sql-files.spec.ts rewrites it.\n${sql}\n`;
}

describe('composed SQL, written out beside its code', () => {
  it.each(FILES.map((file) => [file.path, file] as const))('%s is the text the code composes', (path, file) => {
    const absolute = join(ROOT, path);
    if (UPDATE) writeFileSync(absolute, fileText(file));
    expect(existsSync(absolute)).toBe(true);
    expect(readFileSync(absolute, 'utf8')).toBe(fileText(file));
  });
});
