import type { VpsPlan } from '../../api/catalog.ts'

type Image = VpsPlan['osImages'][number]

/** The images a server's plan offers (what a reinstall may pick); null while the plans load. */
export function planImages(plans: readonly VpsPlan[] | undefined, planId: string | number): readonly Image[] | null {
  if (plans === undefined) return null
  return plans.find(p => p.id === String(planId))?.osImages ?? []
}

/** "Ubuntu 24.04", or the id when the catalog no longer lists it. */
export function osName(image: { name: string; version: string }): string {
  return image.version === '' ? image.name : `${image.name} ${image.version}`
}

/** The installed image's name from the plan's list (falls back to its id). */
export function installedOs(plans: readonly VpsPlan[] | undefined, planId: string | number, osId: string | number) {
  const image = planImages(plans, planId)?.find(i => i.id === String(osId))
  return image === undefined ? String(osId) : osName(image)
}
