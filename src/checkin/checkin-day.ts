/** China Standard Time is UTC+8 all year (no daylight saving): a check-in day starts at 16:00 UTC. */
const CST_OFFSET_MS = 8 * 60 * 60 * 1000;

/** The China Standard Time day of an instant, `YYYY-MM-DD`. */
export function cstDay(at: Date): string {
  return new Date(at.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/** The calendar day before `day` (`YYYY-MM-DD`), across month and year ends. */
export function dayBefore(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - 1);
  return date.toISOString().slice(0, 10);
}

export interface LastCheckin {
  day: string;
  streak: number;
}

/** Consecutive days after checking in on `today`: one more than yesterday's streak, else a new streak of 1. */
export function streakOn(today: string, last: LastCheckin | null): number {
  return last !== null && last.day === dayBefore(today) ? last.streak + 1 : 1;
}
