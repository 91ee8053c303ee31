import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Debian's Chromium, headless, with the flags this closed network needs. Missing Chromium is
 * a failure under CI (`.ci/run` installs it) and a skip reason elsewhere.
 */
export async function launchChromium(): Promise<Browser | string> {
  if (!existsSync(CHROMIUM)) {
    if (process.env.CI)
      throw new Error(`${CHROMIUM} is required under CI (apt-get install -y chromium)`);
    return `no Chromium at ${CHROMIUM}`;
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
