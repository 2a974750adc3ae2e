/**
 * The locale of the browser's own widgets (a date field's day/month/year order), whatever the
 * machine's: Vietnam's. The kiosk's words come from its UI, in the language the person picks.
 * Chromium and Electron read it from `--lang`; Chromium on Linux from LANGUAGE (with Debian's
 * chromium-l10n installed).
 */
export const BROWSER_LOCALE = 'vi';
export const browserLocaleEnv = { LANGUAGE: BROWSER_LOCALE } as const;
