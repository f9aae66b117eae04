'use strict';
// sheets/Code.gs against the real vaxl backend.  Started by
// tests/server/test_apps_script.py, which passes the backend in the environment:
// VAXL_TEST_URL, VAXL_TEST_TOKEN (for VAXL_TEST_SHEET_ID), VAXL_TEST_MAX_BODY.

const test = require('node:test');
const assert = require('node:assert/strict');
const { makeWorld } = require('./harness.js');

const URL = process.env.VAXL_TEST_URL;
const TOKEN = process.env.VAXL_TEST_TOKEN;
const SHEET_ID = process.env.VAXL_TEST_SHEET_ID;
const MAX_BODY = Number(process.env.VAXL_TEST_MAX_BODY || 0);
const skip = !URL ? 'run through pytest tests/server/test_apps_script.py (needs the backend)' : false;

// Paris is UTC+1 in November: the stand-in hands Code.gs real Date objects,
// and the dates must arrive at the backend as the sheet's local dates.
const TZ = 'Europe/Paris';
const d = (y, m, day) => new Date(Date.UTC(y, m - 1, day) - 3600 * 1000);  // local midnight in Paris
const duration = (h, min) => new Date(Date.UTC(1899, 11, 30, h, min) - 561 * 1000);  // Paris LMT +0:09:21

function workbook() {
  return {
    Settings: [['Setting', 'Value'], ['Business Name', 'Ana VA'], ['Currency', 'USD']],
    Clients: [
      ['Client ID', 'Client Name', 'Billing', 'Rate', 'Retainer Hours', 'Retainer Fee', 'Rush Surcharge'],
      ['ACME', 'Acme Co', 'hourly', 50, '', '', ''],
      ['BETA', 'Beta LLC', 'retainer', 40, 10, 400, 0.25],
    ],
    Timesheet: [
      ['Date', 'Client ID', 'Task', 'Category', 'Hours', 'Rush', 'Billable'],
      [d(2026, 11, 2), 'ACME', '=HYPERLINK("http://evil")', 'Admin', 1.5, '', ''],
      [d(2026, 11, 3), 'ACME', 'Inbox', 'Admin', duration(1, 30), 'Y', ''],
      [d(2026, 11, 4), 'BETA', 'Calls', 'Admin', 2, '', ''],
      [d(2026, 11, 30), 'BETA', 'Month end', 'Admin', 0.5, '', ''],
    ],
    Notes: [['my own notes'], ['never sent']],
  };
}

function world(extra) {
  return makeWorld(Object.assign({
    id: SHEET_ID, timezone: TZ, tabs: workbook(),
    formats: { Clients: [['General', 'General', 'General', 'General', 'General', 'General', 'General'],
      ['General', 'General', 'General', 'General', 'General', 'General', 'General'],
      ['General', 'General', 'General', 'General', 'General', 'General', '0%']] },
    properties: { VAXL_URL: URL, VAXL_TOKEN: TOKEN },
  }, extra || {}));
}

test('onOpen builds the vaxl menu and every item is a function', { skip }, () => {
  const w = world();
  w.context.onOpen();
  assert.equal(w.menus.length, 1);
  assert.equal(w.menus[0].name, 'vaxl');
  const items = w.menus[0].items.filter(([caption]) => caption !== '---');
  assert.deepEqual(items.map(([c]) => c), ['Validate', 'Invoices', 'Report', 'Run all', 'Settings']);
  for (const [, fn] of items) assert.equal(typeof w.context[fn], 'function', fn);
  // Functions a drawing can be assigned to.
  for (const fn of ['vaxlValidate', 'vaxlInvoices', 'vaxlReport', 'vaxlRun']) {
    assert.equal(typeof w.context[fn], 'function', fn);
  }
});

