import { NavLink } from 'react-router'

export interface SubNavItem {
  to: string
  label: string
  /** Only this exact path marks the item current (an index route). */
  end?: boolean
}

/** Section links of a page (tabs that live in the URL); the current one has aria-current="page". */
export function SubNav({ label, items }: { label: string; items: readonly SubNavItem[] }) {
  return (
    <nav aria-label={label} className="subnav">
      <ul>
        {items.map(i => (
          <li key={i.to}>
            <NavLink to={i.to} end={i.end}>
              {i.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  )
}
