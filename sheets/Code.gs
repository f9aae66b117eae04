/**
 * vaxl for Google Sheets: a "vaxl" menu that sends this sheet's input tabs to
 * the vaxl backend and writes the tabs it returns (Validation, invoices, the
 * Invoices register, Retainers, Report, Aging).
 *
 * Setup: Extensions > Apps Script, paste this file and appsscript.json, reload
 * the sheet, then vaxl > Settings (backend URL and this spreadsheet's token,
 * which whoever runs the backend prints with `vaxl token SPREADSHEET_ID`).
 * Buttons: Insert > Drawing, then the drawing's menu > Assign script and type
 * vaxlValidate, vaxlInvoices, vaxlReport or vaxlRun.
 *
 * One getValues per input tab, one POST, one setValues per written tab plus
 * one call per kind of formatting.
 */

var VAXL_INPUT_TABS = [
  // Generated from vaxl.sheets.spec (a test checks they agree): input tabs in
  // English and Vietnamese with their aliases, the Invoices register, the manifest.
  'settings', 'cài đặt', 'cai dat',
  'clients', 'khách hàng', 'khach hang',
  'rates', 'đơn giá', 'specialty rates', 'don gia',
  'timesheet', 'bảng chấm công', 'timesheets', 'time log', 'bang cham cong',
  'blocks', 'gói giờ', 'goi gio',
  'closings', 'giao dịch', 'giao dich',
  'payments', 'thanh toán', 'thanh toan',
  'invoices', 'hóa đơn', 'hoa don',
  '_vaxl'
];
var VAXL_FORMATS_MAX_ROWS = 1000;  // number formats are read for tabs up to this size
var VAXL_URL_KEY = 'VAXL_URL';
var VAXL_TOKEN_KEY = 'VAXL_TOKEN';

function onOpen() {
  SpreadsheetApp.getUi()
    .createMenu('vaxl')
    .addItem('Validate', 'vaxlValidate')
    .addItem('Invoices', 'vaxlInvoices')
    .addItem('Report', 'vaxlReport')
    .addItem('Run all', 'vaxlRun')
    .addSeparator()
    .addItem('Settings', 'vaxlSettings')
    .addToUi();
}

function vaxlValidate() { return vaxlAction_('validate'); }
function vaxlInvoices() { return vaxlAction_('invoice'); }
function vaxlReport() { return vaxlAction_('report'); }
function vaxlRun() { return vaxlAction_('run'); }

/** vaxl > Settings: the backend URL and this spreadsheet's token. */
function vaxlSettings() {
  var ui = SpreadsheetApp.getUi();
  var props = PropertiesService.getScriptProperties();
  var current = props.getProperty(VAXL_URL_KEY) || '';
  var answer = ui.prompt('vaxl backend URL',
    'The address of the vaxl backend, e.g. https://vaxl.example.com' +
    (current ? '\nNow: ' + current + ' (leave empty to keep it)' : ''),
    ui.ButtonSet.OK_CANCEL);
  if (answer.getSelectedButton() !== ui.Button.OK) return;
  var url = String(answer.getResponseText() || '').trim().replace(/\/+$/, '');
  if (!url) url = current;
  if (!/^https:\/\//i.test(url) && !/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/i.test(url)) {
    ui.alert('vaxl: the URL must start with https://',
      'Ask whoever runs the vaxl backend for its https:// address.', ui.ButtonSet.OK);
    return;
  }
  var id = SpreadsheetApp.getActiveSpreadsheet().getId();
  var tokenAnswer = ui.prompt('vaxl token',
    'The token for this spreadsheet (whoever runs the backend prints it with: vaxl token ' +
    id + ')', ui.ButtonSet.OK_CANCEL);
  if (tokenAnswer.getSelectedButton() !== ui.Button.OK) return;
  var token = String(tokenAnswer.getResponseText() || '').trim();
  if (!token) {
    ui.alert('vaxl: no token entered', 'Nothing was changed.', ui.ButtonSet.OK);
    return;
  }
  props.setProperties(vaxlPair_(url, token));
  ui.alert('vaxl is set up', 'Use the vaxl menu (or a button) to run it.', ui.ButtonSet.OK);
}

