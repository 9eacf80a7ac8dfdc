import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIMENSION_NAMES } from '../../src/evaluator/dimensions.ts';
import { Recommendation } from '../../src/evaluator/scorecard.ts';
import { PHASE_BUDGETS, PHASE_ORDER, type PhaseId } from '../../src/interview/phases.ts';
import { scriptedCandidate, SCRIPTED_PROBLEM } from '../helpers/app-harness.ts';
import { api, startServer, stopAllServers, type ServerProcess } from './server-process.ts';

/**
 * The page in a real browser: Debian's Chromium, headless, against the real server process (offline
 * engines). CI installs /usr/bin/chromium first (.ci/run); without it this test fails, it never skips
 * and never downloads a browser.
 */

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const SCREENSHOT = join(ARTIFACTS, 'practice-scorecard.png');

let dataDir: string;
let server: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    // One line, said before anything else in this file runs: what to install, not a stack of launch errors.
    throw new Error(`${CHROMIUM} is missing: run \`apt-get install -y chromium\` (Debian's package) before npm test; the browser test never downloads a browser.`);
  }
  dataDir = mkdtempSync(join(tmpdir(), 'mlsd-browser-'));
  server = await startServer(dataDir, { INTERVIEW_CLOCK_SCALE: '2' });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  await stopAllServers();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const testId = (id: string) => `[data-testid="${id}"]`;

/** The finished turns in the chat log, as { id, role, text }. */
async function chatTurns(page: Page): Promise<{ id: number; role: string; text: string }[]> {
  return page.$$eval(`${testId('chat-log')} .turn[data-final="true"]`, (elements) =>
    elements.map((element) => ({
      id: Number((element as HTMLElement).dataset.turnId),
      role: element.classList.contains('turn--candidate') ? 'candidate' : 'interviewer',
      text: (element.querySelector('.turn__body')?.textContent ?? '').trim(),
    })),
  );
}

async function waitForTurn(page: Page, turnId: number): Promise<void> {
  await page.waitForSelector(`${testId('chat-log')} #turn-${turnId}[data-final="true"]`, { timeout: 20_000 });
}

