import { boundsOf, GROUPS, type EnvVar, type Group } from './define.ts'
import { VARS, type VarName } from './schema.ts'

/** The variables of each group, in schema order. */
function grouped(): Array<[string, Array<[VarName, EnvVar]>]> {
  const all = Object.entries(VARS) as Array<[VarName, EnvVar]>
  return (Object.keys(GROUPS) as Group[]).map(g => [GROUPS[g], all.filter(([, v]) => v.group === g)])
}

export function flagOf(spec: EnvVar): string | undefined {
  if (spec.flag === undefined) return undefined
  return `--${typeof spec.flag === 'string' ? spec.flag : spec.flag.name}`
}

export function shownDefault(name: string, spec: EnvVar): string {
  if (spec.shown !== undefined) return spec.shown
  const d = spec.default
  if (d === undefined) return '—'
  if (typeof d === 'string' || typeof d === 'number' || typeof d === 'boolean') return String(d)
  // A computed or list default cannot be printed as a value; the schema must say it in words.
  throw new Error(`${name}: a computed or list default needs \`shown\``)
}

/** The one-line description, with an integer's bounds. */
export function describe(spec: EnvVar): string {
  const bounds = boundsOf(spec.type)
  return bounds ? `${spec.doc}; ${bounds.minimum}–${bounds.maximum}` : spec.doc
}

/** `--help`'s list of variables: name and flag, default, then the description wrapped below. */
export function envHelp(width = 100): string {
  const out = ['Environment (where a flag is shown, it wins over the variable). Logs go to stderr.']
  for (const [title, vars] of grouped()) {
    out.push('', `${title}:`)
    for (const [name, spec] of vars) {
      const flag = flagOf(spec)
      const head = `  ${name}${flag ? `, ${flag}` : ''}`
      out.push(`${head.padEnd(40)} default: ${shownDefault(name, spec)}`)
      out.push(...wrap(describe(spec).replaceAll('`', ''), width - 6).map(l => `      ${l}`))
    }
  }
  return out.join('\n') + '\n'
}

/** The README's configuration tables (what `npm run docs:config` writes between the markers). */
export function configTable(): string {
  const out: string[] = []
  for (const [title, vars] of grouped()) {
    out.push(`### ${title}`, '', '| variable / flag | default | meaning |', '|---|---|---|')
    for (const [name, spec] of vars) {
      const flag = flagOf(spec)
      const cells = [`\`${name}\`${flag ? ` / \`${flag}\`` : ''}`, shownDefault(name, spec), describe(spec)]
      out.push(`| ${cells.map(c => c.replaceAll('|', '\\|')).join(' | ')} |`)
    }
    out.push('')
  }
  return out.join('\n')
}

export const README_START = '<!-- config:start -->'
export const README_END = '<!-- config:end -->'

/** The README with its configuration section replaced; throws if the markers are missing. */
export function withConfigTable(readme: string): string {
  const start = readme.indexOf(README_START)
  const end = readme.indexOf(README_END)
  if (start < 0 || end < start) throw new Error(`README.md has no ${README_START} … ${README_END} section`)
  return `${readme.slice(0, start + README_START.length)}\n${configTable()}\n${readme.slice(end)}`
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else line = line === '' ? word : `${line} ${word}`
  }
  return [...lines, line]
}