test('Run all: one getValues per input tab, one setValues per tab written, values as returned', { skip }, () => {
  const w = world({ prompts: [['OK', '2026-11']] });
  const result = w.context.vaxlRun();
  assert.deepEqual(w.alerts, [], JSON.stringify(w.alerts));
  assert.ok(result, 'the run returned the backend result');
  assert.equal(w.fetches.length, 1);

  // Reads: exactly one getValues per input tab, none on the user's own tab.
  for (const tab of ['Settings', 'Clients', 'Timesheet']) assert.equal(w.count('getValues', tab), 1, tab);
  assert.equal(w.count('getValues', 'Notes'), 0);
  const sent = JSON.parse(w.fetches[0].params.payload);
  assert.equal(sent.month, '2026-11');
  assert.equal(sent.timezone, TZ);
  assert.deepEqual(sent.sheet_names, ['Settings', 'Clients', 'Timesheet', 'Notes']);
  assert.equal(sent.tabs.Timesheet.values[1][0], '2026-11-02T00:00:00');  // local date, not UTC
  assert.equal(sent.tabs.Timesheet.values[2][4], '1899-12-30T01:30:00');  // a duration
  assert.equal(sent.tabs.Clients.number_formats[2][6], '0%');
  assert.equal(w.fetches[0].params.headers.Authorization, 'Bearer ' + TOKEN);

  // Writes: one setValues per returned tab, with exactly the backend's values.
  const response = JSON.parse(w.responses[0].body);
  assert.deepEqual(Object.keys(response.tabs).sort(), [...response.tab_order].sort());
  assert.ok(response.tab_order.includes('Validation'));
  assert.ok(response.tab_order.includes('Invoices'));
  for (const name of response.tab_order) {
    assert.equal(w.count('setValues', name), 1, name);
    const call = w.calls.find((c) => c.method === 'setValues' && c.sheet === name);
    assert.deepEqual(call.values, response.tabs[name].values, name);
    assert.equal(w.sheet(name).hidden, Boolean(response.tabs[name].hidden), name);
  }
  assert.equal(w.count('setValues', 'Timesheet'), 0, 'input tabs are never written');

  // The billing went through: ACME 1.5 h + 1.5 h rush at 50, BETA retainer 400.
  const byClient = Object.fromEntries(response.invoices.map((inv) => [inv.client_id, inv]));
  assert.equal(byClient.ACME.total, '187.50');  // 3 h x 50 + 50% rush on 1.5 h x 50
  assert.equal(byClient.BETA.total, '400.00');

  // User text that looks like a formula is written as text, never as a formula.
  const invoiceTab = w.sheet(byClient.ACME.number);
  let found = false;
  for (const [, cell] of invoiceTab.cells) {
    if (cell.value === '=HYPERLINK("http://evil")') { found = true; assert.equal(cell.formula, ''); }
  }
  assert.ok(found, 'the task text is on the invoice tab as text');
  assert.ok(w.toasts.length === 1 || w.alerts.length === 0);
});

test('a second run rewrites the same tabs in place (cleared, not duplicated)', { skip }, () => {
  const w = world({ prompts: [['OK', '2026-11'], ['OK', '2026-11']] });
  const first = w.context.vaxlInvoices();
  const tabsAfterFirst = w.sheets.map((s) => s.name);
  const second = w.context.vaxlInvoices();
  assert.deepEqual(w.sheets.map((s) => s.name), tabsAfterFirst);
  assert.deepEqual(second.invoices, first.invoices);
  for (const name of second.tab_order) assert.equal(w.count('clear', name), 1, name);
});

test('Validate needs no month and writes the Validation tab', { skip }, () => {
  const tabs = workbook();
  tabs.Timesheet.push([d(2026, 11, 5), 'NOPE', 'x', 'Admin', 1, '', '']);
  const w = world({ tabs });
  const result = w.context.vaxlValidate();
  assert.equal(w.count('prompt'), 0);
  assert.ok(result.issues.some((p) => p.severity === 'error' && p.tab === 'Timesheet'));
  assert.ok(w.sheet('Validation'));
  assert.equal(w.alerts.length, 1);
  assert.match(w.alerts[0].title, /errors/);
});

