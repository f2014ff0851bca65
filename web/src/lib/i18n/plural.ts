const rules = new Map<string, Intl.PluralRules>()

/** The form of a word for `n` (Intl.PluralRules); `other` when the locale's category is missing. */
export function plural(
  n: number,
  forms: { other: string } & Partial<Record<Intl.LDMLPluralRule, string>>,
  locale = 'en',
): string {
  let r = rules.get(locale)
  if (!r) {
    r = new Intl.PluralRules(locale)
    rules.set(locale, r)
  }
  return forms[r.select(n)] ?? forms.other
}
