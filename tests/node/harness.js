'use strict';
// Runs sheets/Code.gs in a `vm` context with stand-ins for the Apps Script
// services it uses.  UrlFetchApp.fetch is synchronous, as in Apps Script: it
// shells out to curl and so really talks to the vaxl backend on loopback.

const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { execFileSync } = require('node:child_process');

const CODE_PATH = path.join(__dirname, '..', '..', 'sheets', 'Code.gs');

function colLetter(col) {
  let s = '';
  while (col > 0) {
    const rem = (col - 1) % 26;
    s = String.fromCharCode(65 + rem) + s;
    col = Math.floor((col - 1) / 26);
  }
  return s;
}

function parseA1(a1) {
  const one = (ref) => {
    const m = /^([A-Z]+)(\d+)$/.exec(ref.replace(/\$/g, ''));
    if (!m) throw new Error('bad A1 ' + a1);
    let col = 0;
    for (const ch of m[1]) col = col * 26 + (ch.charCodeAt(0) - 64);
    return [Number(m[2]), col];
  };
  const [a, b] = a1.split(':');
  const [r1, c1] = one(a);
  const [r2, c2] = b ? one(b) : [r1, c1];
  return [r1, c1, r2 - r1 + 1, c2 - c1 + 1];
}

class Range {
  constructor(world, sheet, row, col, rows, cols) {
    Object.assign(this, { world, sheet, row, col, rows, cols });
    if (row + rows - 1 > sheet.maxRows || col + cols - 1 > sheet.maxCols) {
      throw new Error('Exception: Range not found (outside the sheet ' + sheet.name + ')');
    }
  }
  log(method, extra) {
    this.world.calls.push(Object.assign({ method, sheet: this.sheet.name, row: this.row,
      col: this.col, rows: this.rows, cols: this.cols }, extra || {}));
  }
  matrix(key, empty) {
    const out = [];
    for (let r = 0; r < this.rows; r++) {
      const row = [];
      for (let c = 0; c < this.cols; c++) {
        const cell = this.sheet.cells.get(`${this.row + r},${this.col + c}`);
        row.push(cell && cell[key] !== undefined ? cell[key] : empty);
      }
      out.push(row);
    }
    return out;
  }
  put(key, matrix, method) {
    if (!Array.isArray(matrix) || matrix.length !== this.rows ||
        matrix.some((row) => !Array.isArray(row) || row.length !== this.cols)) {
      throw new Error(`Exception: The number of rows or columns in the data does not match the range (${method})`);
    }
    for (let r = 0; r < this.rows; r++) {
      for (let c = 0; c < this.cols; c++) {
        const k = `${this.row + r},${this.col + c}`;
        const cell = this.sheet.cells.get(k) || {};
        cell[key] = matrix[r][c];
        this.sheet.cells.set(k, cell);
      }
    }
  }
  getNumRows() { return this.rows; }
  getNumColumns() { return this.cols; }
  getValues() {
    this.log('getValues');
    // A fresh copy each call, Date objects included, as Apps Script returns.
    return this.matrix('value', '').map((row) => row.map((v) => (v instanceof Date ? new Date(v.getTime()) : v)));
  }
  getNumberFormats() { this.log('getNumberFormats'); return this.matrix('format', 'General'); }
  setValues(values) {
    this.log('setValues', { values: JSON.parse(JSON.stringify(values)) });
    this.put('entered', values, 'setValues');
    // What Sheets stores: a leading apostrophe makes text (and is hidden); '=' a formula.
    const stored = values.map((row) => row.map((v) => {
      if (typeof v === 'string' && v.startsWith("'")) return { value: v.slice(1), formula: '' };
      if (typeof v === 'string' && v.startsWith('=')) return { value: '', formula: v };
      return { value: v, formula: '' };
    }));
    this.put('value', stored.map((r) => r.map((x) => x.value)), 'setValues');
    this.put('formula', stored.map((r) => r.map((x) => x.formula)), 'setValues');
    return this;
  }
  setNumberFormats(m) { this.log('setNumberFormats'); this.put('format', m, 'setNumberFormats'); return this; }
  setFontWeights(m) { this.log('setFontWeights'); this.put('weight', m, 'setFontWeights'); return this; }
  setFontStyles(m) { this.log('setFontStyles'); this.put('style', m, 'setFontStyles'); return this; }
  setFontSizes(m) { this.log('setFontSizes'); this.put('size', m, 'setFontSizes'); return this; }
  setFontColors(m) { this.log('setFontColors'); this.put('color', m, 'setFontColors'); return this; }
  setBackgrounds(m) { this.log('setBackgrounds'); this.put('background', m, 'setBackgrounds'); return this; }
  setHorizontalAlignments(m) { this.log('setHorizontalAlignments'); this.put('align', m, 'setHorizontalAlignments'); return this; }
  setWraps(m) { this.log('setWraps'); this.put('wrap', m, 'setWraps'); return this; }
  setRichTextValues(m) { this.log('setRichTextValues'); this.put('rich', m, 'setRichTextValues'); return this; }
  merge() { this.log('merge'); this.sheet.merges.push([this.row, this.col, this.rows, this.cols]); return this; }
  breakApart() { this.log('breakApart'); this.sheet.merges = []; return this; }
}