test('a wrong token gives the token alert and writes nothing', { skip }, () => {
  const w = world({ properties: { VAXL_URL: URL, VAXL_TOKEN: 'not-the-token' } });
  assert.equal(w.context.vaxlValidate(), null);
  assert.equal(w.responses[0].code, 401);
  assert.equal(w.alerts.length, 1);
  assert.match(w.alerts[0].title, /token was refused/);
  assert.ok(w.alerts[0].message.includes('vaxl token ' + SHEET_ID), w.alerts[0].message);
  assert.equal(w.count('setValues'), 0);
  assert.equal(w.lockHeld, false, 'the lock is released after a failure');
});

test('not set up yet: an alert, no request', { skip }, () => {
  const w = world({ properties: {} });
  assert.equal(w.context.vaxlRun(), null);
  assert.equal(w.fetches.length, 0);
  assert.match(w.alerts[0].title, /not set up/);
  assert.match(w.alerts[0].message, /vaxl > Settings/);
});

test('a double click: the second run finds the lock taken', { skip }, () => {
  const w = world();
  w.lockHeld = true;  // the first click is still running
  assert.equal(w.context.vaxlValidate(), null);
  assert.equal(w.fetches.length, 0);
  assert.equal(w.alerts[0].title, 'vaxl is already running');
});

test('an unreachable backend gives a clear alert', { skip }, () => {
  const w = world({ properties: { VAXL_URL: 'http://127.0.0.1:9', VAXL_TOKEN: TOKEN } });
  assert.equal(w.context.vaxlValidate(), null);
  assert.match(w.alerts[0].title, /could not reach/);
  assert.match(w.alerts[0].message, /vaxl > Settings/);
});

test('a sheet over the size limit gives the 413 alert', { skip: skip || (!MAX_BODY && 'no limit given') }, () => {
  const tabs = workbook();
  const filler = 'x'.repeat(200);
  for (let i = 0; i < Math.ceil(MAX_BODY / 200) + 10; i++) tabs.Timesheet.push([d(2026, 11, 6), 'ACME', filler, 'Admin', 1, '', '']);
  const w = world({ tabs });
  assert.equal(w.context.vaxlValidate(), null);
  assert.equal(w.responses[0].code, 413);
  assert.match(w.alerts[0].title, /too large/);
});

test('a sheet that is not a vaxl workbook gives the 422 message', { skip }, () => {
  const w = world({ tabs: { Settings: [['Setting', 'Value'], ['Currency', 'USD']] } });
  assert.equal(w.context.vaxlValidate(), null);
  assert.equal(w.responses[0].code, 422);
  assert.match(w.alerts[0].title, /could not use this sheet/);
  assert.match(w.alerts[0].message, /Clients/);
});

test('Cancel at the month prompt sends nothing; a bad month is asked again', { skip }, () => {
  const cancelled = world({ prompts: [['CANCEL', '']] });
  assert.equal(cancelled.context.vaxlReport(), null);
  assert.equal(cancelled.fetches.length, 0);
  const retried = world({ prompts: [['OK', 'November'], ['OK', '2026-11']] });
  const result = retried.context.vaxlReport();
  assert.equal(result.period, '2026-11');
  assert.match(retried.alerts[0].title, /is not a month/);
});

test('Settings stores the URL and the token in Script Properties', { skip }, () => {
  const w = world({ properties: {}, prompts: [['OK', 'https://vaxl.example.com/'], ['OK', ' tok ']] });
  w.context.vaxlSettings();
  assert.deepEqual(w.properties, { VAXL_URL: 'https://vaxl.example.com', VAXL_TOKEN: 'tok' });
  const insecure = world({ properties: {}, prompts: [['OK', 'http://vaxl.example.com']] });
  insecure.context.vaxlSettings();
  assert.deepEqual(insecure.properties, {});
  assert.match(insecure.alerts[0].title, /https/);
});
