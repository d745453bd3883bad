/**
 * Waits until `condition` holds, checking it again every `everyMs`: how tests wait for something that happens in the
 * background (a scheduled run, a signal handled), instead of sleeping a guessed time. The deadline only turns a
 * condition that never holds into a clear failure; no test asserts how long the wait took.
 */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, { everyMs = 50, deadlineMs = 60_000 } = {}): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`still waiting for ${what} after ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
