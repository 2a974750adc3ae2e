import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { screenshotsDir } from '../support/browser.ts';

/**
 * The two kiosk screens the UI kit is built for, with the type-scale minimums it promises on each
 * (issue 12): body text and headings, in CSS pixels.
 */
export const LAYOUTS = [
  { name: 'portrait', viewport: { width: 1080, height: 1920 }, minBody: 32, minHeading: 56 },
  { name: 'landscape', viewport: { width: 1920, height: 1080 }, minBody: 24, minHeading: 40 },
] as const;
export type Layout = (typeof LAYOUTS)[number];

export interface LayoutReport {
  /** Visible text smaller than the body minimum (staff-only codes excepted). */
  readonly smallText: { text: string; size: number }[];
  readonly headings: { text: string; size: number }[];
  /** Something wider than the screen (cut off at the side). */
  readonly overflowX: boolean;
  /** The screen's title starts above the visible content area (cut off at the top). */
  readonly titleHidden: boolean;
  /** Error-like codes (CHIP_CLONE_SUSPECTED) in what the person reads. */
  readonly rawCodes: string[];
  /** Codes shown for staff, with their size. */
  readonly staffCodes: { text: string; size: number }[];
}

/** Measures the page as it stands: text sizes, headings, overflow, the title's place, codes in the text. */
export function inspectLayout(page: Page, minBody: number): Promise<LayoutReport> {
  return page.evaluate((min) => {
    const isShown = (e: Element) => {
      const r = e.getBoundingClientRect();
      const s = getComputedStyle(e);
      return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
    };
    const size = (e: Element) => parseFloat(getComputedStyle(e).fontSize);
    const smallText: { text: string; size: number }[] = [];
    for (const el of Array.from(document.querySelectorAll('#app *'))) {
      if (!isShown(el) || el.closest('svg') || el.closest('[data-staff]')) continue;
      const own = Array.from(el.childNodes).filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => (n.textContent ?? '').trim()).join(' ').trim();
      if (own && size(el) < min - 0.5) smallText.push({ text: own.slice(0, 60), size: size(el) });
    }
    const headings = Array.from(document.querySelectorAll('#app h1')).filter(isShown).map((h) => ({ text: (h.textContent ?? '').slice(0, 60), size: size(h) }));
    const content = document.querySelector('.content')!;
    const overflowX = content.scrollWidth > content.clientWidth + 1 || document.documentElement.scrollWidth > window.innerWidth + 1;
    const title = content.querySelector('h1');
    const titleHidden = title !== null && title.getBoundingClientRect().top < content.getBoundingClientRect().top - 1;
    // What the patient reads: every text node outside staff-only parts (codes, the maintenance screen).
    const rawCodes: string[] = [];
    const walker = document.createTreeWalker(document.getElementById('app')!, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.parentElement?.closest('[data-staff], .maintenance')) continue;
      rawCodes.push(...((n.textContent ?? '').match(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g) ?? []));
    }
    const staffCodes = Array.from(document.querySelectorAll('[data-staff]')).filter(isShown).map((e) => ({ text: e.textContent ?? '', size: size(e) }));
    return { smallText, headings, overflowX, titleHidden, rawCodes, staffCodes };
  }, minBody);
}

/** The layout rules every screen keeps, at one size. */
export async function expectKitLayout(page: Page, layout: Layout, what: string): Promise<LayoutReport> {
  const report = await inspectLayout(page, layout.minBody);
  expect(report.smallText, `${what}: text below ${layout.minBody} px`).toEqual([]);
  for (const h of report.headings) expect(h.size, `${what}: heading «${h.text}»`).toBeGreaterThanOrEqual(layout.minHeading - 0.5);
  expect(report.overflowX, `${what}: wider than the screen`).toBe(false);
  expect(report.titleHidden, `${what}: title cut off at the top`).toBe(false);
  expect(report.rawCodes, `${what}: raw codes in the patient's view`).toEqual([]);
  for (const code of report.staffCodes) expect(code.size, `${what}: staff code «${code.text}» must stay small`).toBeLessThan(layout.minBody);
  return report;
}

/** Switches the page to `lang` with the kiosk's own language button. */
export async function useLanguage(page: Page, lang: 'vi' | 'en'): Promise<void> {
  if ((await page.locator('html').getAttribute('lang')) !== lang) await page.getByTestId('language-toggle').click();
  await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(lang);
}

/**
 * The screen as it stands, in portrait and landscape and in both languages: each checked against
 * the kit's layout rules and saved as `${prefix}-${name}-${orientation}-${lang}.png`. Ends in
 * portrait, in the language it started in.
 */
export async function everyLayout(page: Page, prefix: string, name: string): Promise<void> {
  const start = ((await page.locator('html').getAttribute('lang')) ?? 'vi') as 'vi' | 'en';
  for (const layout of LAYOUTS) {
    await page.setViewportSize(layout.viewport);
    for (const lang of [start, start === 'vi' ? 'en' : 'vi'] as const) {
      await useLanguage(page, lang);
      await expectKitLayout(page, layout, `${name} (${layout.name}, ${lang})`);
      await page.screenshot({ path: join(screenshotsDir, `${prefix}-${name}-${layout.name}-${lang}.png`) });
    }
  }
  await page.setViewportSize(LAYOUTS[0].viewport);
  await useLanguage(page, start);
}
