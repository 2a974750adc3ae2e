/** The words of the gate's admin staff screens (merged into ../texts.ts). */
export const gateAdminTexts = {
  vi: {},
  en: {},
} satisfies { vi: Record<string, string>; en: Record<string, string> };
