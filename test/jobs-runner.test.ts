import { describe, expect, it } from 'vitest';
import { startJobs } from '../jobs/runner.js';
import { createLogger } from '../src/logger.js';

const log = createLogger('silent');

describe('the job runner', () => {
  it('runs a job on its cron schedule and never overlaps two runs of it', async () => {
    let running = 0;
    let maxConcurrent = 0;
    let runs = 0;
    const jobs = startJobs(
      [
        {
          name: 'slow-every-second',
          schedule: '* * * * * *',
          run: async () => {
            running++;
            maxConcurrent = Math.max(maxConcurrent, running);
            await new Promise((r) => setTimeout(r, 1_500));
            running--;
            runs++;
          },
        },
      ],
      log,
    );
    await new Promise((r) => setTimeout(r, 4_200));
    await jobs.stop();
    // Ticks every second, runs 1.5 s: one run every other tick, two or three of them by the stop
    // (which waits for the run in progress). With overlaps there would be four.
    expect([2, 3]).toContain(runs);
    expect(maxConcurrent).toBe(1);
  });

  it('waits for a run in progress when stopped, and a failing run does not stop the schedule', async () => {
    let failures = 0;
    let finished = false;
    let markStarted!: () => void;
    const started = new Promise<void>((r) => (markStarted = r));
    const jobs = startJobs(
      [
        {
          name: 'long',
          schedule: '* * * * * *',
          run: async () => {
            markStarted();
            await new Promise((r) => setTimeout(r, 800));
            finished = true;
          },
        },
        {
          name: 'failing',
          schedule: '* * * * * *',
          run: async () => {
            failures++;
            throw new Error('boom');
          },
        },
      ],
      log,
    );
    await started;
    // Just after the next tick a run is in progress (it takes 800 ms); stop must wait for it.
    await new Promise((r) => setTimeout(r, 1_000 - (Date.now() % 1_000) + 150));
    finished = false;
    await jobs.stop();
    expect(finished).toBe(true);
    // The tick that started the long run, and the next one.
    expect(failures).toBe(2);
  });

  it('refuses an invalid cron expression at start', () => {
    expect(() =>
      startJobs([{ name: 'bad', schedule: 'every tuesday', run: async () => undefined }], log),
    ).toThrow(/job bad: invalid cron expression/);
  });
});
