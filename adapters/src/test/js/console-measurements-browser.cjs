// The console's field measurements in a real browser (Debian's chromium driven by playwright-core), run by
// GatewayConsoleBrowserTest. A marker on stdout tells the JUnit side when to start feeding the known field
// (MeasurementFrames.sendKnownField) on the node's ingress, so the values arrive while the page is open:
//   FEED  -> it sends the known field, and again every 2 s until this script ends
// Environment: PLAYWRIGHT_CORE, CHROMIUM, BASE, ENERGY_KEY (energy: operate, traffic: view), TRAFFIC_KEY
// (traffic: view only), DEPARTURE (the charging session's departure, HH:mm), SCREENSHOT_DIR (optional).
'use strict';

const { chromium } = require(process.env.PLAYWRIGHT_CORE);

const base = process.env.BASE;
const shots = process.env.SCREENSHOT_DIR;
const step = (message) => console.log('step: ' + message);

function check(condition, message) {
  if (!condition) throw new Error('check failed: ' + message);
  step('ok: ' + message);
}

async function login(browser, key, firstView) {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log('page error: ' + e.message));
  await page.goto(base + '/');
  await page.fill('#key', key);
  await page.click('#login-button');
  await page.waitForSelector('#view-' + firstView + ':not([hidden])', { timeout: 10000 });
  await page.waitForSelector('#link.link-up', { timeout: 10000 });
  return page;
}

// waits until the element's text is exactly the expected one, then checks it (a clear message if it never is)
async function expectText(page, selector, expected, what) {
  await page.waitForFunction(([s, e]) => {
    const element = document.querySelector(s);
    return element && element.textContent === e;
  }, [selector, expected], { timeout: 10000 }).catch(() => {});
  const actual = await page.evaluate((s) => { const e = document.querySelector(s); return e ? e.textContent : null; }, selector);
  check(actual === expected, what + ': "' + actual + '" is "' + expected + '"');
}

