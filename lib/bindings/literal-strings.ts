import { Token, Tokenization } from '../cdk';

/**
 * Every string a binding writes to the synthesized configuration is a
 * literal: user text (key names, descriptions, names to ignore) never becomes
 * a Terraform expression or template directive.
 *
 * We escape rather than reject: `${` becomes `$${` and `%{` becomes `%%{`,
 * Terraform's own escapes, so a key really named `a ${b}` is created with
 * exactly that name (the plan shows it, the vendor receives it). Rejecting
 * would forbid names vendors accept.
 *
 * Strings holding cdktf tokens (references to other resources, made in code)
 * keep working: only their literal fragments are escaped. Inside such a
 * string cdktf treats a literal `${` as the start of a hand-written expression
 * (it would swallow a following reference), so there a literal `${` is written
 * `${"$"}{`, and a literal `$` right before a reference `${"$"}` (Terraform
 * would read `$${` as an escape).
 *
 * A consequence for construct users: a hand-written expression in a string
 * prop (`"${var.x}"`) is no longer evaluated; pass a token (`variable.stringValue`) instead.
 */
export function escapeTemplateSequences(text: string): string {
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/** A literal fragment of a string that also holds references. */
function escapeBesideTokens(text: string, beforeToken: boolean): string {
  let escaped = text.replace(/%\{/g, () => '%%{').replace(/\$\{/g, () => '${"$"}{');
  if (beforeToken && escaped.endsWith('$')) escaped = `${escaped.slice(0, -1)}\${"$"}`;
  return escaped;
}

function literalString(value: string): string {
  if (!Token.isUnresolved(value)) return escapeTemplateSequences(value);
  const fragments = Tokenization.reverseString(value);
  // TokenizedStringFragments keeps its parts private; its `tokens`/`literals` lose their order.
  const parts = (fragments as unknown as { fragments: ({ type: 'literal'; lit: unknown } | { type: 'token'; token: unknown } | { type: string })[] }).fragments;
  return parts.map((part, index) => {
    if (part.type === 'literal' && 'lit' in part && typeof part.lit === 'string') {
      return escapeBesideTokens(part.lit, parts[index + 1]?.type === 'token');
    }
    if (part.type === 'token' && 'token' in part) return Token.asString(part.token);
    throw new Error(`unexpected string fragment of type ${part.type}`);
  }).join('');
}

/** A value as a binding synthesizes it: strings (also inside lists and maps) as literals; tokens untouched. */
export function literalValue(value: unknown): unknown {
  if (typeof value === 'string') return literalString(value);
  if (Array.isArray(value)) return Token.isUnresolved(value) ? value : value.map(literalValue);
  if (value && typeof value === 'object' && !Token.isUnresolved(value) && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, literalValue(item)]));
  }
  return value;
}

const TOKEN_STRING_MARKER = /[$#&]\{TfToken\[/;
// cdktf renders a number token inside a string as a double near -1.8e+289 (see cdktf's encoding.ts).
const NUMBER_IN_TEXT = /[-+]?\d[\d.]*e[-+]?\d+/gi;

/**
 * Whether text holds something cdktf would turn into a reference at synthesis:
 * a string, list or map token marker, or a number token written as a number.
 * Manifest text that did could name another resource's secret.
 */
export function containsTokenMarker(text: string): boolean {
  if (TOKEN_STRING_MARKER.test(text)) return true;
  for (const match of text.match(NUMBER_IN_TEXT) ?? []) {
    if (Token.isUnresolved(Number(match))) return true;
  }
  return false;
}