describe('the practice page in Chromium', () => {
  it('runs a whole interview, survives a reload, and shows the scorecard with working evidence links', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    const failedRequests: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400) failedRequests.push(`${response.status()} ${new URL(response.url()).pathname}`);
    });

    await page.goto(`${server.url}/`);
    await page.waitForSelector(`${testId('problem-select')} option[value="${SCRIPTED_PROBLEM}"]`, { state: 'attached', timeout: 20_000 });
    await page.selectOption(testId('problem-select'), SCRIPTED_PROBLEM);
    await page.click(testId('start-button'));
    await waitForTurn(page, 1);
    await page.waitForSelector(`${testId('connection-status')}[data-state="ready"]`, { timeout: 20_000 });
    expect(await page.textContent('#problem-name')).toBe('Real-time card payment fraud detection');

    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('mlsd-interviewer.session') ?? 'null') as { sessionId: string; token: string } | null);
    expect(stored).not.toBeNull();
    const { sessionId, token } = stored!;
    const ended = async () => (await api(server, `/v1/sessions/${sessionId}`, { token })).body.ended === true;

    const lines = scriptedCandidate();
    const sent: string[] = [];
    let reloaded = false;
    for (const line of lines) {
      const candidateTurn = sent.length * 2 + 2;
      await page.fill(testId('message-input'), line);
      await page.click(testId('send-button'));
      sent.push(line);
      await waitForTurn(page, candidateTurn);
      await waitForTurn(page, candidateTurn + 1);
      if (await ended()) break;

      if (!reloaded && sent.length === 5) {
        // Reload mid-interview: the chat comes back from the server and the interview goes on.
        reloaded = true;
        const before = await chatTurns(page);
        await page.reload();
        await waitForTurn(page, candidateTurn + 1);
        await page.waitForSelector(`${testId('connection-status')}[data-state="ready"]`, { timeout: 20_000 });
        const after = await chatTurns(page);
        expect(after.map((turn) => turn.id)).toEqual(before.map((turn) => turn.id));
        expect(after.filter((turn) => turn.role === 'candidate').map((turn) => turn.text)).toEqual(sent);
        // The phase clock shows the budget the server applies: the phase's minutes times INTERVIEW_CLOCK_SCALE=2.
        const phase = (await api(server, `/v1/sessions/${sessionId}`, { token })).body.phase as PhaseId;
        const phaseNumber = PHASE_ORDER.indexOf(phase) + 1;
        expect(await page.textContent(testId('phase-indicator'))).toMatch(new RegExp(`^Phase ${phaseNumber} of 5: ${PHASE_BUDGETS[phase].title} · \\d+:\\d\\d of ${PHASE_BUDGETS[phase].hardMinutes * 2} min`));
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: join(ARTIFACTS, 'practice-interview.png') });
      }
    }
    expect(reloaded).toBe(true);
    expect(sent.length).toBeGreaterThan(10);

    // The end: the composer goes away and the scorecard appears.
    await page.waitForSelector(testId('scorecard'), { timeout: 30_000 });
    expect(await page.isHidden('#composer')).toBe(true);
    const recommendation = await page.getAttribute(testId('recommendation'), 'data-value');
    expect(Recommendation.options).toContain(recommendation);
    expect((await page.textContent(testId('recommendation')))!.trim().length).toBeGreaterThan(0);
    // How it was made, tokens and cost included: the offline evaluator called no model.
    const meta = await page.textContent(`${testId('scorecard')} .scorecard__meta`);
    expect(meta).toContain('Tokens0 input (0 read from the cache, 0 written to the cache, 0 uncached), 0 output');
    expect(meta).toContain('Estimated costnone (no model was called)');
    const dimensions = await page.$$eval(`${testId('scorecard')} tr[data-dimension]`, (rows) =>
      rows.map((row) => ({ id: (row as HTMLElement).dataset.dimension!, name: row.querySelector('th')?.textContent ?? '', rating: row.querySelector('.rating')?.textContent ?? '' })),
    );
    expect(dimensions.map((row) => row.id).sort()).toEqual(Object.keys(DIMENSION_NAMES).sort());
    for (const row of dimensions) {
      expect(row.name).toBe(DIMENSION_NAMES[row.id as keyof typeof DIMENSION_NAMES]);
      expect(row.rating.length).toBeGreaterThan(0);
    }
    // Each rating reads as one word on one line (not "Exce / eds" in a squeezed column).
    const wrappedRatings = await page.$$eval(`${testId('scorecard')} .rating`, (labels) =>
      labels.filter((label) => {
        const range = document.createRange();
        range.selectNodeContents(label);
        return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size > 1;
      }).map((label) => label.textContent),
    );
    expect(wrappedRatings).toEqual([]);
    const transcript = await chatTurns(page);
    expect(transcript.filter((turn) => turn.role === 'candidate').map((turn) => turn.text)).toEqual(sent);

    // Evidence links lead to turns of the transcript on the page.
    const links = await page.$$eval(`${testId('scorecard')} a.turn-link`, (anchors) => anchors.map((anchor) => anchor.getAttribute('href')!));
    expect(links.length).toBeGreaterThan(0);
    for (const href of links) expect(await page.$(`${testId('chat-log')} ${href}`), `${href} is a turn on the page`).not.toBeNull();
    const target = links.at(-1)!;
    await page.evaluate(() => window.scrollTo(0, document.scrollingElement!.scrollHeight));
    await page.click(`${testId('scorecard')} a.turn-link[href="${target}"] >> nth=0`);
    await page.waitForFunction((selector) => {
      const element = document.querySelector(selector);
      if (!element || !element.classList.contains('turn--highlight')) return false;
      const box = element.getBoundingClientRect();
      return box.bottom > 0 && box.top < window.innerHeight;
    }, target, { timeout: 10_000 });
    expect(await page.$eval(target, (element) => element.classList.contains('turn--candidate'))).toBe(true);

    // The artifact: the scorecard as it appears.
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.$eval(testId('scorecard'), (element) => element.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: SCREENSHOT });
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(10_000);

    expect(pageErrors).toEqual([]);
    expect(failedRequests).toEqual([]);
    await context.close();
  });
});
