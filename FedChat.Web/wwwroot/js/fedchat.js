// FedChat's hand-written JavaScript: keeping the theme choice, and keeping what people type before a
// page is live. (What to do when the live connection is lost: Components/Layout/ReconnectModal.razor.js.)
window.fedchat = (function () {
  'use strict';

  // The theme is kept in a cookie, so the server renders the right colours on the next page.
  function saveTheme(theme) {
    document.cookie = 'fedchat-theme=' + theme + '; path=/; max-age=31536000; samesite=lax';
    document.documentElement.setAttribute('data-theme', theme);
  }

  // On a page that is not live (sign-in, registration, or any page in its first moments) the theme
  // button is plain HTML: save the choice and reload to get the other colours.
  document.addEventListener('click', function (event) {
    var toggle = event.target.closest('[data-theme-toggle]');
    if (toggle) {
      saveTheme(toggle.getAttribute('data-theme-toggle'));
      location.reload();
    }
  });

  // Plain HTML pages (Your data): a dialog asks before something that cannot be undone, and slow
  // forms show that they are working.
  document.addEventListener('click', function (event) {
    var opener = event.target.closest('[data-confirm]');
    if (opener) {
      var form = opener.closest('form');
      if (!form || form.reportValidity()) {
        document.getElementById(opener.getAttribute('data-confirm')).showModal();
      }
    }
    var closer = event.target.closest('[data-close-dialog]');
    if (closer) {
      closer.closest('dialog').close();
    }
  });
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (form.hasAttribute && form.hasAttribute('data-busy')) {
      var dialog = form.querySelector('dialog[open]');
      if (dialog) {
        dialog.close();
      }
      var busy = form.querySelector('.busy');
      if (busy) {
        busy.hidden = false;
        // A download does not leave the page: hide it again once the browser has had time to start it.
        setTimeout(function () { busy.hidden = true; }, 15000);
      }
    }
  });

  // Before a page is live its inputs are plain HTML; when it goes live Blazor draws them again, empty.
  // So remember here what was typed or chosen in fields marked data-keep-early, and where the focus
  // was; the component takes it back (takeEarlyInput) as soon as it is live.
  var early = {};
  var focusedId = null;
  function remember(event) {
    var field = event.target.closest && event.target.closest('[data-keep-early]');
    if (field && field.id) {
      early[field.id] = field.value;
    }
  }
  document.addEventListener('input', remember, true);
  document.addEventListener('change', remember, true);
  document.addEventListener('focusin', function (event) {
    focusedId = event.target.closest && event.target.closest('[data-keep-early]') ? event.target.id : null;
  }, true);

  // Returns { values: {id: value}, focused: id or null } and forgets them.
  function takeEarlyInput(ids) {
    var values = {};
    ids.forEach(function (id) {
      if (Object.prototype.hasOwnProperty.call(early, id)) {
        values[id] = early[id];
        delete early[id];
      }
    });
    var focused = ids.indexOf(focusedId) >= 0 ? focusedId : null;
    return { values: values, focused: focused };
  }

  function focus(id) {
    var element = document.getElementById(id);
    if (element) {
      element.focus();
      // Put the caret at the end of what was typed.
      if (typeof element.setSelectionRange === 'function' && typeof element.value === 'string') {
        element.setSelectionRange(element.value.length, element.value.length);
      }
    }
  }

  // Scrolls an element into view if it is not (the forge lab's verdict after Send).
  function reveal(id) {
    var element = document.getElementById(id);
    if (element) {
      element.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    }
  }

  return { saveTheme: saveTheme, takeEarlyInput: takeEarlyInput, focus: focus, reveal: reveal };
})();