function vaxlPair_(url, token) {
  var out = {};
  out[VAXL_URL_KEY] = url;
  out[VAXL_TOKEN_KEY] = token;
  return out;
}

/** A failure to show the user: a title and what to do. */
function VaxlFailure_(title, message) {
  this.title = title;
  this.message = message;
  this.vaxl = true;
}

function vaxlAction_(action) {
  var ui = SpreadsheetApp.getUi();
  var props = PropertiesService.getScriptProperties();
  var url = props.getProperty(VAXL_URL_KEY);
  var token = props.getProperty(VAXL_TOKEN_KEY);
  if (!url || !token) {
    ui.alert('vaxl is not set up yet',
      'Open vaxl > Settings and enter the backend URL and this spreadsheet\'s token.',
      ui.ButtonSet.OK);
    return null;
  }
  var lock = LockService.getDocumentLock();
  if (!lock.tryLock(500)) {
    ui.alert('vaxl is already running',
      'Someone (maybe you, with a double click) started vaxl on this sheet. ' +
      'Wait until it finishes, then try again.', ui.ButtonSet.OK);
    return null;
  }
  try {
    var month = null;
    if (action !== 'validate') {
      month = vaxlAskMonth_(ui);
      if (month === false) return null;
    }
    var ss = SpreadsheetApp.getActiveSpreadsheet();
    var body = vaxlCollect_(ss, month);
    var result = vaxlPost_(url, token, action, body);
    vaxlWrite_(ss, result);
    vaxlSummary_(ss, ui, result);
    return result;
  } catch (err) {
    if (err && err.vaxl) {
      ui.alert(err.title, err.message, ui.ButtonSet.OK);
    } else {
      ui.alert('vaxl failed', 'Something went wrong in the sheet: ' + err +
        '\nNothing was lost; try again.', ui.ButtonSet.OK);
    }
    return null;
  } finally {
    lock.releaseLock();
  }
}

/** The billing month: YYYY-MM, null for the default (last month), false on Cancel. */
function vaxlAskMonth_(ui) {
  while (true) {
    var answer = ui.prompt('vaxl: billing month',
      'Which month? Type it as YYYY-MM (e.g. 2026-11), or leave empty for last month.',
      ui.ButtonSet.OK_CANCEL);
    if (answer.getSelectedButton() !== ui.Button.OK) return false;
    var text = String(answer.getResponseText() || '').trim();
    if (!text) return null;
    if (/^\d{4}-(0[1-9]|1[0-2])$/.test(text)) return text;
    ui.alert('vaxl: "' + text + '" is not a month',
      'Type the month as YYYY-MM, e.g. 2026-11.', ui.ButtonSet.OK);
  }
}

function vaxlKey_(name) {
  return String(name).normalize('NFC').trim().toLowerCase();
}

/** The request body: every input tab with one getValues (and formats for small tabs). */
function vaxlCollect_(ss, month) {
  var tz = ss.getSpreadsheetTimeZone();
  var sheets = ss.getSheets();
  var names = [];
  var tabs = {};
  for (var i = 0; i < sheets.length; i++) {
    var sheet = sheets[i];
    var name = sheet.getName();
    names.push(name);
    if (VAXL_INPUT_TABS.indexOf(vaxlKey_(name)) < 0) continue;
    var range = sheet.getDataRange();
    var values = range.getValues();
    for (var r = 0; r < values.length; r++) {
      var row = values[r];
      for (var c = 0; c < row.length; c++) {
        if (row[c] instanceof Date || Object.prototype.toString.call(row[c]) === '[object Date]') {
          row[c] = Utilities.formatDate(row[c], tz, "yyyy-MM-dd'T'HH:mm:ss");
        }
      }
    }
    var tab = {values: values};
    if (values.length <= VAXL_FORMATS_MAX_ROWS) tab.number_formats = range.getNumberFormats();
    tabs[name] = tab;
  }
  var body = {
    spreadsheet_id: ss.getId(),
    timezone: tz,
    locale: ss.getSpreadsheetLocale(),
    sheet_names: names,
    tabs: tabs
  };
  if (month) body.month = month;
  return body;
}

