/** What tells the time where a day boundary matters (tests inject their own to change the day; the app reads the system clock). */
export const CLOCK = Symbol('CLOCK');
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/** The UTC day of an instant, `YYYY-MM-DD`. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}
