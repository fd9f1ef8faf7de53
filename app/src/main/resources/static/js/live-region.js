// The layout's one live region (#live-status, aria-live="polite"): says what an htmx swap did, so a screen reader
// hears the outcome of a partial update: the swapped content's own words (an element with data-announce), else the
// form errors it shows (data-error-summary), else that the content was updated; a failed request says so. A page
// loaded with form errors (a plain form post) announces them too.
(function () {
  'use strict';

  function announce(text) {
    var region = document.getElementById('live-status');
    if (!region || !text) {
      return;
    }
    // cleared first, so the same words twice in a row are read again
    region.textContent = '';
    window.setTimeout(function () {
      region.textContent = text;
    }, 50);
  }

  function words(el) {
    return el.textContent.replace(/\s+/g, ' ').trim();
  }

  function outcome(root) {
    var own = root.matches && root.matches('[data-announce]') ? root : root.querySelector('[data-announce]');
    if (own) {
      return own.getAttribute('data-announce');
    }
    var errors = root.matches && root.matches('[data-error-summary]')
      ? root : root.querySelector('[data-error-summary]');
    if (errors) {
      return words(errors);
    }
    return null;
  }

  document.addEventListener('DOMContentLoaded', function () {
    var errors = document.querySelector('[data-error-summary]');
    if (errors) {
      announce(words(errors));
    }
  });
  document.addEventListener('htmx:afterSettle', function (event) {
    var target = event.detail && event.detail.target ? event.detail.target : event.target;
    // an outerHTML swap replaced the target: read its successor (same id) instead
    if (!target.isConnected) {
      target = (target.id && document.getElementById(target.id)) || document.body;
    }
    announce(outcome(target) || 'Content updated.');
  });
  document.addEventListener('htmx:responseError', function (event) {
    var status = event.detail && event.detail.xhr ? event.detail.xhr.status : '';
    announce('The request failed' + (status ? ' (' + status + ')' : '') + '.');
  });
  document.addEventListener('htmx:sendError', function () {
    announce('The server could not be reached.');
  });
})();
