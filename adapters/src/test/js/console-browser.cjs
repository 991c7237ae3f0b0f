// The operators' console in a real browser (Debian's chromium driven by playwright-core), run by
// GatewayConsoleBrowserTest. Markers on stdout tell the JUnit side when to make an incident happen:
//   OPERATOR-READY  -> it sends a 119 fire call (a new P1 incident)
//   VIEWER-READY    -> it sends another one, far from the first
// Environment: PLAYWRIGHT_CORE (the package's folder), CHROMIUM, BASE, OPERATOR_KEY, VIEWER_KEY.
'use strict';

const { chromium } = require(process.env.PLAYWRIGHT_CORE);

const base = process.env.BASE;
const step = (message) => console.log('step: ' + message);

function check(condition, message) {
  if (!condition) throw new Error('check failed: ' + message);
  step('ok: ' + message);
}

async function login(browser, key) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log('page error: ' + e.message));
  await page.goto(base + '/');
  await page.fill('#key', key);
  await page.click('#login-button');
  await page.waitForSelector('#view-emergency:not([hidden])', { timeout: 10000 });
  await page.waitForSelector('#link.link-up', { timeout: 10000 });
  return page;
}

(async () => {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM, headless: true, timeout: 30000,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-dev-shm-usage'] });
  step('chromium ' + browser.version());
  try {
    // an emergency operator logs in and sees a new P1 incident appear, without reloading
    const operator = await login(browser, process.env.OPERATOR_KEY);
    check((await operator.textContent('#client')) === 'emergency-operator', 'the operator is logged in');
    check((await operator.locator('#incidents tbody tr').count()) === 0, 'no incident yet');
    console.log('OPERATOR-READY');
    const row = operator.locator('#incidents tbody tr.P1.NEW').first();
    await row.waitFor({ timeout: 15000 });
    const incidentId = await row.getAttribute('data-incident-id');
    step('incident ' + incidentId + ' appeared');
    check((await row.locator('td.priority').textContent()) === 'P1', 'it is listed as P1');
    check(/^\d+ s$/.test(await row.locator('td.deadline').textContent()), 'its acknowledgement deadline counts down');
    const first = await row.locator('td.deadline').textContent();
    await operator.waitForFunction((id) => {
      const cell = document.querySelector('#incidents tr[data-incident-id="' + id + '"] td.deadline');
      return cell && cell.textContent !== arguments[1];
    }, incidentId, { timeout: 3000 }).catch(() => {});
    step('deadline went from ' + first + ' to ' + (await row.locator('td.deadline').textContent()));

    // acknowledges it and sees its state change (the node's Incident update, over SSE)
    await row.locator('button.acknowledge').click();
    const acknowledged = operator.locator('#incidents tr[data-incident-id="' + incidentId + '"] td.state');
    await operator.waitForFunction((id) => {
      const cell = document.querySelector('#incidents tr[data-incident-id="' + id + '"] td.state');
      return cell && cell.textContent === 'IN_PROGRESS';
    }, incidentId, { timeout: 10000 });
    check((await acknowledged.textContent()) === 'IN_PROGRESS', 'the acknowledged incident is IN_PROGRESS');
    check((await operator.locator('#incidents tr[data-incident-id="' + incidentId + '"] td.owner').textContent()) === 'emergency-operator',
      'and owned by the operator');

    // a viewer sees the next new incident but no acknowledge button; the API refuses the action if forced
    const viewer = await login(browser, process.env.VIEWER_KEY);
    console.log('VIEWER-READY');
    const viewerRow = viewer.locator('#incidents tbody tr.NEW').first();
    await viewerRow.waitFor({ timeout: 15000 });
    const secondId = await viewerRow.getAttribute('data-incident-id');
    check(secondId !== incidentId, 'the viewer sees the new incident ' + secondId);
    await operator.locator('#incidents tr[data-incident-id="' + secondId + '"] button.acknowledge').waitFor({ timeout: 10000 });
    step('ok: the operator has an acknowledge button for it');
    check((await viewer.locator('#incidents button').count()) === 0, 'the viewer has no acknowledge (or any action) button');
    const forced = await viewer.evaluate(async (id) => {
      const response = await fetch('/api/incidents/' + id + '/acknowledge', { method: 'POST' });
      return { status: response.status, body: await response.json() };
    }, secondId);
    check(forced.status === 403, 'the API refuses the viewer\'s forced acknowledgement: ' + forced.body.error);
    await viewer.waitForTimeout(500);
    check((await viewer.locator('#incidents tr[data-incident-id="' + secondId + '"] td.state').textContent()) === 'NEW',
      'and the incident is still NEW');
    console.log('PASS');
  } finally {
    await browser.close();
  }
})().catch((e) => {
  console.log('FAIL: ' + (e && e.stack || e));
  process.exit(1);
});