class Sheet {
  constructor(world, name, id) {
    Object.assign(this, { world, name, id });
    this.cells = new Map();
    this.maxRows = 1000;
    this.maxCols = 26;
    this.frozenRows = 0;
    this.frozenCols = 0;
    this.widths = {};
    this.merges = [];
    this.charts = [];
    this.hidden = false;
  }
  getName() { return this.name; }
  getSheetId() { return this.id; }
  getMaxRows() { return this.maxRows; }
  getMaxColumns() { return this.maxCols; }
  lastRowCol() {
    let rows = 0;
    let cols = 0;
    for (const [k, cell] of this.cells) {
      if (cell.value === '' || cell.value === undefined || cell.value === null) continue;
      const [r, c] = k.split(',').map(Number);
      rows = Math.max(rows, r);
      cols = Math.max(cols, c);
    }
    return [rows, cols];
  }
  getDataRange() {
    const [rows, cols] = this.lastRowCol();
    return new Range(this.world, this, 1, 1, Math.max(rows, 1), Math.max(cols, 1));
  }
  getRange(a, b, c, d) {
    if (typeof a === 'string') {
      const [r, col, rows, cols] = parseA1(a);
      return new Range(this.world, this, r, col, rows, cols);
    }
    return new Range(this.world, this, a, b, c || 1, d || 1);
  }
  clear() { this.world.calls.push({ method: 'clear', sheet: this.name }); this.cells = new Map(); return this; }
  insertRowsAfter(after, n) { this.maxRows += n; return this; }
  insertColumnsAfter(after, n) { this.maxCols += n; return this; }
  setColumnWidth(col, px) { this.widths[col] = px; return this; }
  setFrozenRows(n) { this.frozenRows = n; return this; }
  setFrozenColumns(n) { this.frozenCols = n; return this; }
  hideSheet() { this.hidden = true; return this; }
  showSheet() { this.hidden = false; return this; }
  isSheetHidden() { return this.hidden; }
  getCharts() { return this.charts.slice(); }
  removeChart(chart) { this.charts = this.charts.filter((c) => c !== chart); }
  insertChart(chart) { this.charts.push(chart); }
  newChart() {
    const spec = { ranges: [], options: {} };
    const builder = {
      setChartType(t) { spec.type = t; return builder; },
      addRange(r) { spec.ranges.push(`${colLetter(r.col)}${r.row}:${colLetter(r.col + r.cols - 1)}${r.row + r.rows - 1}`); return builder; },
      setPosition(row, col) { spec.position = [row, col]; return builder; },
      setOption(k, v) { spec.options[k] = v; return builder; },
      build() { return spec; },
    };
    return builder;
  }
  /** The cell as Sheets would show it (tests read results through this). */
  shown(row, col) {
    const cell = this.cells.get(`${row},${col}`);
    return cell ? cell : {};
  }
}

