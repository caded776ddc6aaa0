// OASIS CAP 1.2 alert XML → a typed object. Only the fields a board draft needs are kept; the
// enveloped XML signature (IPAWS signs its messages) is noted, not verified: an operator reviews
// every draft before it is signed with the coordinator's own key.
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export const CAP_NS = 'urn:oasis:names:tc:emergency:cap:1.2';
export const MSG_TYPES = ['Alert', 'Update', 'Cancel', 'Ack', 'Error'] as const;
export type CapMsgType = (typeof MSG_TYPES)[number];

export class CapParseError extends Error {
  override name = 'CapParseError';
}

export interface CapReference {
  sender: string;
  identifier: string;
  sent: string;
}

export interface CapInfo {
  /** RFC 3066 tag as given, e.g. `en-US`; CAP's default is `en-US` when absent. */
  language: string;
  event: string;
  categories: string[];
  responseTypes: string[];
  urgency: string;
  severity: string;
  certainty: string;
  senderName: string | null;
  headline: string | null;
  description: string | null;
  instruction: string | null;
  web: string | null;
  effective: string | null;
  onset: string | null;
  expires: string | null;
  areas: string[];
}

export interface CapAlert {
  identifier: string;
  sender: string;
  sent: string;
  status: string;
  msgType: CapMsgType;
  scope: string;
  references: CapReference[];
  infos: CapInfo[];
  /** An XML-DSig `Signature` element is present (not verified here). */
  signed: boolean;
}

const ARRAYS = new Set(['info', 'area', 'category', 'responseType', 'parameter', 'eventCode', 'geocode', 'resource']);
const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => ARRAYS.has(name),
});

type Node = Record<string, unknown>;
const str = (n: Node, k: string): string | null => {
  const v = n[k];
  if (typeof v === 'string') return v.trim() || null;
  if (v && typeof v === 'object' && typeof (v as Node)['#text'] === 'string') return ((v as Node)['#text'] as string).trim() || null;
  return null;
};
const need = (n: Node, k: string, where: string): string => {
  const v = str(n, k);
  if (v === null) throw new CapParseError(`CAP ${where} has no <${k}>`);
  return v;
};
const list = (n: Node, k: string): Node[] => (Array.isArray(n[k]) ? (n[k] as unknown[]).filter((x): x is Node => !!x && typeof x === 'object') : []);
const strings = (n: Node, k: string): string[] => (Array.isArray(n[k]) ? (n[k] as unknown[]).filter((x): x is string => typeof x === 'string') : []);

/** `references`: whitespace-separated `sender,identifier,sent` triples. */
export function parseReferences(text: string | null): CapReference[] {
  if (!text) return [];
  return text
    .split(/\s+/)
    .filter(Boolean)
    .map((t) => {
      const [sender = '', identifier = '', sent = ''] = t.split(',');
      return { sender, identifier, sent };
    });
}

/** Namespace of the root `alert` element (the parser drops xmlns attributes with the prefixes). */
function rootNamespace(xml: string): string | null {
  const m = /<(?:([A-Za-z_][\w.-]*):)?alert\b([^>]*)>/.exec(xml);
  if (!m) return null;
  const attr = m[1] ? `xmlns:${m[1]}` : 'xmlns';
  const ns = new RegExp(`\\s${attr.replace('.', '\\.')}\\s*=\\s*(["'])(.*?)\\1`).exec(m[2] ?? '');
  return ns?.[2] ?? null;
}

export function parseCap(xml: string): CapAlert {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new CapParseError(`not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  let doc: Node;
  try {
    doc = parser.parse(xml) as Node;
  } catch (err) {
    throw new CapParseError('cannot parse the XML', { cause: err });
  }
  const alert = doc.alert;
  if (!alert || typeof alert !== 'object') throw new CapParseError('no <alert> root element');
  const a = alert as Node;
  const ns = rootNamespace(xml);
  if (ns !== CAP_NS) throw new CapParseError(`not CAP 1.2 (namespace ${ns ?? 'none'})`);
  const msgType = need(a, 'msgType', 'alert');
  if (!(MSG_TYPES as readonly string[]).includes(msgType)) throw new CapParseError(`unknown msgType ${msgType}`);
  const infos = list(a, 'info').map(
    (i): CapInfo => ({
      language: str(i, 'language') ?? 'en-US',
      event: need(i, 'event', 'info'),
      categories: strings(i, 'category'),
      responseTypes: strings(i, 'responseType'),
      urgency: need(i, 'urgency', 'info'),
      severity: need(i, 'severity', 'info'),
      certainty: need(i, 'certainty', 'info'),
      senderName: str(i, 'senderName'),
      headline: str(i, 'headline'),
      description: str(i, 'description'),
      instruction: str(i, 'instruction'),
      web: str(i, 'web'),
      effective: str(i, 'effective'),
      onset: str(i, 'onset'),
      expires: str(i, 'expires'),
      areas: list(i, 'area')
        .map((ar) => str(ar, 'areaDesc'))
        .filter((x): x is string => x !== null),
    }),
  );
  return {
    identifier: need(a, 'identifier', 'alert'),
    sender: need(a, 'sender', 'alert'),
    sent: need(a, 'sent', 'alert'),
    status: need(a, 'status', 'alert'),
    msgType: msgType as CapMsgType,
    scope: need(a, 'scope', 'alert'),
    references: parseReferences(str(a, 'references')),
    infos,
    signed: 'Signature' in a,
  };
}
