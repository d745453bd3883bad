import { Presets, SingleBar } from 'cli-progress';
import type { SeedStage } from './demo-data';

export interface ProgressReporter<S extends string = SeedStage> {
  report: (done: number, total: number, stage: S) => void;
  /** finishes the current bar (call before printing anything else) */
  stop(): void;
}

const LABEL_WIDTH = 13;

/**
 * On a terminal: one cli-progress bar per stage (the finished ones stay on screen). Otherwise plain lines such as
 * `users 40000/100000`, at most one per stage every `intervalMs` besides the first and the last.
 */
export function createProgressReporter<S extends string = SeedStage>(stream: NodeJS.WriteStream = process.stderr, intervalMs = 1000): ProgressReporter<S> {
  if (stream.isTTY) {
    let bar: SingleBar | null = null;
    let current: S | null = null;
    const stop = () => {
      bar?.stop();
      bar = null;
      current = null;
    };
    return {
      report(done, total, stage) {
        if (stage !== current) {
          stop();
          current = stage;
          bar = new SingleBar(
            {
              format: `${stage.padEnd(LABEL_WIDTH)} {bar} {percentage}% | {value}/{total} | {duration_formatted}`,
              stream,
              hideCursor: true,
              clearOnComplete: false,
              stopOnComplete: false,
              etaBuffer: 20,
            },
            Presets.shades_classic,
          );
          bar.start(total, done);
        } else {
          bar!.update(done);
        }
      },
      stop,
    };
  }
  let lastStage: S | null = null;
  let lastAt = 0;
  let lastDone = -1;
  return {
    report(done, total, stage) {
      const now = Date.now();
      const due = stage !== lastStage || done === total || now - lastAt >= intervalMs;
      if (!due || (stage === lastStage && done === lastDone)) return;
      stream.write(`${stage} ${done}/${total}\n`);
      lastStage = stage;
      lastAt = now;
      lastDone = done;
    },
    stop: () => undefined,
  };
}
