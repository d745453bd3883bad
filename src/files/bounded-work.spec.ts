import { ApiError } from '../common/errors/api-error';
import { BoundedWork } from './bounded-work';

/** A job that finishes when the test says so. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('BoundedWork', () => {
  it('runs at most `running` jobs at once and starts the next one as a job ends', async () => {
    const work = new BoundedWork<number>(2, 10);
    const gates = [gate(), gate(), gate()];
    let active = 0;
    let peak = 0;
    const started: number[] = [];
    const results = gates.map((g, i) =>
      work.run(`k${i}`, async () => {
        started.push(i);
        peak = Math.max(peak, ++active);
        await g.opened;
        active--;
        return i;
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1]);
    gates[0].open();
    await results[0];
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2]);
    gates[1].open();
    gates[2].open();
    expect(await Promise.all(results)).toEqual([0, 1, 2]);
    expect(peak).toBe(2);
  });

  it('refuses with 503 once `waiting` jobs are in line, and accepts again when the line moves', async () => {
    const work = new BoundedWork<string>(1, 1);
    const g = gate();
    const first = work.run('a', async () => (await g.opened, 'a'));
    const second = work.run('b', async () => 'b');
    let refused: unknown;
    try {
      await work.run('c', async () => 'c');
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).status).toBe(503);
    g.open();
    expect(await Promise.all([first, second])).toEqual(['a', 'b']);
    expect(await work.run('c', async () => 'c')).toBe('c');
  });

  it('shares one run between jobs of the same key', async () => {
    const work = new BoundedWork<number>(1, 0);
    let runs = 0;
    const g = gate();
    const a = work.run('same', async () => (runs++, await g.opened, 7));
    const b = work.run('same', async () => (runs++, 8));
    g.open();
    expect(await Promise.all([a, b])).toEqual([7, 7]);
    expect(runs).toBe(1);
  });
});
