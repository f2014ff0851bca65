/**
 * Sizes as the portal shows them. Plans give RAM in bytes and disk in GB (0xhost's units); both
 * are shown in binary gigabytes with the locale's unit formatting. Not money: plain numbers.
 */
const GIB = 1024 ** 3

export function formatGiB(bytes: number, locale = 'en'): string {
  return new Intl.NumberFormat(locale, { style: 'unit', unit: 'gigabyte', maximumFractionDigits: 1 }).format(
    bytes / GIB,
  )
}

export function formatGB(gb: number, locale = 'en'): string {
  return new Intl.NumberFormat(locale, { style: 'unit', unit: 'gigabyte', maximumFractionDigits: 0 }).format(gb)
}
