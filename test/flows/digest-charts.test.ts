/**
 * Charts in a digest's thread (SPEC §7, issue 11) through the receiver: `/program digest` posts the
 * digest, then uploads the health history and the milestone timeline into its thread as PNGs with alt
 * text; a failed upload neither blocks nor repeats the digest.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCairn, type RunningCairn } from '../support/cairn-harness.js';
import { ask } from '../support/conversation.js';
import { testDatabase } from '../support/database.js';
import { colourCounts, decode } from '../charts/png.js';

const PM = 'U0PM';
let db: Awaited<ReturnType<typeof testDatabase>>;
let running: RunningCairn;
let clock = new Date('2026-11-25T15:00:00Z');

beforeAll(async () => {
  db = await testDatabase('digest-charts');
  running = await startCairn(db.connection, { now: () => clock });
  running.slack.setRateLimiting(false);
  running.slack.setUser({ id: PM, tz: 'UTC' });
  for (const [command, text] of [
    ['/program', 'new checkout "Checkout" channel:<#C0CHARTS|checkout>'],
    ['/program', `add checkout ui "Checkout UI" team:web lead:<@${PM}> due:2026-12-20`],
    ['/program', `add checkout api "Checkout API" team:api lead:<@${PM}> due:2026-12-10`],
    ['/status', 'checkout/ui green forecast:2026-12-18 on plan'],
    ['/status', 'checkout/api amber forecast:2026-12-16 slipping'],
    ['/program', 'milestone checkout "Launch" 2026-12-15 needs:ui,api'],
  ] as const) {
    expect((await ask(running, command, text, { userId: PM })).all, text).not.toContain(':warning:');
  }
});
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

const mainPosts = () =>
  running.slack.calls('chat.postMessage').filter((c) => c.args.channel === 'C0CHARTS' && !c.args.thread_ts);

describe('a digest’s charts', () => {
  it('are uploaded into the digest’s thread as PNGs that decode to 800 × 400, not blank, with alt text', async () => {
    const answer = await ask(running, '/program', 'digest checkout', { userId: PM });
    expect(answer.all).toContain('Posted the digest');
    const main = mainPosts().at(-1)!;
    const files = running.slack.uploadedFiles('C0CHARTS');
    expect(files.map((f) => f.filename)).toEqual(['checkout-health.png', 'checkout-milestones.png']);
    for (const file of files) {
      expect(file.threadTs).toBe(main.response.ts);
      const image = decode(file.bytes);
      expect([image.width, image.height]).toEqual([800, 400]);
      expect(colourCounts(image).size).toBeGreaterThan(10);
      expect(file.altText?.length ?? 0).toBeGreaterThan(20);
    }
    expect(files[1]!.altText).toContain('Launch');
  });

  it('leave the digest posted once when an upload fails', async () => {
    clock = new Date('2026-11-25T16:00:00Z');
    const before = mainPosts().length;
    const filesBefore = running.slack.uploadedFiles('C0CHARTS').length;
    running.slack.injectError('files.completeUploadExternal', { error: 'not_in_channel', times: 2 });
    const answer = await ask(running, '/program', 'digest checkout', { userId: PM });
    expect(answer.all).toContain('Posted the digest');
    expect(mainPosts().length - before).toBe(1);
    expect(running.slack.uploadedFiles('C0CHARTS').length - filesBefore).toBe(0);
  });
});
