// FedChat's only hand-written JavaScript: the theme switch and what to do when the live
// connection to the server is lost. Everything else is Razor components running on the server.
(function () {
  'use strict';

  // Theme: the choice is kept in a cookie so the server renders the right theme on the next page.
  document.addEventListener('click', function (event) {
    if (event.target.closest('[data-theme-toggle]')) {
      var html = document.documentElement;
      var next = html.getAttribute('data-bs-theme') === 'dark' ? 'light' : 'dark';
      html.setAttribute('data-bs-theme', next);
      document.cookie = 'fedchat-theme=' + next + '; path=/; max-age=31536000; samesite=lax';
    }
    if (event.target.closest('[data-reconnect-retry]')) {
      // Blazor.reconnect() resolves false when the server is back but has forgotten this page.
      window.Blazor.reconnect().then(function (ok) { if (!ok) { location.reload(); } });
    }
  });

  // Reconnection: the Blazor script marks #components-reconnect-modal with a CSS class. When it
  // says "rejected", the server is up again but its memory of this page is gone (it restarted):
  // reloading gives a fresh page that works.
  function watchReconnectModal() {
    var modal = document.getElementById('components-reconnect-modal');
    if (!modal) { return; }
    new MutationObserver(function () {
      if (modal.classList.contains('components-reconnect-rejected')) {
        location.reload();
      }
    }).observe(modal, { attributes: true, attributeFilter: ['class'] });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', watchReconnectModal);
  } else {
    watchReconnectModal();
  }
})();
