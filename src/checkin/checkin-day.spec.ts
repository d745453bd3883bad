import { cstDay, dayBefore, streakOn } from './checkin-day';

describe('check-in days (China Standard Time)', () => {
  describe('cstDay', () => {
    it('turns at 16:00 UTC (midnight in Beijing)', () => {
      expect(cstDay(new Date('2026-03-09T15:59:59.999Z'))).toBe('2026-03-09');
      expect(cstDay(new Date('2026-03-09T16:00:00.000Z'))).toBe('2026-03-10');
    });

    it('crosses month and year ends on the CST clock', () => {
      expect(cstDay(new Date('2026-01-31T16:00:00Z'))).toBe('2026-02-01');
      expect(cstDay(new Date('2025-12-31T15:59:59Z'))).toBe('2025-12-31');
      expect(cstDay(new Date('2025-12-31T16:00:00Z'))).toBe('2026-01-01');
    });
  });

  describe('dayBefore', () => {
    it.each([
      ['2026-03-01', '2026-02-28'],
      ['2024-03-01', '2024-02-29'],
      ['2026-01-01', '2025-12-31'],
      ['2026-05-01', '2026-04-30'],
      ['2026-07-15', '2026-07-14'],
    ])('%s → %s', (day, before) => {
      expect(dayBefore(day)).toBe(before);
    });
  });

  describe('streakOn', () => {
    it('starts at 1 for a first check-in', () => {
      expect(streakOn('2026-03-10', null)).toBe(1);
    });

    it('adds one when the last check-in was yesterday, across month and year ends', () => {
      expect(streakOn('2026-03-10', { day: '2026-03-09', streak: 4 })).toBe(5);
      expect(streakOn('2026-03-01', { day: '2026-02-28', streak: 2 })).toBe(3);
      expect(streakOn('2024-03-01', { day: '2024-02-29', streak: 9 })).toBe(10);
      expect(streakOn('2026-01-01', { day: '2025-12-31', streak: 30 })).toBe(31);
    });

    it('starts over after a missed day, or a leap day that was skipped', () => {
      expect(streakOn('2026-03-10', { day: '2026-03-08', streak: 7 })).toBe(1);
      expect(streakOn('2024-03-01', { day: '2024-02-28', streak: 7 })).toBe(1);
      expect(streakOn('2026-01-01', { day: '2025-12-30', streak: 7 })).toBe(1);
    });

    it('counts by the CST day: 15:59 UTC and 16:00 UTC on the same UTC date are two consecutive check-ins', () => {
      const first = cstDay(new Date('2026-03-09T15:59:00Z'));
      const second = cstDay(new Date('2026-03-09T16:00:00Z'));
      expect(streakOn(second, { day: first, streak: 1 })).toBe(2);
    });

    it('two check-ins 23 hours apart inside one CST day are the same day (no second streak step)', () => {
      const first = cstDay(new Date('2026-03-09T16:00:00Z'));
      const second = cstDay(new Date('2026-03-10T15:00:00Z'));
      expect(second).toBe(first);
    });
  });
});