function formatDate(date, tz, pattern) {
  if (pattern !== "yyyy-MM-dd'T'HH:mm:ss") throw new Error('stand-in formatDate: unsupported pattern ' + pattern);
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).formatToParts(date);
  const get = (t) => parts.find((p) => p.type === t).value;
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}:${get('second')}`;
}

function fetchSync(world, url, params) {
  world.fetches.push({ url, params });
  const args = ['-sS', '--max-time', '60', '-X', String(params.method || 'get').toUpperCase(),
    '-H', 'Content-Type: ' + (params.contentType || 'application/json')];
  for (const [k, v] of Object.entries(params.headers || {})) args.push('-H', `${k}: ${v}`);
  args.push('--data-binary', '@-', '-w', '\n%{http_code}', url);
  let out;
  try {
    out = execFileSync('curl', args, { input: params.payload || '', maxBuffer: 256 * 1024 * 1024 }).toString('utf8');
  } catch (err) {
    // Apps Script throws on a network failure even with muteHttpExceptions.
    throw new Error('Exception: Address unavailable: ' + url);
  }
  const cut = out.lastIndexOf('\n');
  const body = out.slice(0, cut);
  const code = Number(out.slice(cut + 1));
  world.responses.push({ code, body });
  if (code >= 400 && !params.muteHttpExceptions) throw new Error('Exception: Request failed for ' + url + ' returned code ' + code);
  return { getResponseCode: () => code, getContentText: () => body };
}

/**
 * A fresh Apps Script world with Code.gs loaded.
 * options: { id, timezone, locale, tabs: {name: [[...]]}, formats: {name: [[...]]},
 *            properties: {}, prompts: [[button, text], ...] }
 */
function makeWorld(options) {
  const world = {
    calls: [], alerts: [], toasts: [], fetches: [], responses: [], menus: [],
    prompts: (options.prompts || []).slice(), lockHeld: false,
    properties: Object.assign({}, options.properties || {}),
  };
  let nextId = 100;
  const sheets = [];
  for (const [name, rows] of Object.entries(options.tabs || {})) {
    const sheet = new Sheet(world, name, nextId++);
    sheet.maxRows = Math.max(sheet.maxRows, rows.length);
    rows.forEach((row, r) => row.forEach((v, c) => {
      if (v !== '' && v !== null && v !== undefined) {
        const fmt = options.formats && options.formats[name] ? options.formats[name][r][c] : 'General';
        sheet.cells.set(`${r + 1},${c + 1}`, { value: v, format: fmt });
      }
    }));
    sheets.push(sheet);
  }
  const ui = {
    ButtonSet: { OK: 'OK', OK_CANCEL: 'OK_CANCEL', YES_NO: 'YES_NO' },
    Button: { OK: 'OK', CANCEL: 'CANCEL', YES: 'YES', NO: 'NO', CLOSE: 'CLOSE' },
    createMenu(name) {
      const menu = { name, items: [] };
      const api = {
        addItem(caption, fn) { menu.items.push([caption, fn]); return api; },
        addSeparator() { menu.items.push(['---', null]); return api; },
        addToUi() { world.menus.push(menu); },
      };
      return api;
    },
    alert(title, message) { world.alerts.push({ title, message: message || '' }); return 'OK'; },
    prompt(title, message) {
      const next = world.prompts.shift() || ['CANCEL', ''];
      world.calls.push({ method: 'prompt', title });
      return { getSelectedButton: () => next[0], getResponseText: () => next[1] };
    },
  };
  const ss = {
    getId: () => options.id,
    getSpreadsheetTimeZone: () => options.timezone || 'Etc/UTC',
    getSpreadsheetLocale: () => options.locale || 'en_US',
    getSheets: () => sheets.slice(),
    getSheetByName: (name) => sheets.find((s) => s.name === name) || null,
    insertSheet(name) {
      const sheet = new Sheet(world, name, nextId++);
      sheets.push(sheet);
      world.calls.push({ method: 'insertSheet', sheet: name });
      return sheet;
    },
    toast(text, title) { world.toasts.push({ text, title }); },
  };
  const richBuilder = () => {
    const v = {};
    const b = {
      setText(t) { v.text = t; return b; },
      setLinkUrl(u) { v.link = u; return b; },
      build() { return v; },
    };
    return b;
  };
  const context = {
    SpreadsheetApp: {
      getUi: () => ui,
      getActiveSpreadsheet: () => ss,
      newRichTextValue: richBuilder,
    },
    PropertiesService: {
      getScriptProperties: () => ({
        getProperty: (k) => (k in world.properties ? world.properties[k] : null),
        setProperty: (k, v) => { world.properties[k] = v; },
        setProperties: (o) => { Object.assign(world.properties, o); },
      }),
    },
    LockService: {
      getDocumentLock: () => ({
        tryLock: () => {
          if (world.lockHeld) return false;
          world.lockHeld = true;
          return true;
        },
        releaseLock: () => { world.lockHeld = false; },
      }),
    },
    UrlFetchApp: { fetch: (url, params) => fetchSync(world, url, params) },
    Utilities: { formatDate },
    Charts: { ChartType: { COLUMN: 'COLUMN', BAR: 'BAR' } },
    console,
  };
  vm.createContext(context);
  vm.runInContext(fs.readFileSync(CODE_PATH, 'utf8'), context, { filename: 'Code.gs' });
  world.context = context;
  world.sheets = sheets;
  world.sheet = (name) => sheets.find((s) => s.name === name);
  world.count = (method, sheet) => world.calls.filter((c) => c.method === method && (!sheet || c.sheet === sheet)).length;
  return world;
}

module.exports = { makeWorld, colLetter };
