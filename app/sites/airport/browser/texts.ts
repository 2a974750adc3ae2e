/** The airport's words, in Vietnamese first and English (merged through app/sites/registry.texts.ts). */
export const airportTexts = {
  vi: {
    airportAt: 'Sân bay {code}',
    welcomeTitle_airport: 'Ki-ốt chưa làm thủ tục bay',
    welcomeLead_airport: 'Ki-ốt này chưa làm được thủ tục lên máy bay, gửi hành lý hay in thẻ lên máy bay. Vui lòng đến quầy làm thủ tục của hãng bay.',
  },
  en: {
    airportAt: 'Airport {code}',
    welcomeTitle_airport: 'No check-in at this kiosk yet',
    welcomeLead_airport: 'This kiosk cannot check you in, take bags or print boarding passes yet. Please go to your airline\'s check-in counter.',
  },
} satisfies { vi: Record<string, string>; en: Record<string, string> };
