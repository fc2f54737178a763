// What every example page's own script uses, loaded first as a classic script (/assets/page.js), so its
// two functions are globals: `$(id)` for an element, and `setStatus(state, text)` for the status pill in
// the header (state connecting, connected or disconnected, as switchyard.css colours them).
/* global document -- a browser script */

function $(id) {
  return document.getElementById(id);
}

// eslint-disable-next-line @typescript-eslint/no-unused-vars -- a global, called by the pages' own scripts
function setStatus(state, text) {
  const pill = $('status');
  pill.className = `status ${state}`;
  pill.textContent = text;
}
