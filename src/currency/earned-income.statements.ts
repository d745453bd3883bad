import { SqlFile } from '../database/sql-file';
import { SqlParams } from '../database/sql-params';
import { EarningsSource, topEarnersSql } from './earned-income';

const DAILY: EarningsSource = { today: '2026-01-01', kept: false };
const KEPT: EarningsSource = { today: '2026-01-01', kept: true };

export const EARNED_INCOME_SQL_FILES: SqlFile[] = [
  {
    path: 'src/currency/top-earners-all-time.sql',
    about: 'the top earners of all time (ranking snapshots): $1 how many',
    sql: topEarnersSql({ days: null, city: null }, 0, new SqlParams(), DAILY),
  },
  {
    path: 'src/currency/top-earners-days-city.sql',
    about: 'the top earners of the last days in a city, from the daily rows (a window not kept): $1 city, $2 today, $3 days, $4 how many',
    sql: topEarnersSql({ days: 7, city: 'x' }, 0, new SqlParams(), DAILY),
  },
  {
    path: 'src/currency/top-earners-kept-window.sql',
    about: 'the top earners of a kept window of days in a city (ranking snapshots): $1 days, $2 city, $3 how many',
    sql: topEarnersSql({ days: 7, city: 'x' }, 0, new SqlParams(), KEPT),
  },
];