function vaxlPost_(url, token, action, body) {
  var endpoint = String(url).replace(/\/+$/, '') + '/v1/' + action;
  var response;
  try {
    response = UrlFetchApp.fetch(endpoint, {
      method: 'post',
      contentType: 'application/json',
      payload: JSON.stringify(body),
      headers: {Authorization: 'Bearer ' + token},
      muteHttpExceptions: true
    });
  } catch (err) {
    throw new VaxlFailure_('vaxl could not reach its backend',
      'The backend at ' + url + ' did not answer (' + err + '). Check the URL in ' +
      'vaxl > Settings and your connection, then try again.');
  }
  var code = response.getResponseCode();
  var text = response.getContentText();
  var data = null;
  try { data = JSON.parse(text); } catch (ignored) { data = null; }
  var detail = data && typeof data.detail === 'string' ? data.detail : '';
  var fix = data && typeof data.fix === 'string' ? data.fix : '';
  if (code === 200 && data && data.tabs) return data;
  if (code === 401) {
    throw new VaxlFailure_('vaxl: the token was refused',
      'This spreadsheet\'s token is missing or wrong. Ask for the token for this ' +
      'spreadsheet: vaxl token ' + body.spreadsheet_id + ' - then enter it in vaxl > Settings.');
  }
  if (code === 413) {
    throw new VaxlFailure_('vaxl: the sheet is too large for the backend',
      (detail || 'The request was too large.') + ' ' +
      (fix || 'Move old Timesheet rows to another file and try again.'));
  }
  if (code === 409 || code === 422) {
    throw new VaxlFailure_('vaxl could not use this sheet',
      (detail || 'The backend refused the data.') + (fix ? ' ' + fix : ''));
  }
  if (code >= 500) {
    throw new VaxlFailure_('vaxl\'s backend failed (HTTP ' + code + ')',
      'Try again in a minute. If it keeps failing, tell whoever runs the backend.' +
      (detail ? ' (' + detail + ')' : ''));
  }
  throw new VaxlFailure_('vaxl got an unexpected answer (HTTP ' + code + ')',
    (detail || 'Check the backend URL in vaxl > Settings.') + (fix ? ' ' + fix : ''));
}

/** Write every returned tab: one setValues, then one call per kind of format. */
function vaxlWrite_(ss, result) {
  var order = result.tab_order || Object.keys(result.tabs);
  for (var i = 0; i < order.length; i++) {
    vaxlWriteTab_(ss, order[i], result.tabs[order[i]]);
  }
}

function vaxlWriteTab_(ss, name, tab) {
  var sheet = ss.getSheetByName(name);
  if (sheet) {
    sheet.clear();
    var whole = sheet.getRange(1, 1, sheet.getMaxRows(), sheet.getMaxColumns());
    whole.breakApart();
    var charts = sheet.getCharts();
    for (var k = 0; k < charts.length; k++) sheet.removeChart(charts[k]);
  } else {
    sheet = ss.insertSheet(name);
  }
  var values = tab.values || [];
  var rows = values.length;
  var cols = rows ? values[0].length : 0;
  if (rows && cols) {
    if (sheet.getMaxRows() < rows) sheet.insertRowsAfter(sheet.getMaxRows(), rows - sheet.getMaxRows());
    if (sheet.getMaxColumns() < cols) {
      sheet.insertColumnsAfter(sheet.getMaxColumns(), cols - sheet.getMaxColumns());
    }
    var range = sheet.getRange(1, 1, rows, cols);
    range.setValues(values);
    if (tab.number_formats) range.setNumberFormats(tab.number_formats);
    if (tab.bold) range.setFontWeights(vaxlMap_(tab.bold, function (b) { return b ? 'bold' : 'normal'; }));
    if (tab.italic) range.setFontStyles(vaxlMap_(tab.italic, function (b) { return b ? 'italic' : 'normal'; }));
    if (tab.font_sizes) range.setFontSizes(vaxlMap_(tab.font_sizes, function (s) { return s || 10; }));
    if (tab.font_colors) range.setFontColors(tab.font_colors);
    if (tab.backgrounds) range.setBackgrounds(tab.backgrounds);
    if (tab.alignments) range.setHorizontalAlignments(tab.alignments);
    if (tab.wraps) range.setWraps(tab.wraps);
  }
  var widths = tab.column_widths || [];
  for (var w = 0; w < widths.length; w++) sheet.setColumnWidth(widths[w][0], widths[w][1]);
  sheet.setFrozenRows(tab.frozen_rows || 0);
  sheet.setFrozenColumns(tab.frozen_columns || 0);
  var merges = tab.merges || [];
  for (var m = 0; m < merges.length; m++) sheet.getRange(merges[m]).merge();
  vaxlLinks_(ss, sheet, tab);
  var charts2 = tab.charts || [];
  for (var c = 0; c < charts2.length; c++) vaxlChart_(sheet, charts2[c]);
  if (tab.hidden) {
    sheet.hideSheet();
  } else if (sheet.isSheetHidden()) {
    sheet.showSheet();
  }
}