(async () => {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM, headless: true, timeout: 30000,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-dev-shm-usage'] });
  step('chromium ' + browser.version());
  try {
    // an energy operator (who also views traffic) logs in before the field reports anything
    const operator = await login(browser, process.env.ENERGY_KEY, 'traffic');
    // every configured intersection has its named row from the start; the queue cell stays empty until measured
    await expectText(operator, '#signals tr[data-intersection-id="101"] td:nth-child(2)', 'Ring North', 'the name before any measurement');
    check((await operator.textContent('#signals tr[data-intersection-id="101"] td.queue')) === '', 'no queue for 101 yet');
    console.log('FEED');

    // traffic: the queue of 101 appears without reloading, in all and per approach
    const q = '#signals tr[data-intersection-id="101"]';
    await expectText(operator, q + ' td.queue', '15', 'halting vehicles at 101 in all');
    await expectText(operator, q + ' td:nth-child(2)', 'Ring North', 'its name');
    for (const [from, halting] of [['N', '3'], ['E', '6'], ['S', '0'], ['W', '6']]) {
      await expectText(operator, q + ' td.approaches .approach[data-from="' + from + '"] b', halting, 'halting on the approach from ' + from);
    }
    // next to the signal loop's mode and phase for the intersection (its SignalCommands, once it knows the controllers)
    await operator.waitForFunction((s) => { const c = document.querySelector(s); return c && c.textContent !== ''; },
      q + ' td:nth-child(3)', { timeout: 10000 }).catch(() => {});
    const mode = await operator.textContent(q + ' td:nth-child(3)');
    const phase = await operator.textContent(q + ' td:nth-child(4)');
    check(mode !== '' && /^\d+$/.test(phase), 'the row shows the signal mode ' + mode + ' and phase ' + phase + ' beside the queue');
    if (shots) await operator.screenshot({ path: shots + '/console-traffic.png', fullPage: true });

    // energy
    await operator.click('#tabs button[data-view="energy"]');
    await operator.waitForSelector('#view-energy:not([hidden])', { timeout: 5000 });
    await expectText(operator, '#ess-tiles .ess[data-device-id="301"] .soc', '62.3 %', 'Central ESS state of charge');
    await expectText(operator, '#ess-tiles .ess[data-device-id="301"] .power', 'charging 150.0 kW', 'and its power');
    await expectText(operator, '#ess-tiles .ess[data-device-id="302"] .soc', '41.5 %', 'Community Center ESS state of charge');
    await expectText(operator, '#ess-tiles .ess[data-device-id="302"] .power', 'discharging 80.0 kW', 'and its power');
    await expectText(operator, '#pv-total', '962.4 kW', 'PV output in all');
    await expectText(operator, '#pv tr[data-device-id="201"] td.output', '350.0 kW', 'PV 201');
    await expectText(operator, '#pv tr[data-device-id="221"] td.output', '612.4 kW', 'PV 221');
    await expectText(operator, '#pcc-measured', '4,321.0 kW', 'the measured PCC power');
    await expectText(operator, '#load', '5,100.0 kW', 'the load');
    const c = '#chargers tr[data-charger-id="427"]';
    await expectText(operator, c + ' td.name', 'Mobility Hub Super 1', 'the charging session at charger 427');
    await expectText(operator, c + ' td.soc', '42.0 %', 'its vehicle\'s state of charge');
    await expectText(operator, c + ' td.power', '180.0 kW', 'its power');
    await expectText(operator, c + ' td.needed', '31.5 kWh', 'the energy it still needs');
    const departure = await operator.textContent(c + ' td.departure');
    check(departure.startsWith(process.env.DEPARTURE + ' (in '), 'its departure "' + departure + '" at ' + process.env.DEPARTURE);
    check((await operator.locator('#chargers tbody tr').count()) === 1, 'the ended session (charger 401) is not listed');
    // the chart: the measured line is drawn (its colour on the canvas), beside the planned one once the node has planned
    await operator.waitForFunction(() => document.querySelector('#energy-now').textContent.startsWith('Plan:'), null, { timeout: 10000 });
    const pixels = await operator.evaluate(() => {
      const canvas = document.querySelector('#pcc-chart');
      const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      const count = (r, g, b) => { let n = 0; for (let i = 0; i < data.length; i += 4) if (data[i] === r && data[i + 1] === g && data[i + 2] === b) n++; return n; };
      return { measured: count(0xfb, 0xbf, 0x24), planned: count(0x60, 0xa5, 0xfa) };
    });
    check(pixels.measured > 200, 'the measured PCC line is drawn (' + pixels.measured + ' px)');
    check(pixels.planned > 0, 'and the planned one (' + pixels.planned + ' px)');
    if (shots) await operator.screenshot({ path: shots + '/console-energy.png', fullPage: true });

    // a traffic viewer sees the queue, no energy tab, and gets no energy data from the API or the event stream
    const viewer = await login(browser, process.env.TRAFFIC_KEY, 'traffic');
    await expectText(viewer, q + ' td.queue', '15', 'the traffic viewer sees the queue at 101');
    check(await viewer.locator('#tabs button[data-view="energy"]').isHidden(), 'the traffic viewer has no energy tab');
    const api = await viewer.evaluate(async () => (await fetch('/api/state')).json());
    check(api.traffic && api.traffic.queues.length === 1 && api.energy === undefined, 'GET /api/state gives it traffic and no energy');
    await viewer.waitForTimeout(2500);
    check(await viewer.evaluate(() => state.energy === null), 'its event stream brought no energy data in 2.5 s');
    check((await viewer.textContent('#ess-tiles')) === '' && (await viewer.textContent('#pv-total')) === '-', 'and its page shows none');
    console.log('PASS');
  } finally {
    await browser.close();
  }
})().catch((e) => {
  console.log('FAIL: ' + (e && e.stack || e));
  process.exit(1);
});
