/** The gate's words, in Vietnamese first and English (merged through app/sites/registry.texts.ts). */
export const gateTexts = {
  vi: {
    welcomeTitle_gate: 'Ki-ốt chưa mở cổng',
    welcomeLead_gate: 'Ki-ốt này chưa ghi nhận ra vào hay mở cổng được. Vui lòng trình thẻ cho bảo vệ tại cổng.',
  },
  en: {
    welcomeTitle_gate: 'This kiosk cannot open the gate yet',
    welcomeLead_gate: 'This kiosk cannot record entry or open the gate yet. Please show your card to the guard at the gate.',
  },
} satisfies { vi: Record<string, string>; en: Record<string, string> };
