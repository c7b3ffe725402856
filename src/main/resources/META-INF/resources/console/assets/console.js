// The console's only script: live template changes (the change stream) and sync progress.
// It changes text only (textContent, never markup), so nothing that comes from Meta or a user runs.
(function () {
  'use strict';

  function announce(text) {
    var news = document.getElementById('live-news');
    if (news) { news.textContent = text; }
  }

  function setState(text, state) {
    var el = document.getElementById('live-state');
    if (el) { el.textContent = text; }
    document.body.setAttribute('data-live', state);
  }

  function mark(element) {
    element.classList.add('just-changed');
    if (!element.querySelector('.changed-mark')) {
      var badge = document.createElement('span');
      badge.className = 'changed-mark';
      badge.textContent = 'just changed';
      element.appendChild(badge);
    }
  }

  function apply(change) {
    var holders = document.querySelectorAll('[data-template-id="' + change.template_id + '"]');
    var field = null;
    var value = null;
    if (change.field === 'status') { field = 'status'; value = change.new_status; }
    else if (change.field === 'quality_score') { field = 'quality'; value = change.new_value; }
    else if (change.field === 'category') { field = 'category'; value = change.new_value; }
    holders.forEach(function (holder) {
      var cell = field && holder.querySelector('[data-field="' + field + '"]');
      if (cell) {
        cell.textContent = value || '—';
        if (field === 'status') { cell.className = 'status status-' + String(value).toLowerCase().replace(/[^a-z0-9]+/g, '-'); }
        mark(cell.tagName === 'SPAN' ? cell.parentElement : cell);
      }
      var when = holder.querySelector('[data-field="changed"]');
      if (when && change.changed_at) { when.textContent = change.changed_at.replace('T', ' ').replace(/\.\d+/, '').replace('Z', ' UTC'); }
      if (holder.tagName === 'TR') { holder.classList.add('just-changed'); }
    });
    if (holders.length > 0) {
      announce(change.name + ' (' + change.language + '): ' + change.field.replace('_', ' ') + ' is now ' + (value || 'changed'));
    }
  }

  function listen() {
    if (!window.EventSource) { setState('Live updates need a newer browser: reload to see changes.', 'unsupported'); return; }
    var source = new EventSource('/console/events');
    var connectedBefore = false;
    source.addEventListener('connected', function () {
      // Back after a lost connection: what changed meanwhile was not sent, so show the page afresh.
      if (connectedBefore) { window.location.reload(); return; }
      connectedBefore = true;
      setState('Live: changes appear as they happen.', 'connected');
    });
    source.addEventListener('message', function (event) { apply(JSON.parse(event.data)); });
    source.addEventListener('error', function () { setState('Live updates paused: reconnecting…', 'reconnecting'); });
  }

  function watchSyncs(table) {
    function syncing() { return table.querySelector('tr[data-syncing="true"]') !== null; }
    function poll() {
      fetch('/console/numbers/progress', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
        .then(function (rows) {
          rows.forEach(function (row) {
            var tr = table.querySelector('tr[data-channel-id="' + row.channel_id + '"]');
            if (!tr) { return; }
            var was = tr.getAttribute('data-syncing') === 'true';
            tr.setAttribute('data-syncing', String(row.syncing));
            tr.querySelector('[data-field="outcome"]').textContent = row.outcome;
            tr.querySelector('[data-field="when"]').textContent = row.last_sync;
            var button = tr.querySelector('button');
            if (button) { button.disabled = row.syncing; }
            if (was && !row.syncing) { announce(row.phone_number + ': ' + row.outcome); }
          });
          if (syncing()) { setTimeout(poll, 1000); }
        })
        .catch(function () { setTimeout(poll, 3000); });
    }
    if (syncing()) { setTimeout(poll, 500); }
  }

  document.addEventListener('DOMContentLoaded', function () {
    if (document.querySelector('[data-live-templates]')) { listen(); }
    var numbers = document.querySelector('[data-numbers]');
    if (numbers) { watchSyncs(numbers); }
  });
}());
