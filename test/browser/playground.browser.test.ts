/**
 * The playground in a real browser (issue 14): Debian's chromium driven by playwright-core, against
 * Cairn started as `npm start` starts it without Slack settings (its own process, the sample portfolio
 * on first start). A newcomer's first minutes: the sample digest with its thread and charts, a
 * `/status` typed in the box, "Still on track" and the update modal from a digest line. Screenshots go
 * to test-output/playground/ (docs/images/playground.png is one of them).
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/db/database-server.js';
import { eventually } from '../support/cairn-harness.js';
import { startCairnProcess, stopCairnProcesses, type Started } from '../support/cairn-process.js';
import { testDatabaseUri } from '../support/database.js';

const CHROMIUM = '/usr/bin/chromium';
const root = new URL('../..', import.meta.url).pathname;
const shots = join(root, 'test-output/playground');
const dbName = `t_browser_playground_${process.pid}`;

let cairn: Started;
let browser: Browser;
let page: Page;
let url: string;

describe.skipIf(!existsSync(CHROMIUM))(
  `the playground in Debian's chromium (skipped without ${CHROMIUM}; .ci/run installs it)`,
  () => {
    beforeAll(async () => {
      const port = await freePort();
      cairn = startCairnProcess(['--import', 'tsx', join(root, 'src/main.ts')], {
        MONGODB_URI: testDatabaseUri(),
        MONGODB_DATABASE: dbName,
        PORT: String(port),
        NODE_ENV: 'development',
      });
      await eventually(
        async () => cairn.lines.some((l) => String(l.msg).startsWith('Cairn playground: open')),
        90_000,
      );
      url = `http://127.0.0.1:${port}/`;
      await mkdir(shots, { recursive: true });
      // The flags keep chromium off the network this machine does not have (see .ci/run).
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    }, 150_000);

    afterAll(async () => {
      await browser?.close();
      stopCairnProcesses();
      await cairn?.exited;
      const db = await mongoose.createConnection(testDatabaseUri(), { dbName }).asPromise();
      await db.dropDatabase();
      await db.close();
    }, 60_000);

    // Bounded, so that a stuck step fails with Playwright's account of why (covered, detached…)
    // rather than as the test's own timeout.
    const as = async (name: string) => {
      await page.selectOption('#user', { label: name }, { timeout: 10_000 });
    };
    const conversation = (name: string) =>
      page.locator('#conversations button', { hasText: name }).click({ timeout: 10_000 });
    /** A locator's text if it is on the page within a second, else '' (for polls, which then retry). */
    const textNow = (locator: Locator) =>
      locator
        .textContent({ timeout: 1_000 })
        .then((text) => text ?? '')
        .catch(() => '');
    const type = async (text: string) => {
      await page.fill('#text', text);
      await page.press('#text', 'Enter');
    };
    /** The section of a workstream's line in the open digest's thread. */
    const threadLine = (name: string) =>
      page
        .locator('details.thread .block.section', { hasText: name })
        .filter({ has: page.locator('select.overflow') })
        .first();

    it('loads with the sample digest in its channel: the main message, its thread and its charts', async () => {
      await page.goto(url);
      await conversation('checkout');
      const digest = page.locator('#messages .message').first();
      await expect.poll(() => textNow(digest), { timeout: 10_000 }).toContain('Checkout revamp (sample)');
      expect(await digest.textContent()).toContain('Needs attention');
      const thread = page.locator('details.thread').first();
      await thread.locator('summary').click();
      const charts = thread.locator('img[src^="/files/"]');
      await expect.poll(() => charts.count()).toBeGreaterThanOrEqual(2);
      // Drawn, not a broken image: the PNG the fake Slack stored was served and decoded.
      const widths = await charts.evaluateAll((imgs) =>
        imgs.map((i) => (i as unknown as { naturalWidth: number }).naturalWidth),
      );
      expect(Math.min(...widths)).toBeGreaterThan(100);
      await page.screenshot({ path: join(shots, 'playground.png') });
    });

    it('takes a /status typed in the box and shows the answer to that person alone', async () => {
      await as('Ana');
      await conversation('checkout');
      await type('/status web on_track Payment step merged behind the flag');
      const answer = page.locator('.message.ephemeral', { hasText: 'Payment step merged' });
      await expect.poll(() => answer.count(), { timeout: 10_000 }).toBeGreaterThan(0);
      await as('Ben');
      await expect.poll(() => answer.count(), { timeout: 5_000 }).toBe(0);
    });

    it('records "Still on track" from a digest line\'s menu: the answer and the workstream\'s history say so', async () => {
      await as('Ben');
      await conversation('checkout');
      await page.locator('details.thread summary').first().click();
      const line = threadLine('Checkout API');
      await line.locator('select.overflow').selectOption({ label: 'Still on track' });
      const told = page.locator('.message.ephemeral', { hasText: /carried forward|still on track/i });
      await expect.poll(() => told.count(), { timeout: 10_000 }).toBeGreaterThan(0);
      await type('/status api history');
      const history = page.locator('.message.ephemeral', { hasText: 'Order endpoints migrated' });
      await expect.poll(() => history.count(), { timeout: 10_000 }).toBeGreaterThan(0);
      expect(await history.last().textContent()).toMatch(/still on track|carried forward/i);
    });

    it('opens the update modal from a digest line, shows an inline error, and records the update once fixed', async () => {
      await as('Cho');
      await conversation('payments');
      await page.locator('details.thread summary').first().click();
      await threadLine('Card vault').locator('select.overflow').selectOption({ label: 'Update…' });
      const modal = page.locator('#modal.on .dialog');
      await expect.poll(() => modal.count(), { timeout: 10_000 }).toBe(1);
      await page.screenshot({ path: join(shots, 'update-modal.png') });
      // A forecast in the past: Cairn answers an inline error, the modal stays and keeps what was typed.
      await modal.locator('label', { hasText: 'Off track' }).locator('input[type="radio"]').check();
      const summary = modal.locator('textarea').first();
      await summary.fill('Key rotation redesigned; auditor re-review booked');
      const forecast = modal.locator('input[type="date"]');
      await forecast.fill('2020-01-02');
      await modal.locator('[data-kind="submit"]').click();
      await expect
        .poll(() => textNow(modal.locator('.error')), { timeout: 10_000 })
        .toContain('2020-01-02 has passed');
      expect(await summary.inputValue()).toBe('Key rotation redesigned; auditor re-review booked');
      await forecast.fill('');
      await modal.locator('[data-kind="submit"]').click();
      await expect.poll(() => page.locator('#modal.on').count(), { timeout: 10_000 }).toBe(0);
      await type('/status vault history');
      const history = page.locator('.message.ephemeral', { hasText: 'auditor re-review booked' });
      await expect.poll(() => history.count(), { timeout: 10_000 }).toBeGreaterThan(0);
    });

    it('shows the App Home tab for the person chosen', async () => {
      await as('Priya (PM)');
      await conversation('Home');
      await expect
        .poll(() => textNow(page.locator('#messages .home')), { timeout: 10_000 })
        .toMatch(/sample/i)
        .catch(async (error: Error) => {
          // Say what the page and Cairn saw, so that a failure here names its cause.
          const warnings = cairn.lines.filter((l) => Number(l.level) >= 40).slice(-5);
          throw new Error(
            `${error.message}\nthe page shows: ${(await textNow(page.locator('#messages'))).slice(0, 300)}\n` +
              `Cairn's last warnings: ${warnings.map((l) => JSON.stringify(l)).join('\n') || 'none'}`,
          );
        });
      await page.screenshot({ path: join(shots, 'home.png') });
    });
  },
);
