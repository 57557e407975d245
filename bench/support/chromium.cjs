/**
 * Debian's chromium (installed by scripts/infra/install.sh, install_chromium) and the switches it
 * runs with in the browser tests and the dashboard benchmark: without the background-networking,
 * component-update and sync switches it waits on hosts this closed network never answers.
 */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

module.exports = { CHROMIUM, CHROMIUM_ARGS };
