import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser'

/**
 * A minimal ordered XML tree shared by the adapter and the fake. Plesk cares about child order
 * (XSD sequences) and a packet may batch several operations, so a keyed object would lose
 * information; fast-xml-parser's `preserveOrder` shape is kept internal to this file.
 */
export interface XNode {
  name: string
  attrs?: Record<string, string>
  children: XNode[]
  /** Concatenated text content (untrimmed: passwords may start or end with spaces). */
  text: string
}

type OrderedItem = Record<string, unknown> & { ':@'?: Record<string, string> }

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  // Values stay strings: GUIDs, logins and passwords such as "0012" or "1e5" must not become numbers.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  // Also decodes numeric references (&#60;), which other XML writers use instead of &lt;.
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  cdataPropName: '#cdata',
})

const builder = new XMLBuilder({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  suppressEmptyNode: true,
  // Escapes & < > " ' in text and attributes; this is what keeps user-supplied values inert.
  processEntities: true,
})

/** Builds an element; string children become text, nodes become child elements. */
export function el(name: string, ...content: Array<XNode | string | number | null | undefined | false>): XNode {
  const children: XNode[] = []
  let text = ''
  for (const c of content) {
    if (c === null || c === undefined || c === false) continue
    if (typeof c === 'object') children.push(c)
    else text += String(c)
  }
  return { name, children, text }
}

/** Thrown by parseXml for input that is not well-formed XML. */
export class XmlSyntaxError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'XmlSyntaxError'
  }
}

/** Parses a document and returns its root element; throws XmlSyntaxError when malformed. */
export function parseXml(xml: string): XNode {
  const valid = XMLValidator.validate(xml)
  if (valid !== true) throw new XmlSyntaxError(`${valid.err.msg} (line ${valid.err.line})`)
  const items = parser.parse(xml) as OrderedItem[]
  const roots = items.map(toNode).filter((n): n is XNode => n !== null)
  if (roots.length !== 1) throw new XmlSyntaxError('expected exactly one root element')
  return roots[0]!
}

function toNode(item: OrderedItem): XNode | null {
  const name = Object.keys(item).find(k => k !== ':@')
  if (name === undefined || name === '#text' || name === '#cdata' || name.startsWith('?') || name === '#comment') {
    return null
  }
  const node: XNode = { name, children: [], text: '' }
  if (item[':@']) node.attrs = { ...item[':@'] }
  for (const child of (item[name] as OrderedItem[]) ?? []) {
    if ('#text' in child) node.text += String(child['#text'])
    else if ('#cdata' in child) {
      node.text += ((child['#cdata'] as OrderedItem[]) ?? []).map(c => scalarText(c['#text'])).join('')
    } else {
      const sub = toNode(child)
      if (sub) node.children.push(sub)
    }
  }
  // Indentation between child elements is not content.
  if (node.children.length > 0 && node.text.trim() === '') node.text = ''
  return node
}

function toOrdered(node: XNode): OrderedItem {
  const inner: OrderedItem[] = node.children.map(toOrdered)
  if (node.text !== '') inner.unshift({ '#text': node.text })
  const item: OrderedItem = { [node.name]: inner }
  if (node.attrs && Object.keys(node.attrs).length > 0) item[':@'] = { ...node.attrs }
  return item
}

/** Serialises a tree with an XML declaration; all text and attribute values are escaped. */
export function buildXml(root: XNode): string {
  return `<?xml version="1.0" encoding="UTF-8"?>${builder.build([toOrdered(root)])}`
}

/** First child with this name. */
export function child(node: XNode | undefined, name: string): XNode | undefined {
  return node?.children.find(c => c.name === name)
}

/** All children with this name, in document order. */
export function children(node: XNode | undefined, name: string): XNode[] {
  return node ? node.children.filter(c => c.name === name) : []
}

/** Follows a path of first-children: at(result, 'data', 'gen_info', 'guid'). */
export function at(node: XNode | undefined, ...path: string[]): XNode | undefined {
  let cur = node
  for (const name of path) cur = child(cur, name)
  return cur
}

/** Trimmed text of the node at a path, or undefined when the node is absent. */
export function textAt(node: XNode | undefined, ...path: string[]): string | undefined {
  const found = at(node, ...path)
  return found === undefined ? undefined : found.text.trim()
}

/** A parsed text node is a string, number or boolean (fast-xml-parser's value parsing); anything else is no text. */
function scalarText(v: unknown): string {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : ''
}
