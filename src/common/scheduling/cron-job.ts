import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';

/**
 * Registers a background job on a six-field cron (`off`: not on this instance). A run never overlaps the previous
 * one on this instance, and a failed run is logged, not thrown.
 */
export function scheduleJob(scheduler: SchedulerRegistry, name: string, cronTime: string, run: () => Promise<unknown>, logger: Logger): void {
  if (cronTime === 'off') return;
  const job = CronJob.from({
    cronTime,
    onTick: async () => {
      await run();
    },
    waitForCompletion: true,
    errorHandler: (error) => logger.error({ err: error instanceof Error ? error.message : String(error) }, `${name} failed`),
    start: true,
  });
  scheduler.addCronJob(name, job);
}
