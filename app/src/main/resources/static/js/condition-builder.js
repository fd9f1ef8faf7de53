/*
 * Condition builder: turns every <div class="condition-builder"> (templates/conditions/builder.html) into a
 * visual editor of the condition JSON (docs/conditions.md) and keeps the JSON in the builder's hidden input.
 *
 * Values come from prospects, lists and users and may be attacker-controlled: the DOM is only ever built with
 * createElement/textContent/value, never with innerHTML, and no code is evaluated (CSP: script-src 'self').
 */
(function () {
  'use strict';
  if (window.kindlingConditionBuilder) {
    window.kindlingConditionBuilder.start();
    return;
  }

  var metadataPromises = {};

  function metadata(url) {
    if (!metadataPromises[url]) {
      metadataPromises[url] = fetch(url, {credentials: 'same-origin', headers: {Accept: 'application/json'}})
        .then(function (r) {
          if (!r.ok) { throw new Error('status ' + r.status); }
          return r.json();
        });
    }
    return metadataPromises[url];
  }

  // ---------------------------------------------------------------- DOM helpers (text only, never HTML)

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        var v = attrs[key];
        if (v === null || v === undefined || v === false) { return; }
        if (key === 'text') { node.textContent = v; }
        else if (key === 'className') { node.className = v; }
        else if (key === 'value') { node.value = v; }
        else if (key === 'checked') { node.checked = !!v; }
        else { node.setAttribute(key, v === true ? '' : String(v)); }
      });
    }
    (children || []).forEach(function (c) {
      if (c !== null && c !== undefined) { node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); }
    });
    return node;
  }

  function option(value, label, selected) {
    var o = el('option', {value: value, text: label});
    if (selected) { o.selected = true; }
    return o;
  }

  function select(className, label, options, current, onChange) {
    var s = el('select', {className: className, 'aria-label': label});
    options.forEach(function (o) {
      if (o.group) {
        var g = el('optgroup', {label: o.group});
        o.options.forEach(function (i) { g.appendChild(option(i.value, i.label, i.value === current)); });
        s.appendChild(g);
      } else {
        s.appendChild(option(o.value, o.label, o.value === current));
      }
    });
    if (current !== undefined && current !== null) { s.value = current; }
    s.addEventListener('change', function () { onChange(s.value); });
    return s;
  }

  function input(className, label, type, value, onInput, extra) {
    var attrs = {className: className, type: type, 'aria-label': label, value: value === undefined || value === null ? '' : String(value)};
    Object.keys(extra || {}).forEach(function (k) { attrs[k] = extra[k]; });
    var i = el('input', attrs);
    i.addEventListener('input', function () { onInput(i.value); });
    return i;
  }

  function button(className, label, title, onClick) {
    var b = el('button', {type: 'button', className: 'button button-small ' + className, text: label, title: title});
    b.addEventListener('click', function (e) { e.preventDefault(); onClick(); });
    return b;
  }

  // ---------------------------------------------------------------- the model <-> JSON

  var KINDS = [
    {value: 'field', label: 'Field'},
    {value: 'score', label: 'Score'},
    {value: 'grade', label: 'Grade'},
    {value: 'stage', label: 'Lifecycle stage'},
    {value: 'quadrant', label: 'Quadrant'},
    {value: 'owner', label: 'Owner'},
    {value: 'list', label: 'List membership'},
    {value: 'activity', label: 'Activity history'},
    {value: 'daysSinceLastActivity', label: 'Days since last activity'},
    {value: 'opportunity', label: 'Opportunity'},
    {value: 'program', label: 'Program'}
  ];
  var GROUP_MODES = [
    {value: 'all', label: 'All of'},
    {value: 'any', label: 'Any of'},
    {value: 'none', label: 'None of'}
  ];
  var OP_LABELS = {
    eq: 'is', ne: 'is not', 'in': 'is one of', notIn: 'is none of', contains: 'contains', startsWith: 'starts with',
    endsWith: 'ends with', gt: 'greater than', gte: 'at least', lt: 'less than', lte: 'at most', between: 'between',
    isEmpty: 'is empty', isNotEmpty: 'is not empty', olderThanDays: 'at least N days ago',
    withinDays: 'in the last N days'
  };
  var DATE_OP_LABELS = {gt: 'after', gte: 'on or after', lt: 'before', lte: 'on or before'};
  var NUMERIC_OPS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between'];
  var GRADE_OPS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between', 'in', 'notIn', 'isEmpty', 'isNotEmpty'];
  var ACTIVITY_FILTERS = [
    {key: 'urlContains', label: 'URL contains'},
    {key: 'formName', label: 'Form name'},
    {key: 'emailId', label: 'Email id'},
    {key: 'customName', label: 'Custom activity name'}
  ];

  function isObject(v) { return v !== null && typeof v === 'object' && !Array.isArray(v); }
  function onlyKey(v) { var k = Object.keys(v); return k.length === 1 ? k[0] : null; }
  function str(v) { return v === undefined || v === null ? '' : String(v); }

  function emptyGroup(mode) { return {type: 'group', mode: mode || 'all', children: []}; }

  function newLeaf(kind, meta) {
    switch (kind) {
      case 'field': {
        var f = meta.fields[0];
        return {type: 'leaf', kind: 'field', field: f ? f.name : 'email', op: 'eq', values: ['']};
      }
      case 'score': return {type: 'leaf', kind: 'score', op: 'gte', values: ['']};
      case 'daysSinceLastActivity': return {type: 'leaf', kind: kind, op: 'gte', values: ['']};
      case 'grade': return {type: 'leaf', kind: 'grade', op: 'gte', values: ['C']};
      case 'stage': case 'quadrant': return {type: 'leaf', kind: kind, op: 'in', values: []};
      case 'owner': return {type: 'leaf', kind: 'owner', mode: 'assigned', ids: []};
      case 'list': return {type: 'leaf', kind: 'list', id: meta.lists.length ? String(meta.lists[0].id) : ''};
      case 'activity': return {type: 'leaf', kind: 'activity', did: true, activityType: '', atLeast: '1', withinDays: '', filters: {}, campaignId: ''};
      case 'opportunity': return {type: 'leaf', kind: 'opportunity', statuses: [], closedWithinDays: '', minAmount: '', oppType: '', lostReasons: []};
      case 'program': return {type: 'leaf', kind: 'program', id: '', state: ''};
      default: return null;
    }
  }

  /** The model of a condition JSON value; throws when it cannot be shown (the caller keeps the text). */
  function fromJson(json, root) {
    if (!isObject(json)) { throw new Error('not an object'); }
    if (json.field !== undefined) {
      var op = str(json.op);
      var v = json.value;
      var values = v === undefined ? [] : Array.isArray(v) ? v.map(str) : [str(v)];
      var field = {type: 'leaf', kind: 'field', field: str(json.field), op: op, values: values};
      // a bare leaf is shown as the one child of an "all of" group, like the other leaf kinds below
      return root ? {type: 'group', mode: 'all', children: [field]} : field;
    }
    var key = onlyKey(json);
    if (!key) { throw new Error('not one key'); }
    var body = json[key];
    if (key === 'all' || key === 'any') {
      if (!Array.isArray(body)) { throw new Error('group without array'); }
      return {type: 'group', mode: key, children: body.map(function (c) { return fromJson(c, false); })};
    }
    if (key === 'not') {
      if (isObject(body) && onlyKey(body) === 'any' && Array.isArray(body.any)) {
        return {type: 'group', mode: 'none', children: body.any.map(function (c) { return fromJson(c, false); })};
      }
      // "not x" is "none of [x]": the same condition, shown as a group
      return {type: 'group', mode: 'none', children: [fromJson(body, false)]};
    }
    if (root) { return {type: 'group', mode: 'all', children: [fromJson(json, false)]}; }
    if (!isObject(body)) { throw new Error('leaf body'); }
    var k = onlyKey(body);
    switch (key) {
      case 'score': case 'daysSinceLastActivity': case 'grade': case 'stage': case 'quadrant': {
        if (!k) { throw new Error('comparison'); }
        var operand = body[k];
        var vals = operand === true && (k === 'isEmpty' || k === 'isNotEmpty') ? [] :
          Array.isArray(operand) ? operand.map(str) : [str(operand)];
        if ((key === 'stage' || key === 'quadrant') && (k === 'eq' || k === 'ne')) { k = k === 'eq' ? 'in' : 'notIn'; }
        return {type: 'leaf', kind: key, op: k, values: vals};
      }
      case 'owner':
        if (Array.isArray(body['in'])) { return {type: 'leaf', kind: 'owner', mode: 'in', ids: body['in'].map(str)}; }
        return {type: 'leaf', kind: 'owner', mode: body.assigned === false ? 'unassigned' : 'assigned', ids: []};
      case 'list':
        return {type: 'leaf', kind: 'list', id: str(body.memberOf)};
      case 'activity': case 'noActivity': {
        var filters = {};
        ACTIVITY_FILTERS.forEach(function (f) { if (body[f.key] !== undefined) { filters[f.key] = str(body[f.key]); } });
        return {type: 'leaf', kind: 'activity', did: key === 'activity', activityType: str(body.type),
          atLeast: body.atLeast === undefined ? '1' : str(body.atLeast), withinDays: str(body.withinDays),
          filters: filters, campaignId: str(body.campaignId)};
      }
      case 'opportunity': {
        var st = body.status === undefined ? [] : Array.isArray(body.status) ? body.status.map(str) : [str(body.status)];
        var lr = body.lostReason === undefined ? [] : Array.isArray(body.lostReason) ? body.lostReason.map(str) : [str(body.lostReason)];
        return {type: 'leaf', kind: 'opportunity', statuses: st, closedWithinDays: str(body.closedWithinDays),
          minAmount: str(body.minAmount), oppType: str(body.type), lostReasons: lr};
      }
      case 'program':
        return {type: 'leaf', kind: 'program', id: str(body.enrolledIn), state: str(body.state)};
      default:
        throw new Error('unknown kind ' + key);
    }
  }

  /** A typed number when the text is one, else the text itself so that the server names the mistake. */
  function num(text) {
    var t = str(text).trim();
    if (t !== '' && /^-?\d+(\.\d+)?$/.test(t)) { return Number(t); }
    return t;
  }

  function fieldType(meta, name) {
    for (var i = 0; i < meta.fields.length; i++) { if (meta.fields[i].name === name) { return meta.fields[i]; } }
    return null;
  }

  function arity(op) {
    if (op === 'isEmpty' || op === 'isNotEmpty') { return 'none'; }
    if (op === 'between') { return 'two'; }
    if (op === 'in' || op === 'notIn') { return 'many'; }
    return 'one';
  }

  function splitList(text) {
    return str(text).split(',').map(function (s) { return s.trim(); }).filter(function (s) { return s !== ''; });
  }

  function fieldOperand(type, op, text) {
    if (op === 'olderThanDays' || op === 'withinDays') { return num(text); }
    if (type === 'NUMBER') { return num(text); }
    if (type === 'BOOLEAN') { return text === 'true' ? true : text === 'false' ? false : text; }
    return str(text);
  }

  function comparison(op, values, convert) {
    var body = {};
    var a = arity(op);
    if (a === 'none') { body[op] = true; }
    else if (a === 'one') { body[op] = convert(values[0]); }
    else { body[op] = values.map(convert); }
    return body;
  }

  /** The condition JSON of a model node. */
  function toJson(node, meta) {
    if (node.type === 'group') {
      var parts = node.children.map(function (c) { return toJson(c, meta); });
      return node.mode === 'none' ? {not: {any: parts}} : node.mode === 'any' ? {any: parts} : {all: parts};
    }
    switch (node.kind) {
      case 'field': {
        var f = fieldType(meta, node.field);
        var type = f ? f.type : 'TEXT';
        var out = {field: node.field, op: node.op};
        var a = arity(node.op);
        if (a === 'one') { out.value = fieldOperand(type, node.op, node.values[0]); }
        else if (a === 'two') { out.value = [fieldOperand(type, node.op, node.values[0]), fieldOperand(type, node.op, node.values[1])]; }
        else if (a === 'many') { out.value = node.values.map(function (v) { return fieldOperand(type, node.op, v); }); }
        return out;
      }
      case 'score': case 'daysSinceLastActivity':
        return wrap(node.kind, comparison(node.op, node.values, num));
      case 'grade':
        return wrap('grade', comparison(node.op, node.values, str));
      case 'stage': case 'quadrant':
        return wrap(node.kind, comparison(node.op, node.values, str));
      case 'owner':
        if (node.mode === 'in') { return {owner: {'in': node.ids.map(num)}}; }
        return {owner: {assigned: node.mode !== 'unassigned'}};
      case 'list':
        return {list: {memberOf: num(node.id)}};
      case 'activity': {
        var body = {};
        if (node.activityType) { body.type = node.activityType; }
        ACTIVITY_FILTERS.forEach(function (fl) {
          if (node.filters[fl.key] !== undefined && node.filters[fl.key] !== '') { body[fl.key] = node.filters[fl.key]; }
        });
        if (str(node.campaignId) !== '') { body.campaignId = num(node.campaignId); }
        if (str(node.atLeast).trim() !== '' && str(node.atLeast).trim() !== '1') { body.atLeast = num(node.atLeast); }
        if (str(node.withinDays).trim() !== '') { body.withinDays = num(node.withinDays); }
        return wrap(node.did ? 'activity' : 'noActivity', body);
      }
      case 'opportunity': {
        var o = {};
        if (node.statuses.length) { o.status = node.statuses.slice(); }
        if (str(node.closedWithinDays).trim() !== '') { o.closedWithinDays = num(node.closedWithinDays); }
        if (str(node.minAmount).trim() !== '') { o.minAmount = num(node.minAmount); }
        if (node.oppType) { o.type = node.oppType; }
        if (node.lostReasons.length) { o.lostReason = node.lostReasons.slice(); }
        return {opportunity: o};
      }
      case 'program': {
        var p = {enrolledIn: num(node.id)};
        if (str(node.state).trim() !== '') { p.state = node.state; }
        return {program: p};
      }
    }
    return {};
  }

  function wrap(key, body) { var o = {}; o[key] = body; return o; }

  // ---------------------------------------------------------------- one builder

  function Builder(root, meta) {
    this.root = root;
    this.meta = meta;
    this.input = root.querySelector('input.condition-builder-input');
    this.paths = [];
    var text = str(this.input.value).trim();
    this.tree = emptyGroup('all');
    this.raw = null;
    if (text !== '') {
      try {
        this.tree = fromJson(JSON.parse(text), true);
      } catch (e) {
        this.raw = text;
      }
    }
    this.editor = el('div', {className: 'cb-editor'});
    this.messages = el('div', {className: 'cb-messages', 'aria-live': 'polite'});
    this.previewBox = el('div', {className: 'cb-preview', 'aria-live': 'polite'});
    var self = this;
    var toolbar = el('div', {className: 'cb-toolbar'}, [
      button('cb-preview-button', 'Preview matching prospects', 'Count the prospects this condition matches now',
        function () { self.preview(); })
    ]);
    root.appendChild(this.messages);
    root.appendChild(this.editor);
    root.appendChild(toolbar);
    root.appendChild(this.previewBox);
    this.render();
  }

  Builder.prototype.changed = function () {
    this.raw = null;
    this.input.value = JSON.stringify(toJson(this.tree, this.meta));
    this.clearErrors();
  };

  /** Re-serialises, then redraws the whole tree (after a structural change). */
  Builder.prototype.restructure = function () {
    this.render();
    this.changed();
  };

  Builder.prototype.render = function () {
    var self = this;
    while (this.editor.firstChild) { this.editor.removeChild(this.editor.firstChild); }
    this.paths = [];
    if (this.raw !== null) {
      var area = el('textarea', {className: 'cb-raw mono', rows: '8', 'aria-label': 'Condition JSON', value: this.raw});
      area.addEventListener('input', function () { self.input.value = area.value; });
      this.editor.appendChild(el('p', {className: 'alert alert-error',
        text: 'This condition cannot be shown in the builder. Fix its JSON, or start over.'}));
      this.editor.appendChild(area);
      this.editor.appendChild(button('cb-start-over', 'Start over', 'Replace it with an empty condition', function () {
        self.tree = emptyGroup('all');
        self.restructure();
      }));
      return;
    }
    this.editor.appendChild(this.group(this.tree, null, ''));
    if (str(this.input.value).trim() === '') { this.input.value = JSON.stringify(toJson(this.tree, this.meta)); }
  };

  Builder.prototype.remember = function (prefix, element) {
    this.paths.push({prefix: prefix, element: element});
  };

  Builder.prototype.group = function (node, parent, prefix) {
    var self = this;
    var box = el('div', {className: 'cb-group cb-group-' + node.mode, 'data-mode': node.mode});
    this.remember(prefix, box);
    var head = el('div', {className: 'cb-group-head'}, [
      select('cb-group-mode', 'Group', GROUP_MODES, node.mode, function (v) {
        node.mode = v;
        self.restructure();
      }),
      el('span', {className: 'cb-group-hint muted', text: node.mode === 'all' ? 'every condition below holds'
        : node.mode === 'any' ? 'at least one condition below holds' : 'no condition below holds'})
    ]);
    if (parent) {
      head.appendChild(button('cb-remove cb-remove-group', 'Remove group', 'Remove this group and everything in it', function () {
        parent.children.splice(parent.children.indexOf(node), 1);
        self.restructure();
      }));
    }
    box.appendChild(head);
    var list = el('ol', {className: 'cb-children'});
    var childPrefix = prefix + (node.mode === 'none' ? 'not.any' : node.mode);
    node.children.forEach(function (child, i) {
      var p = childPrefix + '[' + i + '].';
      var item = el('li', {className: 'cb-item'});
      item.appendChild(child.type === 'group' ? self.group(child, node, p) : self.leaf(child, node, p));
      list.appendChild(item);
    });
    if (!node.children.length) {
      list.appendChild(el('li', {className: 'cb-empty muted', text: node.mode === 'all'
        ? 'No conditions yet: every prospect matches.' : 'No conditions yet.'}));
    }
    box.appendChild(list);
    box.appendChild(el('div', {className: 'cb-group-actions'}, [
      button('cb-add-condition', '+ Condition', 'Add a condition to this group', function () {
        node.children.push(newLeaf('field', self.meta));
        self.restructure();
      }),
      button('cb-add-group', '+ Group', 'Add a nested group', function () {
        node.children.push(emptyGroup(node.mode === 'all' ? 'any' : 'all'));
        self.restructure();
      })
    ]));
    return box;
  };

  Builder.prototype.leaf = function (node, parent, prefix) {
    var self = this;
    var row = el('div', {className: 'cb-leaf', 'data-kind': node.kind});
    this.remember(prefix, row);
    var main = el('div', {className: 'cb-leaf-main'});
    main.appendChild(select('cb-kind', 'Condition kind', KINDS, node.kind, function (v) {
      parent.children[parent.children.indexOf(node)] = newLeaf(v, self.meta);
      self.restructure();
    }));
    var body = el('div', {className: 'cb-leaf-body'});
    this['edit_' + node.kind](node, body);
    main.appendChild(body);
    main.appendChild(button('cb-remove cb-remove-condition', '×', 'Remove this condition', function () {
      parent.children.splice(parent.children.indexOf(node), 1);
      self.restructure();
    }));
    row.appendChild(main);
    if (node.kind === 'opportunity') {
      row.appendChild(el('p', {className: 'cb-note', text: this.meta.opportunityNote}));
    }
    row.appendChild(el('ul', {className: 'cb-errors'}));
    return row;
  };

  // ---- editors per kind: each fills `body` and updates `node` in place (no redraw while typing)

  Builder.prototype.opSelect = function (node, ops, labels, redraw) {
    var self = this;
    return select('cb-op', 'Operator', ops.map(function (o) {
      return {value: o, label: (labels && labels[o]) || OP_LABELS[o] || o};
    }), node.op, function (v) {
      var before = arity(node.op);
      node.op = v;
      var after = arity(v);
      if (before !== after) {
        node.values = after === 'two' ? [node.values[0] || '', node.values[1] || ''] : after === 'none' ? []
          : after === 'many' ? node.values.filter(function (x) { return x !== ''; }) : [node.values[0] || ''];
      }
      if (redraw || before !== after) { self.restructure(); } else { self.changed(); }
    });
  };

  /** Inputs for the operands of `node.values` according to the arity of `node.op`. */
  Builder.prototype.operands = function (node, body, make) {
    var self = this;
    var a = arity(node.op);
    if (a === 'none') { return; }
    if (a === 'many') {
      body.appendChild(make(node.values.join(', '), function (v) { node.values = splitList(v); self.changed(); }, 'cb-values',
        'Values, separated by commas'));
      return;
    }
    body.appendChild(make(node.values[0], function (v) { node.values[0] = v; self.changed(); }, 'cb-value', 'Value'));
    if (a === 'two') {
      body.appendChild(el('span', {className: 'cb-word', text: 'and'}));
      body.appendChild(make(node.values[1], function (v) { node.values[1] = v; self.changed(); }, 'cb-value cb-value-high',
        'Upper value'));
    }
  };

  Builder.prototype.edit_field = function (node, body) {
    var self = this;
    var groups = {};
    var order = [];
    this.meta.fields.forEach(function (f) {
      if (!groups[f.group]) { groups[f.group] = []; order.push(f.group); }
      groups[f.group].push({value: f.name, label: f.label});
    });
    var options = order.map(function (g) { return {group: g, options: groups[g]}; });
    var field = fieldType(this.meta, node.field);
    if (!field) { options.push({value: node.field, label: node.field + ' (unknown)'}); }
    body.appendChild(select('cb-field', 'Field', options, node.field, function (v) {
      var before = fieldType(self.meta, node.field);
      var after = fieldType(self.meta, v);
      node.field = v;
      if (!before || !after || before.type !== after.type || (after.options || []).length) {
        var ops = self.meta.operators[after ? after.type : 'TEXT'];
        if (ops.indexOf(node.op) < 0) { node.op = ops[0]; }
        node.values = arity(node.op) === 'two' ? ['', ''] : arity(node.op) === 'none' ? [] : arity(node.op) === 'many' ? [] : [''];
        if (after && after.type === 'BOOLEAN' && arity(node.op) === 'one') { node.values = ['true']; }
      }
      self.restructure();
    }));
    var type = field ? field.type : 'TEXT';
    var ops = (this.meta.operators[type] || []).slice();
    if (ops.indexOf(node.op) < 0) { ops.push(node.op); }
    body.appendChild(this.opSelect(node, ops, type === 'DATE' ? DATE_OP_LABELS : null, true));
    var dayCount = node.op === 'olderThanDays' || node.op === 'withinDays';
    this.operands(node, body, function (value, onInput, cls, label) {
      if (dayCount) {
        return input(cls, label + ' (days)', 'number', value, onInput, {min: '0', step: '1'});
      }
      if (type === 'BOOLEAN') {
        return select(cls, label, [{value: 'true', label: 'yes'}, {value: 'false', label: 'no'}], value || 'true', onInput);
      }
      if (type === 'NUMBER') { return input(cls, label, 'number', value, onInput, {step: 'any'}); }
      if (type === 'DATE') { return input(cls, label, 'date', str(value).substring(0, 10), onInput); }
      if (field && field.options && field.options.length && arity(node.op) === 'one') {
        var opts = [{value: '', label: 'choose…'}].concat(field.options.map(function (o) { return {value: o, label: o}; }));
        if (value && field.options.indexOf(value) < 0) { opts.push({value: value, label: value}); }
        return select(cls, label, opts, value, onInput);
      }
      return input(cls, label, 'text', value, onInput, {placeholder: cls === 'cb-values' ? 'a, b, c' : ''});
    });
    if (dayCount) { body.appendChild(el('span', {className: 'cb-word', text: node.op === 'olderThanDays' ? 'days ago' : 'days'})); }
    // a DATE value written as an instant is shown as its day only when it is exactly midnight UTC
    if (type === 'DATE' && !dayCount) {
      node.values = node.values.map(function (v) { return /^\d{4}-\d{2}-\d{2}T00:00:00(\.0+)?Z$/.test(v) ? v.substring(0, 10) : v; });
    }
  };

  Builder.prototype.edit_score = function (node, body) {
    body.appendChild(this.opSelect(node, NUMERIC_OPS));
    this.operands(node, body, function (value, onInput, cls, label) {
      return input(cls, label, 'number', value, onInput, {step: '1'});
    });
    if (node.kind === 'daysSinceLastActivity') { body.appendChild(el('span', {className: 'cb-word', text: 'days'})); }
  };
  Builder.prototype.edit_daysSinceLastActivity = Builder.prototype.edit_score;

  Builder.prototype.edit_grade = function (node, body) {
    var labels = {gt: 'better than', gte: 'at least', lt: 'worse than', lte: 'at most', isEmpty: 'not graded', isNotEmpty: 'graded'};
    body.appendChild(this.opSelect(node, GRADE_OPS, labels));
    if (arity(node.op) === 'many') {
      body.appendChild(this.checks(this.meta.grades.map(function (g) { return {value: g, label: g}; }), node.values, 'Grades'));
      return;
    }
    var grades = this.meta.grades.map(function (g) { return {value: g, label: g}; });
    this.operands(node, body, function (value, onInput, cls, label) {
      return select(cls, label, grades, value || 'C', onInput);
    });
    // a fresh select shows C: keep the model in step with what is shown
    node.values = node.values.map(function (v) { return v || 'C'; });
  };

  /** Toggle chips: a checkbox per choice, `values` updated in place. */
  Builder.prototype.checks = function (choices, values, label) {
    var self = this;
    var box = el('span', {className: 'cb-checks', role: 'group', 'aria-label': label});
    choices.forEach(function (c) {
      var cb = el('input', {type: 'checkbox', value: c.value, checked: values.indexOf(c.value) >= 0});
      cb.addEventListener('change', function () {
        var i = values.indexOf(c.value);
        if (cb.checked && i < 0) { values.push(c.value); }
        if (!cb.checked && i >= 0) { values.splice(i, 1); }
        self.changed();
      });
      box.appendChild(el('label', {className: 'cb-chip'}, [cb, el('span', {text: c.label})]));
    });
    values.forEach(function (v) {
      var known = choices.some(function (c) { return c.value === v; });
      if (!known) { box.appendChild(el('span', {className: 'cb-chip cb-chip-unknown', text: v + ' (unknown)'})); }
    });
    return box;
  };

  Builder.prototype.edit_stage = function (node, body) {
    body.appendChild(this.opSelect(node, ['in', 'notIn']));
    var choices = (node.kind === 'stage' ? this.meta.stages : this.meta.quadrants).map(function (s) { return {value: s, label: s}; });
    body.appendChild(this.checks(choices, node.values, node.kind === 'stage' ? 'Stages' : 'Quadrants'));
  };
  Builder.prototype.edit_quadrant = Builder.prototype.edit_stage;

  Builder.prototype.edit_owner = function (node, body) {
    var self = this;
    body.appendChild(select('cb-owner-mode', 'Owner', [
      {value: 'assigned', label: 'is assigned'}, {value: 'unassigned', label: 'is not assigned'},
      {value: 'in', label: 'is one of'}], node.mode, function (v) {
      node.mode = v;
      self.restructure();
    }));
    if (node.mode === 'in') {
      body.appendChild(this.checks(this.meta.users.map(function (u) { return {value: String(u.id), label: u.name}; }),
        node.ids, 'Users'));
    }
  };

  Builder.prototype.edit_list = function (node, body) {
    var self = this;
    body.appendChild(el('span', {className: 'cb-word', text: 'is a member of'}));
    if (this.meta.lists.length) {
      var opts = this.meta.lists.map(function (l) { return {value: String(l.id), label: l.name}; });
      if (node.id && !opts.some(function (o) { return o.value === node.id; })) {
        opts.push({value: node.id, label: 'list ' + node.id + ' (deleted?)'});
      }
      if (!node.id) { node.id = opts[0].value; }
      body.appendChild(select('cb-list', 'List', opts, node.id, function (v) { node.id = v; self.changed(); }));
    } else {
      body.appendChild(input('cb-list-id', 'List id', 'number', node.id, function (v) { node.id = v; self.changed(); },
        {min: '1', step: '1', placeholder: 'list id'}));
      body.appendChild(el('span', {className: 'cb-word muted', text: this.meta.listsAvailable ? 'no lists yet' : ''}));
    }
  };

  Builder.prototype.edit_activity = function (node, body) {
    var self = this;
    body.appendChild(select('cb-did', 'Did or did not', [{value: 'did', label: 'did'}, {value: 'didNot', label: 'did not'}],
      node.did ? 'did' : 'didNot', function (v) { node.did = v === 'did'; self.changed(); }));
    body.appendChild(select('cb-activity-type', 'Activity type',
      [{value: '', label: 'any activity'}].concat(this.meta.activityTypes.map(function (t) { return {value: t, label: t}; })),
      node.activityType, function (v) { node.activityType = v; self.changed(); }));
    body.appendChild(el('span', {className: 'cb-word', text: 'at least'}));
    body.appendChild(input('cb-at-least cb-short', 'At least how many times', 'number', node.atLeast,
      function (v) { node.atLeast = v; self.changed(); }, {min: '1', step: '1'}));
    body.appendChild(el('span', {className: 'cb-word', text: 'times within'}));
    body.appendChild(input('cb-within-days cb-short', 'Within how many days (empty: ever)', 'number', node.withinDays,
      function (v) { node.withinDays = v; self.changed(); }, {min: '1', step: '1', placeholder: 'ever'}));
    body.appendChild(el('span', {className: 'cb-word', text: 'days'}));
    var used = ACTIVITY_FILTERS.some(function (f) { return node.filters[f.key]; }) || node.campaignId;
    var details = el('details', {className: 'cb-filters', open: used ? true : null});
    details.appendChild(el('summary', {text: 'Filters'}));
    var grid = el('div', {className: 'cb-filter-grid'});
    ACTIVITY_FILTERS.forEach(function (f) {
      grid.appendChild(el('label', {}, [el('span', {text: f.label}),
        input('cb-filter-' + f.key, f.label, 'text', node.filters[f.key], function (v) { node.filters[f.key] = v; self.changed(); })]));
    });
    var campaigns = [{value: '', label: 'any campaign'}].concat(this.meta.campaigns.map(function (c) {
      return {value: String(c.id), label: c.name};
    }));
    if (node.campaignId && !campaigns.some(function (c) { return c.value === node.campaignId; })) {
      campaigns.push({value: node.campaignId, label: 'campaign ' + node.campaignId});
    }
    grid.appendChild(el('label', {}, [el('span', {text: 'Campaign'}),
      select('cb-filter-campaignId', 'Campaign', campaigns, node.campaignId, function (v) { node.campaignId = v; self.changed(); })]));
    details.appendChild(grid);
    body.appendChild(details);
  };

  Builder.prototype.edit_opportunity = function (node, body) {
    var self = this;
    body.appendChild(el('span', {className: 'cb-word', text: 'has an opportunity with status'}));
    body.appendChild(this.checks(this.meta.opportunityStatuses.map(function (s) { return {value: s, label: s}; }),
      node.statuses, 'Opportunity status'));
    body.appendChild(el('span', {className: 'cb-word', text: 'closed within'}));
    body.appendChild(input('cb-closed-within cb-short', 'Closed within days', 'number', node.closedWithinDays,
      function (v) { node.closedWithinDays = v; self.changed(); }, {min: '1', step: '1', placeholder: 'any'}));
    body.appendChild(el('span', {className: 'cb-word', text: 'days, amount at least'}));
    body.appendChild(input('cb-min-amount cb-short', 'Minimum amount', 'number', node.minAmount,
      function (v) { node.minAmount = v; self.changed(); }, {step: 'any', placeholder: 'any'}));
    body.appendChild(select('cb-opportunity-type', 'Opportunity type',
      [{value: '', label: 'any type'}].concat(this.meta.opportunityTypes.map(function (t) { return {value: t, label: t}; })),
      node.oppType, function (v) { node.oppType = v; self.changed(); }));
    body.appendChild(el('span', {className: 'cb-word', text: 'lost because of'}));
    body.appendChild(this.checks(this.meta.lostReasons.map(function (r) { return {value: r, label: r}; }),
      node.lostReasons, 'Lost reason'));
  };

  Builder.prototype.edit_program = function (node, body) {
    var self = this;
    body.appendChild(el('span', {className: 'cb-word', text: 'is enrolled in program'}));
    body.appendChild(input('cb-program-id cb-short', 'Program id', 'number', node.id,
      function (v) { node.id = v; self.changed(); }, {min: '1', step: '1'}));
    body.appendChild(el('span', {className: 'cb-word', text: 'in state'}));
    body.appendChild(input('cb-program-state', 'Program state (optional)', 'text', node.state,
      function (v) { node.state = v; self.changed(); }, {placeholder: 'any state'}));
  };

  // ---------------------------------------------------------------- errors and preview

  Builder.prototype.clearErrors = function () {
    var lists = this.root.querySelectorAll('.cb-errors');
    Array.prototype.forEach.call(lists, function (l) { while (l.firstChild) { l.removeChild(l.firstChild); } });
    Array.prototype.forEach.call(this.root.querySelectorAll('.cb-invalid'), function (e) { e.classList.remove('cb-invalid'); });
    while (this.messages.firstChild) { this.messages.removeChild(this.messages.firstChild); }
  };

  /** Shows each error next to the row its path points into, or above the builder when none does. */
  Builder.prototype.showErrors = function (errors) {
    var self = this;
    this.clearErrors();
    var general = [];
    errors.forEach(function (error) {
      // the preview names paths within its body's condition: condition.all[0].op
      var path = str(error.field).replace(/^condition(\.|$)/, '');
      var best = null;
      self.paths.forEach(function (p) {
        if (p.prefix !== '' && path.indexOf(p.prefix) === 0 && (!best || p.prefix.length > best.prefix.length)) { best = p; }
      });
      var where = best ? best.element.querySelector(':scope > .cb-errors') : null;
      if (best && !where) {
        where = el('ul', {className: 'cb-errors'});
        best.element.appendChild(where);
      }
      var text = (best ? path.substring(best.prefix.length) : path) + ' ' + str(error.message);
      if (where) {
        best.element.classList.add('cb-invalid');
        where.appendChild(el('li', {text: text.trim()}));
      } else {
        general.push(text.trim());
      }
    });
    if (general.length) {
      var ul = el('ul', {className: 'alert alert-error cb-general-errors'});
      general.forEach(function (g) { ul.appendChild(el('li', {text: g})); });
      this.messages.appendChild(ul);
    }
  };

  Builder.prototype.csrf = function () {
    var form = this.root.closest('form');
    var field = form ? form.querySelector('input[name="_csrf"]') : null;
    var header = this.root.getAttribute('data-csrf-header') || 'X-CSRF-TOKEN';
    var metaToken = document.querySelector('meta[name="_csrf"]');
    var metaHeader = document.querySelector('meta[name="_csrf_header"]');
    if (field) { return {header: header, token: field.value}; }
    if (this.root.getAttribute('data-csrf-token')) { return {header: header, token: this.root.getAttribute('data-csrf-token')}; }
    if (metaToken) { return {header: metaHeader ? metaHeader.content : header, token: metaToken.content}; }
    return null;
  };

  Builder.prototype.preview = function () {
    var self = this;
    var box = this.previewBox;
    while (box.firstChild) { box.removeChild(box.firstChild); }
    box.appendChild(el('p', {className: 'muted', text: 'Counting…'}));
    var headers = {'Content-Type': 'application/json', Accept: 'application/json'};
    var csrf = this.csrf();
    if (csrf) { headers[csrf.header] = csrf.token; }
    // the body is {"condition": …}; the raw text goes in as it is, so its own syntax errors still answer 400
    var conditionText = this.raw !== null ? this.input.value : JSON.stringify(toJson(this.tree, this.meta));
    var bodyText = '{"condition":' + conditionText + '}';
    fetch(this.root.getAttribute('data-preview-url'), {method: 'POST', credentials: 'same-origin', headers: headers, body: bodyText})
      .then(function (r) { return r.json().catch(function () { return {}; }).then(function (j) { return {status: r.status, json: j}; }); })
      .then(function (res) {
        while (box.firstChild) { box.removeChild(box.firstChild); }
        if (res.status === 200) {
          self.clearErrors();
          var count = res.json.count;
          box.appendChild(el('p', {className: 'cb-count'}, [
            el('strong', {className: 'cb-count-value', text: String(count)}),
            ' ' + (count === 1 ? 'prospect matches' : 'prospects match') + ' now.']));
          if (res.json.sample && res.json.sample.length) {
            var table = el('table', {className: 'table table-compact cb-sample'});
            table.appendChild(el('thead', {}, [el('tr', {}, [el('th', {text: 'Email'}), el('th', {text: 'Name'})])]));
            var tbody = el('tbody');
            res.json.sample.forEach(function (m) {
              tbody.appendChild(el('tr', {}, [
                el('td', {}, [el('a', {href: '/prospects/' + encodeURIComponent(String(m.id)), text: m.email})]),
                el('td', {text: m.name || ''})]));
            });
            table.appendChild(tbody);
            box.appendChild(table);
            if (count > res.json.sample.length) {
              box.appendChild(el('p', {className: 'muted', text: 'Showing the ' + res.json.sample.length + ' newest.'}));
            }
          }
        } else if (res.status === 400 && res.json.errors) {
          self.showErrors(res.json.errors);
          box.appendChild(el('p', {className: 'alert alert-error cb-preview-error', text: 'Fix the highlighted conditions to preview.'}));
        } else {
          box.appendChild(el('p', {className: 'alert alert-error cb-preview-error',
            text: 'The preview failed' + (res.json.detail ? ': ' + res.json.detail : ' (status ' + res.status + ').')}));
        }
      })
      .catch(function () {
        while (box.firstChild) { box.removeChild(box.firstChild); }
        box.appendChild(el('p', {className: 'alert alert-error cb-preview-error', text: 'The preview could not be reached.'}));
      });
  };

  // ---------------------------------------------------------------- start

  function start() {
    var roots = document.querySelectorAll('.condition-builder:not([data-started])');
    Array.prototype.forEach.call(roots, function (root) {
      root.setAttribute('data-started', '');
      var hidden = root.querySelector('input.condition-builder-input');
      if (!hidden) { return; }
      // with JavaScript the hidden input carries the value (the <noscript> textarea does without it)
      hidden.disabled = false;
      metadata(root.getAttribute('data-fields-url')).then(function (meta) {
        root.builder = new Builder(root, meta);
        root.setAttribute('data-ready', '');
      }).catch(function () {
        root.appendChild(el('p', {className: 'alert alert-error',
          text: 'The condition builder could not load its fields. Reload the page to try again.'}));
      });
    });
  }

  window.kindlingConditionBuilder = {start: start, toJson: toJson, fromJson: fromJson};
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