function vaxlMap_(matrix, fn) {
  return matrix.map(function (row) { return row.map(fn); });
}

/** Links to another tab's cell (#gid=...&range=E14) or a URL, one call per column run. */
function vaxlLinks_(ss, sheet, tab) {
  var links = tab.links || [];
  if (!links.length) return;
  var byCol = {};
  for (var i = 0; i < links.length; i++) {
    (byCol[links[i].col] = byCol[links[i].col] || []).push(links[i]);
  }
  Object.keys(byCol).forEach(function (col) {
    var list = byCol[col].sort(function (a, b) { return a.row - b.row; });
    var start = 0;
    for (var j = 1; j <= list.length; j++) {
      if (j < list.length && list[j].row === list[j - 1].row + 1) continue;
      var run = list.slice(start, j);
      var rich = run.map(function (link) {
        var shown = tab.values[link.row - 1][link.col - 1];
        var text = typeof shown === 'string' ? shown.replace(/^'/, '') : String(shown);
        var url = vaxlLinkUrl_(ss, link.target);
        var builder = SpreadsheetApp.newRichTextValue().setText(text);
        if (url && text) builder = builder.setLinkUrl(url);
        return [builder.build()];
      });
      sheet.getRange(run[0].row, Number(col), run.length, 1).setRichTextValues(rich);
      start = j;
    }
  });
}

function vaxlLinkUrl_(ss, target) {
  if (/^(https?:|mailto:)/i.test(target)) return target;
  var bang = target.lastIndexOf('!');
  if (bang < 0) return null;
  var name = target.slice(0, bang).replace(/^'|'$/g, '').replace(/''/g, "'");
  var other = ss.getSheetByName(name);
  if (!other) return null;
  return '#gid=' + other.getSheetId() + '&range=' + target.slice(bang + 1).replace(/\$/g, '');
}

function vaxlChart_(sheet, chart) {
  var built = sheet.newChart()
    .setChartType(Charts.ChartType.COLUMN)
    .addRange(sheet.getRange(chart.categories))
    .addRange(sheet.getRange(chart.values))
    .setPosition(chart.anchor_row, chart.anchor_col, 0, 0)
    .setOption('title', chart.title)
    .build();
  sheet.insertChart(built);
}

function vaxlSummary_(ss, ui, result) {
  var errors = 0, warnings = 0;
  (result.issues || []).forEach(function (p) {
    if (p.severity === 'error') errors++; else warnings++;
  });
  var visible = (result.tab_order || []).filter(function (n) { return !result.tabs[n].hidden; });
  var invoices = (result.invoices || []).length;
  var text = errors + ' error(s), ' + warnings + ' warning(s)' +
    (result.period ? ', ' + invoices + ' invoice(s) for ' + result.period : '') +
    '. Wrote: ' + visible.join(', ') + '.';
  if (errors) {
    ui.alert('vaxl finished with errors', text + ' See the Validation tab: each row says ' +
      'which cell to fix and how.', ui.ButtonSet.OK);
  } else {
    ss.toast(text, 'vaxl', 8);
  }
}
