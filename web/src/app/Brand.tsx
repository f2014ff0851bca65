import { useEffect } from 'react'
import { useBranding, type Branding } from '../api/branding.ts'
import { readableOnWhite, textOn } from '../lib/color.ts'
import { setTitleSuffix } from '../ui/title.ts'

const FALLBACK = { name: 'Customer portal', primary: '#1d4ed8', accent: '#0f766e' }

/**
 * The operator's colours as CSS variables on <html> (set through the CSSOM, which the CSP allows):
 * the header and buttons use the primary colour with whichever text reads on it; links and focus
 * rings use a version dark enough for 4.5:1 on white.
 */
export function useApplyBranding(): Branding | undefined {
  const { data } = useBranding()
  useEffect(() => {
    const primary = data?.primary_color ?? FALLBACK.primary
    const accent = data?.accent_color ?? FALLBACK.accent
    const s = document.documentElement.style
    s.setProperty('--brand-primary', primary)
    s.setProperty('--brand-on-primary', textOn(primary))
    s.setProperty('--brand-link', readableOnWhite(primary))
    s.setProperty('--brand-accent', readableOnWhite(accent, 3))
    setTitleSuffix(data?.name ?? '')
  }, [data])
  return data
}

export function BrandMark({ branding }: { branding: Branding | undefined }) {
  const name = branding?.name ?? FALLBACK.name
  return (
    <span className="brand">
      {branding?.logo_url ? <img src={branding.logo_url} alt="" className="brand-logo" /> : null}
      <span className="brand-name">{name}</span>
    </span>
  )
}
