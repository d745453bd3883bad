import { SqlFile } from '../database/sql-file';
import { SqlParams } from '../database/sql-params';
import { topEarnersSql } from './earned-income';

export const EARNED_INCOME_SQL_FILES: SqlFile[] = [
  {
    path: 'src/currency/top-earners-all-time.sql',
    about: 'the top earners of all time (ranking snapshots): $1 how many',
    sql: topEarnersSql({ days: null, city: null }, 0, new SqlParams()),
  },
  {
    path: 'src/currency/top-earners-days-city.sql',
    about: 'the top earners of the last days in a city: $1 city, $2 days, $3 how many',
    sql: topEarnersSql({ days: 7, city: 'x' }, 0, new SqlParams()),
  },
];
