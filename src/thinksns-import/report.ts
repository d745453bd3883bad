/**
 * One line of the import report: a source row that was skipped, altered on the way in, or balanced by an
 * adjustment. `source_key` identifies the row in its source table (its id, or the key columns joined by `:`).
 */
export interface ReportEntry {
  source_table: string;
  source_key: string;
  user_id: number | null;
  action: 'skipped' | 'altered' | 'adjusted';
  reason: string;
  detail: string | null;
}

export class ReportEntries {
  readonly entries: ReportEntry[] = [];

  skipped(table: string, key: string | number, userId: number | null, reason: string, detail: string | null = null): void {
    this.entries.push({ source_table: table, source_key: String(key), user_id: userId, action: 'skipped', reason, detail });
  }

  altered(table: string, key: string | number, userId: number | null, reason: string, detail: string | null = null): void {
    this.entries.push({ source_table: table, source_key: String(key), user_id: userId, action: 'altered', reason, detail });
  }

  adjusted(table: string, key: string | number, userId: number, reason: string, detail: string): void {
    this.entries.push({ source_table: table, source_key: String(key), user_id: userId, action: 'adjusted', reason, detail });
  }
}
