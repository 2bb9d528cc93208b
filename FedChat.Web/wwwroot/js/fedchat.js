// FedChat's hand-written JavaScript: the theme switch. (What to do when the live connection is lost
// is in Components/Layout/ReconnectModal.razor.js.) Everything else is Razor components running on the server.
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
  });

})();
