/**
 * "Chrome 156 on Linux" from a User-Agent header, for the sessions list; the raw string is kept
 * as the cell's title. Unknown agents (curl, scripts) are shown as they come, shortened.
 */
export function describeUserAgent(ua: string | null | undefined): string | null {
  if (ua === null || ua === undefined || ua.trim() === '') return null
  const browser =
    match(ua, /Edg\/(\d+)/, 'Edge') ??
    match(ua, /OPR\/(\d+)/, 'Opera') ??
    match(ua, /Firefox\/(\d+)/, 'Firefox') ??
    match(ua, /(?:Headless)?Chrome\/(\d+)/, 'Chrome') ??
    (/Safari\//.test(ua) ? match(ua, /Version\/(\d+)/, 'Safari') : null)
  const os = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad|iPod/.test(ua)
      ? 'iOS'
      : /Windows/.test(ua)
        ? 'Windows'
        : /Mac OS X|Macintosh/.test(ua)
          ? 'macOS'
          : /CrOS/.test(ua)
            ? 'ChromeOS'
            : /Linux/.test(ua)
              ? 'Linux'
              : null
  if (browser === null) return ua.length > 40 ? `${ua.slice(0, 40)}…` : ua
  return os === null ? browser : `${browser} on ${os}`
}

function match(ua: string, re: RegExp, name: string): string | null {
  const m = re.exec(ua)
  return m ? `${name} ${m[1]}` : null
}
