let suffix = ''

/** The brand name after every page title ("Servers · Example Hosting"); set by the app shell. */
export function setTitleSuffix(name: string): void {
  suffix = name
}

export function pageTitle(title: string): string {
  return suffix ? `${title} · ${suffix}` : title
}
