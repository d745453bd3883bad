/**
 * A composed statement written out as a `.sql` file beside the code that composes it, so a reader sees the final SQL
 * and a change to it shows up in review. src/database/sql-files.spec.ts fails when a text and its file differ
 * (UPDATE_SQL_SNAPSHOTS=1 rewrites the files).
 */
export interface SqlFile {
  /** path from the project root, e.g. `src/users/views/user-view.sql` */
  path: string;
  /** what the statement answers, and its parameters */
  about: string;
  sql: string;
}
