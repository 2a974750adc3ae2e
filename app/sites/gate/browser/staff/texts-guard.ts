/** The words of the gate's guard staff screens (merged into ../texts.ts). */
export const gateGuardTexts = {
  vi: {},
  en: {},
} satisfies { vi: Record<string, string>; en: Record<string, string> };
