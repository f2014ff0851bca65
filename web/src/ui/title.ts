let suffix = ''
let current = ''

/** The brand name after every page title ("Servers · Example Hosting"); set by the app shell. */
export function setTitleSuffix(name: string): void {
  suffix = name
  if (current !== '') document.title = pageTitle(current)
}

export function pageTitle(title: string): string {
  return suffix ? `${title} · ${suffix}` : title
}

/** Called by <Page>: the document title of the page on screen. */
export function setPageTitle(title: string): void {
  current = title
  document.title = pageTitle(title)
}
