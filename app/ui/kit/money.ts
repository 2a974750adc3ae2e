/** "450.000 đ": an amount in dong as Vietnamese prices are written, in either language. */
export function formatVnd(amount: number): string {
  return `${amount.toLocaleString('vi-VN')} đ`;
}
